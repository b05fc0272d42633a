using AngleSharp.Dom;
using Bunit;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Components;

public sealed class NotificationBellTests : ComponentTestContext
{
    private FriendshipService Friendships => App.Get<FriendshipService>();
    private NotificationService Notifications => App.Get<NotificationService>();

    [Fact]
    public async Task Shows_the_exact_unread_count_from_the_database()
    {
        var (alice, bob, carol, dave) = (await User("alice", "Alice"), await User("bob", "Bob"),
            await User("carol", "Carol"), await User("dave", "Dave"));
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        await Friendships.SendRequestAsync(carol.Id, bob.Id);
        // Dave's request is answered, which marks its notification read: three rows, two unread.
        await Friendships.SendRequestAsync(dave.Id, bob.Id);
        var fromDave = (await Friendships.GetIncomingAsync(bob.Id)).Single(r => r.OtherUser.Id == dave.Id);
        Assert.True((await Friendships.AcceptAsync(fromDave.Id, bob.Id)).Succeeded);
        await using (var db = App.NewDbContext())
            Assert.Equal(3, await db.Notifications.CountAsync(n => n.RecipientId == bob.Id));
        Assert.Equal(2, await Notifications.GetUnreadCountAsync(bob.Id));
        SignIn(bob);

        var cut = Render<NotificationBell>();

        ByLabel(cut, "Notifications, 2 unread");
        Assert.Equal("2", BadgeText(cut));
    }

    [Fact]
    public async Task Shows_no_count_when_everything_is_read()
    {
        var bob = await User("bob", "Bob");
        SignIn(bob);

        var cut = Render<NotificationBell>();

        ByLabel(cut, "Notifications");
        Assert.Null(BadgeText(cut));
    }

    [Fact]
    public async Task Counts_up_live_when_another_user_sends_a_request()
    {
        var alice = await User("alice", "Alice");
        var bob = await User("bob", "Bob");
        var carol = await User("carol", "Carol");
        SignIn(bob);
        var cut = Render<NotificationBell>();
        await StartLiveSessionAsync();
        ByLabel(cut, "Notifications");

        // Another circuit acts; the test does not re-render the bell.
        await Friendships.SendRequestAsync(alice.Id, bob.Id);

        cut.WaitForAssertion(() => ByLabel(cut, "Notifications, 1 unread"));
        Assert.Equal("1", BadgeText(cut));

        // Carol's request comes and goes (accepting marks it read); then her status adds a second one.
        await MakeFriendsAsync(carol, bob);
        await App.Get<StatusService>().PostAsync(carol.Id, "Off to the beach");

        cut.WaitForAssertion(() => ByLabel(cut, "Notifications, 2 unread"));
        Assert.Equal("2", BadgeText(cut));
    }

    [Fact]
    public async Task Drops_to_zero_live_when_everything_is_marked_read_in_another_tab()
    {
        var alice = await User("alice", "Alice");
        var bob = await User("bob", "Bob");
        var carol = await User("carol", "Carol");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        await Friendships.SendRequestAsync(carol.Id, bob.Id);
        SignIn(bob);
        var cut = Render<NotificationBell>();
        await StartLiveSessionAsync();
        ByLabel(cut, "Notifications, 2 unread");

        await Notifications.MarkAllReadAsync(bob.Id);

        cut.WaitForAssertion(() => ByLabel(cut, "Notifications"));
        Assert.Null(BadgeText(cut));
    }

    [Fact]
    public async Task Opening_the_bell_lists_the_notification_texts_newest_first()
    {
        var alice = await User("alice", "Alice");
        var bob = await User("bob", "Bob");
        var carol = await User("carol", "Carol");
        await MakeFriendsAsync(carol, bob);
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        await App.Get<StatusService>().PostAsync(carol.Id, "Off to the beach");
        SignIn(bob);
        var providers = RenderProviders();
        var cut = Render<NotificationBell>();
        Assert.DoesNotContain("Alice sent you a friend request", providers.Markup);
        Assert.Equal("false", ByLabel(cut, "Notifications, 2 unread").GetAttribute("aria-expanded"));

        await ByLabel(cut, "Notifications, 2 unread").ClickAsync(new MouseEventArgs());

        cut.WaitForAssertion(() => Assert.Equal(
            ["Carol posted: “Off to the beach”", "Alice sent you a friend request", "Carol sent you a friend request"],
            NotificationTexts(providers)));
        Assert.Equal("true", ByLabel(cut, "Notifications, 2 unread").GetAttribute("aria-expanded"));
        Assert.Equal("dialog", ByLabel(providers, "Notifications list").GetAttribute("role"));
        // Opening the list reads nothing: the count stays until an item is chosen or all are marked read.
        Assert.Equal(2, await Notifications.GetUnreadCountAsync(bob.Id));
        AssertNoUnhandledException();
    }

