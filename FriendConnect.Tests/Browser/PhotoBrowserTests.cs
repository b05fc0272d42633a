using System.Text;
using Deque.AxeCore.Playwright;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Photos;
using FriendConnect.Tests.Photos;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>Profile photos end to end, undo after unfriending, and how snackbars are announced.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhotoBrowserTests(BrowserFixture fixture)
{
    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    private async Task MakeFriendsAsync(string a, string b)
    {
        var friendships = fixture.App.Get<FriendshipService>();
        await friendships.SendRequestAsync(a, b);
        Assert.Equal(SendRequestOutcome.BecameFriends, (await friendships.SendRequestAsync(b, a)).Value);
    }

    private static ILocator PhotoInput(UserPage user) => user.Page.Locator(".photo-settings input[type=file]");

    private static Task ChooseFileAsync(UserPage user, string name, string mimeType, byte[] bytes) =>
        PhotoInput(user).SetInputFilesAsync(new FilePayload { Name = name, MimeType = mimeType, Buffer = bytes });

    private static ILocator PhotoOf(IPage page, string userId) => page.Locator($"img[src^='/photos/{userId}/']");

    [Fact]
    public async Task A_photo_uploaded_on_settings_shows_in_the_directory_and_live_on_a_friends_open_dashboard()
    {
        var (zoeName, yanName) = (Unique("zoe"), Unique("yan"));
        var zoe = await fixture.App.CreateUserAsync(zoeName, "Zoe Photographer");
        var yan = await fixture.App.CreateUserAsync(yanName, "Yan Friend");
        await MakeFriendsAsync(zoe.Id, yan.Id);
        await using var yanPage = await fixture.OpenAsUserAsync(yanName);
        var friends = yanPage.Page.GetByRole(AriaRole.List, new() { Name = "Friends" });
        await Expect(friends.GetByText("Zoe Photographer")).ToBeVisibleAsync();
        await Expect(PhotoOf(yanPage.Page, zoe.Id)).ToHaveCountAsync(0);
        await yanPage.MarkPageAsync();

        await using var zoePage = await fixture.OpenAsUserAsync(zoeName, "/settings");
        await Expect(zoePage.Button("Upload a photo")).ToBeVisibleAsync();
        await ChooseFileAsync(zoePage, "holiday.jpg", "image/jpeg", TestImages.JpegWithLocation(1200, 800));

        await Expect(zoePage.Page.GetByText("Your new photo is up.")).ToBeVisibleAsync();
        var preview = zoePage.Page.GetByRole(AriaRole.Img, new() { Name = "Your profile photo" });
        await Expect(preview).ToBeVisibleAsync();
        await Expect(zoePage.Button("Change photo")).ToBeVisibleAsync();
        await Expect(zoePage.Button("Remove photo")).ToBeVisibleAsync();
        await AssertLoadedAsync(preview);

        // Yan's dashboard, open all along, shows it beside Zoe without a reload.
        var onDashboard = friends.Locator($"img[src^='/photos/{zoe.Id}/']");
        await Expect(onDashboard).ToHaveCountAsync(1, new() { Timeout = 15000 });
        await AssertLoadedAsync(onDashboard);
        await yanPage.AssertNotReloadedAsync();

        // The directory shows it too.
        await yanPage.GoToAsync("/");
        await yanPage.Page.GetByLabel("Search people").FillAsync(zoeName);
        var inDirectory = PhotoOf(yanPage.Page, zoe.Id);
        await Expect(inDirectory).ToHaveCountAsync(1, new() { Timeout = 15000 });
        await AssertLoadedAsync(inDirectory);
        await yanPage.ScreenshotAsync("photo-directory");
    }

    public static TheoryData<string> BadFiles => ["not an image", "6 MB"];

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_on_settings_gets_a_clear_message_and_saves_nothing(string kind)
    {
        var name = Unique("bad");
        await fixture.App.CreateUserAsync(name, "Bad File");
        await using var page = await fixture.OpenAsUserAsync(name, "/settings");

        if (kind == "6 MB") await ChooseFileAsync(page, "huge.jpg", "image/jpeg", new byte[6 * 1024 * 1024]);
        else await ChooseFileAsync(page, "holiday.jpg", "image/jpeg", Encoding.UTF8.GetBytes("This is a text file renamed to .jpg"));

        var alert = page.Page.Locator(".photo-settings [role=alert]");
        await Expect(alert).ToContainTextAsync(kind == "6 MB" ? "That file is 6 MB; a photo can be at most 5 MB" : "isn't a JPEG, PNG or WebP image");
        await Expect(page.Button("Upload a photo")).ToBeVisibleAsync();
        await Expect(page.Page.GetByRole(AriaRole.Img, new() { Name = "Your profile photo" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_settings_photo_section_passes_axe_in_both_themes_and_looks_finished_on_desktop_and_phone()
    {
        var name = Unique("pic");
        var user = await fixture.App.CreateUserAsync(name, "Pia Pictured");
        var file = TestImages.Jpeg(600, 600);
        Assert.True((await fixture.App.Get<PhotoService>().UploadAsync(user.Id, new MemoryStream(file), file.Length)).Succeeded);
        var failures = new StringBuilder();
        foreach (var theme in new[] { "light", "dark" })
        {
            await using var page = await fixture.OpenAsUserAsync(name);
            await page.Context.AddCookiesAsync([new Cookie { Name = "fc-theme", Value = theme, Url = fixture.App.BaseUrl }]);
            await page.GoToAsync("/settings");
            var section = page.Page.Locator(".photo-settings");
            await AssertLoadedAsync(section.GetByRole(AriaRole.Img, new() { Name = "Your profile photo" }));
            await page.Page.Mouse.MoveAsync(0, 0);
            var results = await page.Page.RunAxe();
            foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
                failures.AppendLine($"settings ({theme}): {violation.Impact} {violation.Id} — {violation.Help}: {string.Join(", ", violation.Nodes.Select(n => n.Target))}");
            await section.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDir, $"photo-settings-{theme}-1280.png") });
            await page.Page.SetViewportSizeAsync(390, 900);
            await Expect(page.Page.Locator(".mud-drawer--open")).ToHaveCountAsync(0);
            await section.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDir, $"photo-settings-{theme}-390.png") });
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task Undo_in_the_snackbar_after_unfriending_brings_the_friend_back()
    {
        var (uliName, vicName) = (Unique("uli"), Unique("vic"));
        var uli = await fixture.App.CreateUserAsync(uliName, "Uli Undoer");
        var vic = await fixture.App.CreateUserAsync(vicName, "Vic Kept");
        await MakeFriendsAsync(uli.Id, vic.Id);
        await using var page = await fixture.OpenAsUserAsync(uliName);

        await page.Button("Unfriend Vic Kept").ClickAsync();
        await page.Button("Unfriend").ClickAsync();
        await Expect(page.Button("Unfriend Vic Kept")).ToHaveCountAsync(0);
        var snackbar = page.Page.Locator(".mud-snackbar", new() { HasText = "You are no longer friends with Vic Kept" });
        await AssertAnnouncedOnceAsync(snackbar, "status");

        await snackbar.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();

        await Expect(page.Page.GetByText("You and Vic Kept are friends again")).ToBeVisibleAsync();
        await Expect(page.Button("Unfriend Vic Kept")).ToBeVisibleAsync(new() { Timeout = 15000 });
        Assert.Single((await fixture.App.Get<FriendshipService>().GetFriendsAsync(vic.Id, 0, 10)).Items, f => f.Id == uli.Id);
    }

    [Fact]
    public async Task A_warning_snackbar_is_one_alert_and_not_also_a_polite_live_region()
    {
        var name = Unique("mod");
        await fixture.App.CreateUserAsync(name, "Mo Derator");
        await fixture.App.Get<ModerationService>().GrantAsync(name);
        await using var page = await fixture.OpenAsUserAsync(name, "/moderation");

        await page.Button("Make moderator").ClickAsync();

        var snackbar = page.Page.Locator(".mud-snackbar", new() { HasText = "Enter the username of the person to make a moderator." });
        await AssertAnnouncedOnceAsync(snackbar, "alert");
    }

    /// <summary>Exactly one way of being announced: the expected role, and no aria-live beside it.</summary>
    private static async Task AssertAnnouncedOnceAsync(ILocator snackbar, string role)
    {
        await Expect(snackbar).ToBeVisibleAsync();
        await Expect(snackbar).ToHaveAttributeAsync("role", role);
        await Expect(snackbar).Not.ToHaveAttributeAsync("aria-live", new System.Text.RegularExpressions.Regex(".*"));
        Assert.Equal(0, await snackbar.Locator("[role=alert], [role=status], [aria-live]").CountAsync());
    }

    private static async Task AssertLoadedAsync(ILocator image)
    {
        await Expect(image).ToBeVisibleAsync();
        await image.First.EvaluateAsync("img => img.complete ? null : new Promise(r => { img.onload = r; img.onerror = r; })");
        Assert.True(await image.First.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The photo did not load.");
    }
}
