using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>The four user journeys, two people in two browser contexts, every update arriving without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(BrowserFixture fixture)
{
    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task A_new_user_joins_finds_someone_and_the_request_reaches_them_live()
    {
        var bobName = Unique("bob");
        await fixture.App.CreateUserAsync(bobName, "Bob Builder");
        await using var bob = await fixture.OpenAsUserAsync(bobName);
        await bob.MarkPageAsync();

        // A visitor sees the directory, then joins with a username and a password.
        await using var visitor = await fixture.OpenAnonymousAsync("/");
        await Expect(visitor.Page.GetByRole(AriaRole.Heading, new() { Name = "People on FriendConnect" })).ToBeVisibleAsync();
        await visitor.Page.GetByRole(AriaRole.Link, new() { Name = "Join FriendConnect" }).First.ClickAsync();
        var newName = Unique("newbie");
        await visitor.Page.GetByLabel("Username").FillAsync(newName);
        await visitor.Page.GetByLabel("Display name (optional)").FillAsync("Nina Newcomer");
        await visitor.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("Fresh!pass123");
        await visitor.Page.GetByLabel("Confirm password").FillAsync("Fresh!pass123");
        await visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        // Signed in now: the same pages open a circuit.
        visitor.SignedIn = true;
        await visitor.WaitInteractiveAsync();
        await Expect(visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync();

        // She searches the directory and opens Bob's profile.
        await visitor.Page.GetByLabel("Search people").FillAsync(bobName);
        var bobLink = visitor.Page.GetByRole(AriaRole.Link, new() { Name = "Bob Builder" });
        await Expect(bobLink).ToHaveCountAsync(1);
        await bobLink.ClickAsync();
        await Expect(visitor.Page.GetByRole(AriaRole.Heading, new() { Name = "Bob Builder" })).ToBeVisibleAsync();
        await visitor.ScreenshotAsync("journey1-profile");
        await visitor.Button("Add friend Bob Builder").ClickAsync();
        await Expect(visitor.Button("Cancel request to Bob Builder")).ToBeVisibleAsync();

        // Bob, signed in elsewhere, sees it arrive: snackbar, bell count and incoming request.
        await Expect(bob.Page.GetByText("Nina Newcomer sent you a friend request")).ToBeVisibleAsync();
        await Expect(bob.Bell).ToHaveAccessibleNameAsync("Notifications, 1 unread");
        await Expect(bob.Button("Accept friend request from Nina Newcomer")).ToBeVisibleAsync();
        await bob.ScreenshotAsync("journey1-invitee-dashboard");
        await bob.AssertNotReloadedAsync();
    }

    [Fact]
    public async Task Accepting_confirms_to_the_sender_live_and_both_friends_lists_update()
    {
        var (annaName, benName) = (Unique("anna"), Unique("ben"));
        await fixture.App.CreateUserAsync(annaName, "Anna Sender");
        await fixture.App.CreateUserAsync(benName, "Ben Invitee");
        await using var anna = await fixture.OpenAsUserAsync(annaName);
        await using var ben = await fixture.OpenAsUserAsync(benName);
        await anna.MarkPageAsync();
        await ben.MarkPageAsync();

        await using (var annaProfileTab = await anna.NewTabAsync($"/u/{benName}"))
        {
            await annaProfileTab.Button("Add friend Ben Invitee").ClickAsync();
            await Expect(annaProfileTab.Button("Cancel request to Ben Invitee")).ToBeVisibleAsync();
        }

        // Anna's own dashboard lists the outgoing request; Ben's lists it as incoming.
        await Expect(anna.Button("Cancel request to Ben Invitee")).ToBeVisibleAsync();
        await ben.Button("Accept friend request from Anna Sender").ClickAsync();

        await Expect(anna.Page.GetByText("Ben Invitee accepted your friend request")).ToBeVisibleAsync();
        await Expect(anna.Button("Unfriend Ben Invitee")).ToBeVisibleAsync();
        await Expect(ben.Button("Unfriend Anna Sender")).ToBeVisibleAsync();
        await Expect(anna.Button("Cancel request to Ben Invitee")).ToHaveCountAsync(0);
        await anna.ScreenshotAsync("journey2-sender-after-accept");
        await anna.AssertNotReloadedAsync();
        await ben.AssertNotReloadedAsync();
    }

    [Fact]
    public async Task Declining_removes_the_request_for_both_and_a_sender_can_cancel()
    {
        var (carlName, dianaName) = (Unique("carl"), Unique("diana"));
        var carl = await fixture.App.CreateUserAsync(carlName, "Carl Asker");
        var diana = await fixture.App.CreateUserAsync(dianaName, "Diana Decider");
        await using var carlPage = await fixture.OpenAsUserAsync(carlName);
        await using var dianaPage = await fixture.OpenAsUserAsync(dianaName);
        await carlPage.MarkPageAsync();
        await dianaPage.MarkPageAsync();
        var friendships = fixture.App.Get<FriendConnect.Domain.Friendships.FriendshipService>();

        await friendships.SendRequestAsync(carl.Id, diana.Id);
        await Expect(carlPage.Button("Cancel request to Diana Decider")).ToBeVisibleAsync();
        await dianaPage.Button("Decline friend request from Carl Asker").ClickAsync();
        await Expect(carlPage.Button("Cancel request to Diana Decider")).ToHaveCountAsync(0);
        await Expect(dianaPage.Button("Accept friend request from Carl Asker")).ToHaveCountAsync(0);
        await Expect(carlPage.Page.GetByText("declined", new() { Exact = false })).ToHaveCountAsync(0);

        // A new request, then the sender takes it back: it disappears from Diana's page and her bell.
        await friendships.SendRequestAsync(carl.Id, diana.Id);
        await Expect(dianaPage.Button("Accept friend request from Carl Asker")).ToBeVisibleAsync();
        await Expect(dianaPage.Bell).ToHaveAccessibleNameAsync("Notifications, 1 unread");
        await carlPage.Button("Cancel request to Diana Decider").ClickAsync();
        await Expect(dianaPage.Button("Accept friend request from Carl Asker")).ToHaveCountAsync(0);
        await Expect(dianaPage.Bell).ToHaveAccessibleNameAsync("Notifications");
        await carlPage.AssertNotReloadedAsync();
        await dianaPage.AssertNotReloadedAsync();
    }

    [Fact]
    public async Task A_posted_status_reaches_every_open_tab_of_a_friend_and_reading_in_one_tab_clears_the_others()
    {
        var (eveName, finnName) = (Unique("eve"), Unique("finn"));
        var eve = await fixture.App.CreateUserAsync(eveName, "Eve Poster");
        var finn = await fixture.App.CreateUserAsync(finnName, "Finn Reader");
        await MakeFriendsAsync(eve.Id, finn.Id);

        await using var evePage = await fixture.OpenAsUserAsync(eveName, "/u/" + finnName);
        await using var finnTab1 = await fixture.OpenAsUserAsync(finnName);
        await using var finnTab2 = await finnTab1.NewTabAsync("/");
        await finnTab1.MarkPageAsync();
        await finnTab2.MarkPageAsync();

        // Eve posts from the app bar.
        await evePage.Button("Set status").First.ClickAsync();
        await evePage.Page.GetByLabel("What's on your mind?").FillAsync("Picnic at the lake at 5, who's in?");
        await evePage.Button("Save status").ClickAsync();
        await Expect(evePage.Page.GetByText("Status updated")).ToBeVisibleAsync();

        // Finn's dashboard: feed, friends list and bell all update; his other tab's bell too.
        var feed = finnTab1.Page.GetByRole(AriaRole.List, new() { Name = "Feed" });
        await Expect(feed.GetByText("Picnic at the lake at 5, who's in?")).ToBeVisibleAsync();
        var friends = finnTab1.Page.GetByRole(AriaRole.List, new() { Name = "Friends" });
        await Expect(friends.GetByText("Picnic at the lake at 5, who's in?", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(finnTab1.Bell).ToHaveAccessibleNameAsync("Notifications, 1 unread");
        await Expect(finnTab2.Bell).ToHaveAccessibleNameAsync("Notifications, 1 unread");
        // The other tab (the directory) toasts the news; the dashboard shows it in place, marked new, and toasts nothing twice.
        await Expect(finnTab2.Page.Locator(".mud-snackbar", new() { HasText = "Eve Poster: Picnic at the lake" })).ToBeVisibleAsync();
        await Expect(feed.GetByText("New", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(finnTab1.Page.Locator(".mud-snackbar", new() { HasText = "Eve Poster" })).ToHaveCountAsync(0);
        await finnTab1.ScreenshotAsync("journey4-friend-feed");

        // Reading in one tab updates the count in the other.
        await finnTab2.Bell.ClickAsync();
        await Expect(finnTab2.Page.GetByText("Eve Poster posted: “Picnic at the lake at 5, who's in?”")).ToBeVisibleAsync();
        await finnTab2.ScreenshotAsync("journey4-notifications-menu");
        await finnTab2.Button("Mark all read").ClickAsync();
        await Expect(finnTab1.Bell).ToHaveAccessibleNameAsync("Notifications");
        await finnTab1.AssertNotReloadedAsync();
        await finnTab2.AssertNotReloadedAsync();
    }

    [Fact]
    public async Task A_returning_user_sees_friends_feed_and_requests_and_can_unfriend()
    {
        var (gusName, hanaName, ivoName) = (Unique("gus"), Unique("hana"), Unique("ivo"));
        var gus = await fixture.App.CreateUserAsync(gusName, "Gus Returning");
        var hana = await fixture.App.CreateUserAsync(hanaName, "Hana Friend");
        var ivo = await fixture.App.CreateUserAsync(ivoName, "Ivo Asker");
        await MakeFriendsAsync(gus.Id, hana.Id);
        var statuses = fixture.App.Get<FriendConnect.Domain.Statuses.StatusService>();
        await statuses.PostAsync(hana.Id, "Older news from Hana");
        await statuses.PostAsync(hana.Id, "Newest news from Hana");
        await fixture.App.Get<FriendConnect.Domain.Friendships.FriendshipService>().SendRequestAsync(ivo.Id, gus.Id);

        // Gus was offline for all of it: on return he sees the notifications (Hana accepted, two posts,
        // Ivo's request), the request and the feed.
        await using var gusPage = await fixture.OpenAsUserAsync(gusName);
        await Expect(gusPage.Bell).ToHaveAccessibleNameAsync("Notifications, 4 unread");
        await Expect(gusPage.Button("Accept friend request from Ivo Asker")).ToBeVisibleAsync();
        var feedItems = gusPage.Page.GetByRole(AriaRole.List, new() { Name = "Feed" }).GetByText("news from Hana");
        await Expect(feedItems).ToHaveTextAsync(["Newest news from Hana", "Older news from Hana"]);
        await gusPage.ScreenshotAsync("journey3-returning-dashboard");

        await gusPage.Button("Unfriend Hana Friend").ClickAsync();
        await gusPage.Button("Unfriend").ClickAsync();
        await Expect(gusPage.Button("Unfriend Hana Friend")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Expect(feedItems).ToHaveCountAsync(0);
        await Expect(gusPage.Button("Find friends in the directory")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_layout_works_at_phone_width()
    {
        var name = Unique("phone");
        await fixture.App.CreateUserAsync(name, "Pat Phone");
        await using var phone = await fixture.OpenAsUserAsync(name, "/dashboard", width: 390);
        await Expect(phone.Bell).ToBeVisibleAsync();
        await Expect(phone.Button("Save status")).ToBeVisibleAsync();
        var overflow = await phone.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The dashboard scrolls sideways at phone width.");
        await phone.ScreenshotAsync("phone-dashboard");
    }

    private async Task MakeFriendsAsync(string a, string b)
    {
        var friendships = fixture.App.Get<FriendConnect.Domain.Friendships.FriendshipService>();
        await friendships.SendRequestAsync(a, b);
        var accepted = await friendships.SendRequestAsync(b, a);
        Assert.Equal(FriendConnect.Domain.Friendships.SendRequestOutcome.BecameFriends, accepted.Value);
    }
}