    [Fact]
    public async Task A_status_with_markup_is_listed_as_literal_text()
    {
        var bob = await User("bob", "Bob");
        var carol = await User("carol", "Carol");
        await MakeFriendsAsync(carol, bob);
        await App.Get<StatusService>().PostAsync(carol.Id, "<b>hi</b><script>alert(1)</script>");
        SignIn(bob);
        var providers = RenderProviders();
        var cut = Render<NotificationBell>();

        await ByLabel(cut, "Notifications, 1 unread").ClickAsync(new MouseEventArgs());

        cut.WaitForAssertion(() => Assert.Contains(
            "Carol posted: “<b>hi</b><script>alert(1)</script>”", NotificationTexts(providers)));
        Assert.Empty(providers.FindAll("script"));
        Assert.DoesNotContain(providers.FindAll("b"), b => b.TextContent == "hi");
    }

    [Fact]
    public async Task Mark_all_read_in_the_list_clears_the_count_in_the_database_and_the_bell()
    {
        var alice = await User("alice", "Alice");
        var bob = await User("bob", "Bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        SignIn(bob);
        var providers = RenderProviders();
        var cut = Render<NotificationBell>();
        await StartLiveSessionAsync();
        await ByLabel(cut, "Notifications, 1 unread").ClickAsync(new MouseEventArgs());
        var markAll = WaitFor(cut, () => ButtonWithText(providers, "Mark all read"));

        await markAll.ClickAsync(new MouseEventArgs());

        cut.WaitForAssertion(() => ByLabel(cut, "Notifications"));
        Assert.Equal(0, await Notifications.GetUnreadCountAsync(bob.Id));
        Assert.Null(BadgeText(cut));
        AssertNoUnhandledException();
    }

    [Fact]
    public async Task Choosing_a_notification_marks_it_read_and_goes_to_the_dashboard()
    {
        var alice = await User("alice", "Alice");
        var bob = await User("bob", "Bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        SignIn(bob);
        var providers = RenderProviders();
        var cut = Render<NotificationBell>();
        await StartLiveSessionAsync();
        await ByLabel(cut, "Notifications, 1 unread").ClickAsync(new MouseEventArgs());
        var item = WaitFor(cut, () => ButtonWithText(providers, "Alice sent you a friend request"));

        await item.ClickAsync(new MouseEventArgs());

        Assert.Equal(0, await Notifications.GetUnreadCountAsync(bob.Id));
        Assert.EndsWith("/dashboard", Services.GetRequiredService<NavigationManager>().Uri);
        cut.WaitForAssertion(() => ByLabel(cut, "Notifications"));
    }

    private Task<User> User(string userName, string displayName) => App.CreateUserAsync(userName, displayName);

    /// <summary><paramref name="from"/> asks, <paramref name="to"/> accepts: <paramref name="to"/> keeps one read notification.</summary>
    private async Task MakeFriendsAsync(User from, User to)
    {
        Assert.True((await Friendships.SendRequestAsync(from.Id, to.Id)).Succeeded);
        var request = Assert.Single(await Friendships.GetIncomingAsync(to.Id), r => r.OtherUser.Id == from.Id);
        Assert.True((await Friendships.AcceptAsync(request.Id, to.Id)).Succeeded);
    }

    /// <summary>The number on the badge, or null when no badge is shown.</summary>
    private static string? BadgeText(IRenderedComponent<NotificationBell> cut) =>
        cut.FindAll(".mud-badge").SingleOrDefault()?.TextContent.Trim();

    private static IReadOnlyList<string> NotificationTexts(IRenderedComponent<IComponent> providers) =>
        providers.FindAll(".notification-text").Select(e => e.TextContent.Trim()).ToList();

    private static IElement ButtonWithText(IRenderedComponent<IComponent> providers, string text) =>
        providers.FindAll("button").Single(b => b.TextContent.Contains(text, StringComparison.Ordinal));
}
