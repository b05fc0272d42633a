using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

public sealed class NotificationTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private NotificationService Notifications => _app.Get<NotificationService>();
    private FriendshipService Friendships => _app.Get<FriendshipService>();
    private StatusService Statuses => _app.Get<StatusService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task The_unread_count_is_exactly_the_unread_notifications_of_the_user()
    {
        var (reader, alice, bob) = await ReaderWithTwoFriendsAsync();
        var dave = await _app.SeedUserAsync("dave", "Dave");
        await Statuses.PostAsync(alice.Id, "one");
        await Statuses.PostAsync(alice.Id, "two");
        await Statuses.PostAsync(bob.Id, "three");
        await Friendships.SendRequestAsync(dave.Id, reader.Id);
        await Friendships.SendRequestAsync(dave.Id, alice.Id);

        Assert.Equal(4, await Notifications.GetUnreadCountAsync(reader.Id));
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(alice.Id));
        Assert.Equal(0, await Notifications.GetUnreadCountAsync(dave.Id));
    }

    [Fact]
    public async Task Recent_notifications_are_newest_first_and_say_what_happened()
    {
        var reader = await _app.SeedUserAsync("reader", "Reader");
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        await Friendships.SendRequestAsync(alice.Id, reader.Id);
        await Friendships.SendRequestAsync(reader.Id, bob.Id);
        await Friendships.AcceptAsync(Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id, bob.Id);
        await Statuses.PostAsync(bob.Id, "Hello <world>");

        var recent = await Notifications.GetRecentAsync(reader.Id, 10);

        Assert.Equal(
            ["Bob posted: “Hello <world>”", "Bob accepted your friend request", "Alice sent you a friend request"],
            recent.Select(n => n.Text));
        Assert.Equal(
            [NotificationKind.StatusPosted, NotificationKind.FriendRequestAccepted, NotificationKind.FriendRequestReceived],
            recent.Select(n => n.Kind));
        Assert.Equal([bob.Id, bob.Id, alice.Id], recent.Select(n => n.Actor.Id));
        Assert.Equal(recent.OrderByDescending(n => n.CreatedAt), recent);
    }

    [Fact]
    public async Task Recent_notifications_page_backwards_from_the_oldest_id_seen()
    {
        var (reader, alice, _) = await ReaderWithTwoFriendsAsync();
        for (var i = 0; i < 5; i++) await Statuses.PostAsync(alice.Id, $"post {i}");

        var first = await Notifications.GetRecentAsync(reader.Id, 3);
        var second = await Notifications.GetRecentAsync(reader.Id, 3, first.Min(n => n.Id));

        Assert.Equal(
            ["post 4", "post 3", "post 2", "post 1", "post 0"],
            first.Concat(second).Select(n => n.Text.Replace("Alice posted: ", "").Trim('“', '”')));
    }

    [Fact]
    public async Task A_notification_about_a_hidden_status_goes_with_it()
    {
        var (reader, alice, _) = await ReaderWithTwoFriendsAsync();
        var posted = (await Statuses.PostAsync(alice.Id, "regrettable")).Value!;
        await using (var db = _app.NewDbContext())
            await db.StatusUpdates.Where(s => s.Id == posted.StatusId).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsHidden, true));

        Assert.Empty(await Notifications.GetRecentAsync(reader.Id, 10));
        Assert.Equal(0, await Notifications.GetUnreadCountAsync(reader.Id));
    }

    [Fact]
    public async Task Marking_one_notification_read_leaves_the_others_unread()
    {
        var (reader, alice, _) = await ReaderWithTwoFriendsAsync();
        for (var i = 0; i < 3; i++) await Statuses.PostAsync(alice.Id, $"post {i}");
        var middle = (await Notifications.GetRecentAsync(reader.Id, 10))[1];

        await Notifications.MarkReadAsync(reader.Id, middle.Id);

        Assert.Equal(2, await Notifications.GetUnreadCountAsync(reader.Id));
        Assert.Equal([false, true, false], (await Notifications.GetRecentAsync(reader.Id, 10)).Select(n => n.IsRead));
    }

    [Fact]
    public async Task Marking_all_read_clears_the_unread_count_of_that_user_only()
    {
        var (reader, alice, bob) = await ReaderWithTwoFriendsAsync();
        await _app.MakeFriendsAsync(alice, bob);
        await Statuses.PostAsync(alice.Id, "one");
        await Statuses.PostAsync(bob.Id, "two");

        await Notifications.MarkAllReadAsync(reader.Id);

        Assert.Equal(0, await Notifications.GetUnreadCountAsync(reader.Id));
        Assert.All(await Notifications.GetRecentAsync(reader.Id, 10), n => Assert.True(n.IsRead));
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(bob.Id));
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(alice.Id));
    }

    [Fact]
    public async Task Marking_another_users_notification_read_changes_nothing()
    {
        var (reader, alice, bob) = await ReaderWithTwoFriendsAsync();
        await Statuses.PostAsync(alice.Id, "one");
        var readersNotification = Assert.Single(await Notifications.GetRecentAsync(reader.Id, 10));
        using var recorder = new LiveRecorder(_app.Live, reader.Id, bob.Id);

        await Notifications.MarkReadAsync(bob.Id, readersNotification.Id);

        Assert.Equal(1, await Notifications.GetUnreadCountAsync(reader.Id));
        Assert.False(Assert.Single(await Notifications.GetRecentAsync(reader.Id, 10)).IsRead);
        Assert.Empty(recorder.For(reader.Id));
        Assert.Empty(recorder.For(bob.Id));
    }

    [Fact]
    public async Task Marking_a_notification_read_tells_every_tab_of_the_reader()
    {
        var (reader, alice, _) = await ReaderWithTwoFriendsAsync();
        await Statuses.PostAsync(alice.Id, "one");
        var notification = Assert.Single(await Notifications.GetRecentAsync(reader.Id, 10));
        using var firstTab = new LiveRecorder(_app.Live, reader.Id);
        using var secondTab = new LiveRecorder(_app.Live, reader.Id, alice.Id);

        await Notifications.MarkReadAsync(reader.Id, notification.Id);

        Assert.True(Assert.Single(firstTab.For(reader.Id)).Changes.HasFlag(LiveChange.Notifications));
        Assert.True(Assert.Single(secondTab.For(reader.Id)).Changes.HasFlag(LiveChange.Notifications));
        Assert.Empty(secondTab.For(alice.Id));
    }

    [Fact]
    public async Task Marking_all_read_tells_every_tab_of_the_reader()
    {
        var (reader, alice, _) = await ReaderWithTwoFriendsAsync();
        await Statuses.PostAsync(alice.Id, "one");
        using var firstTab = new LiveRecorder(_app.Live, reader.Id);
        using var secondTab = new LiveRecorder(_app.Live, reader.Id);

        await Notifications.MarkAllReadAsync(reader.Id);

        Assert.True(Assert.Single(firstTab.For(reader.Id)).Changes.HasFlag(LiveChange.Notifications));
        Assert.True(Assert.Single(secondTab.For(reader.Id)).Changes.HasFlag(LiveChange.Notifications));
    }

    [Fact]
    public async Task Friends_posts_counted_when_read_keep_the_unread_count_the_list_and_resumption_exact()
    {
        var (reader, alice, bob) = await ReaderWithTwoFriendsAsync();
        var dave = await _app.SeedUserAsync("dave", "Dave");
        await _app.MakeFriendsAsync(alice, bob);
        await Statuses.PostAsync(alice.Id, "one");
        await Friendships.SendRequestAsync(dave.Id, reader.Id);
        await Statuses.PostAsync(bob.Id, "two");
        await Statuses.PostAsync(alice.Id, "three");

        var all = await Notifications.GetAfterAsync(reader.Id, 0, 100);
        Assert.Equal(4, all.Count);
        Assert.Equal(all.Select(n => n.Id).Order(), all.Select(n => n.Id));
        Assert.Equal(all.Select(n => n.Id).Reverse(), (await Notifications.GetRecentAsync(reader.Id, 10)).Select(n => n.Id));
        Assert.Equal(all.Skip(2).Select(n => n.Id), (await Notifications.GetAfterAsync(reader.Id, all[1].Id, 100)).Select(n => n.Id));
        Assert.Equal(all[^1].Id, await Notifications.GetLatestIdAsync(reader.Id));
        Assert.Equal(4, await Notifications.GetUnreadCountAsync(reader.Id));
        // Each friend reads their own copy: one reader's read leaves the other's unread.
        Assert.Equal(2, await Notifications.GetUnreadCountAsync(bob.Id));

        (await Notifications.MarkReadAsync(reader.Id, all[0].Id)).ShouldSucceed();
        Assert.Equal(3, await Notifications.GetUnreadCountAsync(reader.Id));
        Assert.True((await Notifications.GetRecentAsync(reader.Id, 10)).Single(n => n.Id == all[0].Id).IsRead);
        Assert.Equal(2, await Notifications.GetUnreadCountAsync(bob.Id));
        (await Notifications.MarkReadAsync(dave.Id, all[0].Id)).ShouldFailWith(FriendConnect.Domain.Common.ErrorKind.NotFound);

        await Notifications.MarkAllReadAsync(reader.Id);
        Assert.Equal(0, await Notifications.GetUnreadCountAsync(reader.Id));
        Assert.All(await Notifications.GetRecentAsync(reader.Id, 10), n => Assert.True(n.IsRead));

        await Statuses.PostAsync(bob.Id, "four");
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(reader.Id));
        var newest = Assert.Single(await Notifications.GetAfterAsync(reader.Id, all[^1].Id, 100));
        Assert.Contains("four", newest.Text);
    }

    private async Task<(User Reader, User Alice, User Bob)> ReaderWithTwoFriendsAsync()
    {
        var reader = await _app.SeedUserAsync("reader", "Reader");
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        await _app.MakeFriendsAsync(reader, alice);
        await _app.MakeFriendsAsync(reader, bob);
        return (reader, alice, bob);
    }
}
