using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>Blocking, moderation and presence, seen live by the people involved.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SafetyBrowserTests(BrowserFixture fixture)
{
    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    private async Task MakeFriendsAsync(string a, string b)
    {
        var friendships = fixture.App.Get<FriendshipService>();
        await friendships.SendRequestAsync(a, b);
        Assert.Equal(SendRequestOutcome.BecameFriends, (await friendships.SendRequestAsync(b, a)).Value);
    }

    [Fact]
    public async Task Blocking_removes_the_blocked_person_from_the_blockers_pages_live_and_from_theirs_on_next_load()
    {
        var (kimName, leoName) = (Unique("kim"), Unique("leo"));
        var kim = await fixture.App.CreateUserAsync(kimName, "Kim Blocker");
        var leo = await fixture.App.CreateUserAsync(leoName, "Leo Blocked");
        await MakeFriendsAsync(kim.Id, leo.Id);

        await using var kimPage = await fixture.OpenAsUserAsync(kimName);
        await using var kimDirectory = await kimPage.NewTabAsync("/");
        await using var leoPage = await fixture.OpenAsUserAsync(leoName);
        await using var leoDirectory = await leoPage.NewTabAsync("/");
        await kimDirectory.Page.GetByLabel("Search people").FillAsync(leoName);
        await leoDirectory.Page.GetByLabel("Search people").FillAsync(kimName);
        await Expect(kimDirectory.Page.GetByRole(AriaRole.Link, new() { Name = "Leo Blocked" })).ToBeVisibleAsync();
        await Expect(leoDirectory.Page.GetByRole(AriaRole.Link, new() { Name = "Kim Blocker" })).ToBeVisibleAsync();
        await Expect(leoPage.Button("Unfriend Kim Blocker")).ToBeVisibleAsync();
        foreach (var page in new[] { kimPage, kimDirectory, leoPage, leoDirectory }) await page.MarkPageAsync();

        // Kim blocks Leo from his profile.
        await using var kimProfile = await kimPage.NewTabAsync($"/u/{leoName}");
        await kimProfile.Page.GetByRole(AriaRole.Button, new() { Name = "More actions for Leo Blocked" }).ClickAsync();
        await kimProfile.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Block Leo Blocked" }).ClickAsync();
        await kimProfile.Button("Block").ClickAsync();
        await Expect(kimProfile.Page.GetByText("Leo Blocked is blocked.")).ToBeVisibleAsync();

        await Expect(kimDirectory.Page.GetByRole(AriaRole.Link, new() { Name = "Leo Blocked" })).ToHaveCountAsync(0);
        await Expect(kimPage.Button("Unfriend Leo Blocked")).ToHaveCountAsync(0);
        foreach (var page in new[] { kimPage, kimDirectory }) await page.AssertNotReloadedAsync();

        // Leo is not told at that moment (a live change would tell him when it happened); his next load shows the truth.
        await leoPage.GoToAsync("/dashboard");
        await Expect(leoPage.Page.GetByRole(AriaRole.Heading, new() { Name = "Friends (0)" })).ToBeVisibleAsync();
        await Expect(leoPage.Button("Unfriend Kim Blocker")).ToHaveCountAsync(0);
        await leoDirectory.GoToAsync("/");
        await leoDirectory.Page.GetByLabel("Search people").FillAsync(kimName);
        await Expect(leoDirectory.Page.GetByText("No one matches")).ToBeVisibleAsync();
        await Expect(leoDirectory.Page.GetByRole(AriaRole.Link, new() { Name = "Kim Blocker" })).ToHaveCountAsync(0);
        await leoDirectory.ScreenshotAsync("safety-blocked-directory");

        // Leo opening Kim's profile URL gets the same answer as for someone who doesn't exist.
        await leoDirectory.GoToAsync($"/u/{kimName}");
        await Expect(leoDirectory.Page.GetByRole(AriaRole.Heading, new() { Name = "User not found" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_moderator_hides_a_status_and_it_leaves_a_friends_open_feed_live()
    {
        var (modName, posterName, friendName) = (Unique("mod"), Unique("poster"), Unique("reader"));
        var mod = await fixture.App.CreateUserAsync(modName, "Mona Moderator");
        await fixture.App.Get<ModerationService>().GrantAsync(modName);
        var poster = await fixture.App.CreateUserAsync(posterName, "Pete Poster");
        var reader = await fixture.App.CreateUserAsync(friendName, "Rita Reader");
        await MakeFriendsAsync(poster.Id, reader.Id);
        var statuses = fixture.App.Get<StatusService>();
        await statuses.PostAsync(poster.Id, "A perfectly fine update");
        var bad = (await statuses.PostAsync(poster.Id, "Buy cheap pills at spam.example")).Value!;
        await fixture.App.Get<ReportService>().ReportAsync(reader.Id, poster.Id, bad.StatusId, ReportReason.Spam, "Obvious spam");

        await using var readerPage = await fixture.OpenAsUserAsync(friendName);
        var feed = readerPage.Page.GetByRole(AriaRole.List, new() { Name = "Feed" });
        await Expect(feed.GetByText("Buy cheap pills at spam.example")).ToBeVisibleAsync();
        await readerPage.MarkPageAsync();

        await using var modPage = await fixture.OpenAsUserAsync(modName, "/moderation");
        await Expect(modPage.Page.GetByText("Buy cheap pills at spam.example").First).ToBeVisibleAsync();
        await modPage.ScreenshotAsync("safety-moderation-queue");
        await modPage.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Hide status in report") }).ClickAsync();
        await Expect(modPage.Page.GetByText("Status hidden everywhere")).ToBeVisibleAsync();

        await Expect(feed.GetByText("Buy cheap pills at spam.example")).ToHaveCountAsync(0);
        await Expect(feed.GetByText("A perfectly fine update")).ToBeVisibleAsync();
        await Expect(readerPage.Page.GetByText("A moderator reviewed your report. Thank you.")).ToBeVisibleAsync();
        await readerPage.AssertNotReloadedAsync();
    }

    [Fact]
    public async Task The_presence_dot_turns_on_and_off_as_a_friend_opens_and_closes_the_app()
    {
        var (ninaName, omarName) = (Unique("nina"), Unique("omar"));
        var nina = await fixture.App.CreateUserAsync(ninaName, "Nina Watcher");
        var omar = await fixture.App.CreateUserAsync(omarName, "Omar Online");
        await MakeFriendsAsync(nina.Id, omar.Id);

        await using var ninaPage = await fixture.OpenAsUserAsync(ninaName);
        var dot = ninaPage.Page.GetByRole(AriaRole.Img, new() { Name = "Omar Online is online now" });
        await Expect(ninaPage.Button("Unfriend Omar Online")).ToBeVisibleAsync();
        await Expect(dot).ToHaveCountAsync(0);

        var omarPage = await fixture.OpenAsUserAsync(omarName);
        await Expect(dot).ToBeVisibleAsync();
        await ninaPage.ScreenshotAsync("safety-presence-online");

        await omarPage.DisposeAsync();
        await Expect(dot).ToHaveCountAsync(0, new() { Timeout = 15000 });
    }

    [Fact]
    public async Task A_suspended_user_with_an_open_session_is_signed_out_at_once_and_cannot_sign_in()
    {
        var (modName, userName) = (Unique("mod"), Unique("troll"));
        var mod = await fixture.App.CreateUserAsync(modName, "Max Moderator");
        await fixture.App.Get<ModerationService>().GrantAsync(modName);
        var troll = await fixture.App.CreateUserAsync(userName, "Tom Troll");

        await using var trollPage = await fixture.OpenAsUserAsync(userName);
        var suspended = await fixture.App.Get<ModerationService>().SuspendAsync(mod.Id, troll.Id, TimeSpan.FromDays(7), "Repeated harassment");
        Assert.True(suspended.Succeeded);

        await Expect(trollPage.Page.GetByRole(AriaRole.Heading, new() { Name = "You have been signed out" })).ToBeVisibleAsync();
        await Expect(trollPage.Page.GetByText("Reason: Repeated harassment")).ToBeVisibleAsync();
        await trollPage.Page.GotoAsync("/dashboard");
        await trollPage.Page.WaitForURLAsync("**/Account/Login**");

        await trollPage.Page.GetByLabel("Username or e-mail").FillAsync(userName);
        await trollPage.Page.GetByLabel("Password").FillAsync(Infrastructure.AppFactory.Password);
        await trollPage.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(trollPage.Page.GetByText("This account is suspended until", new() { Exact = false })).ToBeVisibleAsync();
    }
}
