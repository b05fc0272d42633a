using FriendConnect.Domain.Common;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

public sealed class StatusTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private StatusService Statuses => _app.Get<StatusService>();
    private UserDirectory Directory => _app.Get<UserDirectory>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \t\r\n ")]
    public async Task Posting_an_empty_status_is_a_validation_error(string? text)
    {
        var alice = await _app.SeedUserAsync("alice");

        var result = await Statuses.PostAsync(alice.Id, text);

        Assert.Equal("Text", result.ShouldFailWith(ErrorKind.Validation).Field);
        await AssertNothingPostedAsync(alice);
    }

    [Fact]
    public async Task Posting_281_characters_is_a_validation_error()
    {
        var alice = await _app.SeedUserAsync("alice");

        var result = await Statuses.PostAsync(alice.Id, new string('x', 281));

        Assert.Contains("280", result.ShouldFailWith(ErrorKind.Validation).Message);
        await AssertNothingPostedAsync(alice);
    }

    [Fact]
    public async Task Posting_280_characters_with_surrounding_spaces_stores_them_trimmed()
    {
        var alice = await _app.SeedUserAsync("alice");
        var text = "a" + new string('b', 278) + "c";

        var result = await Statuses.PostAsync(alice.Id, "   " + text + " \n");

        result.ShouldSucceed();
        Assert.Equal(text, result.Value!.Text);
        await using var db = _app.NewDbContext();
        Assert.Equal(text, (await db.StatusUpdates.SingleAsync()).Text);
    }

    [Fact]
    public async Task Posting_a_single_character_is_allowed()
    {
        var alice = await _app.SeedUserAsync("alice");

        var result = await Statuses.PostAsync(alice.Id, " k ");

        result.ShouldSucceed();
        Assert.Equal("k", result.Value!.Text);
    }

    [Fact]
    public async Task Markup_in_a_status_is_stored_as_literal_text()
    {
        var alice = await _app.SeedUserAsync("alice");
        const string text = "<script>alert('hi')</script> & <b>bold</b> \"quoted\"";

        (await Statuses.PostAsync(alice.Id, text)).ShouldSucceed();

        await using var db = _app.NewDbContext();
        Assert.Equal(text, (await db.StatusUpdates.SingleAsync()).Text);
        Assert.Equal(text, (await Directory.GetProfileAsync(null, "alice")).Value!.User.StatusText);
    }

    [Fact]
    public async Task Posting_updates_the_authors_current_status()
    {
        var alice = await _app.SeedUserAsync("alice");
        await Statuses.PostAsync(alice.Id, "First");

        var posted = await Statuses.PostAsync(alice.Id, "Second");

        var profile = (await Directory.GetProfileAsync(null, "alice")).Value!;
        Assert.Equal("Second", profile.User.StatusText);
        Assert.Equal(posted.Value!.CreatedAt, profile.User.StatusAt);
    }

    [Fact]
    public async Task Posting_notifies_each_friend_once_and_no_one_else()
    {
        var (alice, friends, stranger) = await AuthorWithFriendsAsync(3);
        var notifications = _app.Get<NotificationService>();

        await Statuses.PostAsync(alice.Id, "Hello friends");

        foreach (var friend in friends)
        {
            var notification = Assert.Single(await notifications.GetRecentAsync(friend.Id, 10));
            Assert.Equal(NotificationKind.StatusPosted, notification.Kind);
            Assert.Equal(alice.Id, notification.Actor.Id);
            Assert.False(notification.IsRead);
            Assert.Equal(1, await notifications.GetUnreadCountAsync(friend.Id));
        }
        Assert.Empty(await notifications.GetRecentAsync(stranger.Id, 10));
        Assert.Empty(await notifications.GetRecentAsync(alice.Id, 10));
    }

    [Fact]
    public async Task A_post_writes_one_notification_row_however_many_friends_the_author_has()
    {
        var alice = await _app.SeedUserAsync("alice", "Alice");
        await _app.SeedFriendsAsync(alice, 2000);

        await Statuses.PostAsync(alice.Id, "Hello two thousand friends");

        await using var db = _app.NewDbContext();
        Assert.Equal(1, await db.Notifications.CountAsync());
    }

    [Fact]
    public async Task Posting_pushes_a_feed_event_with_a_message_to_friends_only()
    {
        var (alice, friends, stranger) = await AuthorWithFriendsAsync(2);
        using var recorder = new LiveRecorder(_app.Live, [.. friends.Select(f => f.Id), stranger.Id]);

        (await Statuses.PostAsync(alice.Id, "Off to the beach")).ShouldSucceed();

        Assert.All(friends, f =>
        {
            var e = Assert.Single(recorder.For(f.Id));
            Assert.True(e.Changes.HasFlag(LiveChange.Feed));
            Assert.True(e.Changes.HasFlag(LiveChange.Notifications));
            Assert.Equal("Alice: Off to the beach", e.Message);
        });
        Assert.Empty(recorder.For(stranger.Id));
    }

    [Fact]
    public async Task The_feed_shows_the_readers_own_and_friends_statuses_newest_first()
    {
        var viewer = await _app.SeedUserAsync("viewer");
        var bob = await _app.SeedUserAsync("bob");
        var carol = await _app.SeedUserAsync("carol");
        var stranger = await _app.SeedUserAsync("stranger");
        await _app.MakeFriendsAsync(viewer, bob);
        await _app.MakeFriendsAsync(viewer, carol);
        await Statuses.PostAsync(bob.Id, "bob 1");
        await Statuses.PostAsync(stranger.Id, "stranger 1");
        await Statuses.PostAsync(carol.Id, "carol 1");
        await Statuses.PostAsync(viewer.Id, "my own");
        await Statuses.PostAsync(bob.Id, "bob 2");

        var feed = await Statuses.GetFeedAsync(viewer.Id, null, 20);

        Assert.Equal(["bob 2", "my own", "carol 1", "bob 1"], feed.Items.Select(i => i.Text));
        Assert.Null(feed.Next);
    }

    [Fact]
    public async Task Paging_the_feed_returns_every_status_exactly_once()
    {
        var (viewer, friends, stranger) = await AuthorWithFriendsAsync(3);
        var posted = new List<long>();
        for (var i = 0; i < 45; i++)
        {
            posted.Add((await Statuses.PostAsync(friends[i % 3].Id, $"status {i}")).Value!.StatusId);
            if (i % 10 == 0) await Statuses.PostAsync(stranger.Id, $"noise {i}");
        }

        var pages = await ReadWholeFeedAsync(viewer.Id, 20);

        Assert.Equal([20, 20, 5], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(Enumerable.Reverse(posted), all.Select(i => i.StatusId));
        Assert.Equal(all.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.StatusId), all);
    }

    [Fact]
    public async Task A_feed_that_fills_its_last_page_exactly_has_no_next_page()
    {
        var (viewer, friends, _) = await AuthorWithFriendsAsync(1);
        for (var i = 0; i < 40; i++) await Statuses.PostAsync(friends[0].Id, $"status {i}");

        var pages = await ReadWholeFeedAsync(viewer.Id, 20);

        Assert.Equal([20, 20], pages.Select(p => p.Count));
    }

    [Fact]
    public async Task Paging_the_feed_returns_every_status_exactly_once_when_times_are_equal()
    {
        var (viewer, friends, _) = await AuthorWithFriendsAsync(2);
        var at = new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc);
        await using (var db = _app.NewDbContext())
        {
            // Eight statuses share each timestamp, so page boundaries fall inside a tie.
            db.StatusUpdates.AddRange(Enumerable.Range(0, 45).Select(i => new StatusUpdate
            {
                AuthorId = friends[i % 2].Id, Text = $"tied {i}", CreatedAt = at.AddMinutes(i / 8),
            }));
            await db.SaveChangesAsync();
        }

        var pages = await ReadWholeFeedAsync(viewer.Id, 20);

        var ids = pages.SelectMany(p => p).Select(i => i.StatusId).ToList();
        Assert.Equal(45, ids.Count);
        Assert.Equal(45, ids.Distinct().Count());
    }

    [Fact]
    public async Task Hidden_statuses_are_left_out_of_the_feed()
    {
        var (viewer, friends, _) = await AuthorWithFriendsAsync(1);
        var visible = (await Statuses.PostAsync(friends[0].Id, "visible")).Value!;
        var hidden = (await Statuses.PostAsync(friends[0].Id, "hidden")).Value!;
        await using (var db = _app.NewDbContext())
            await db.StatusUpdates.Where(s => s.Id == hidden.StatusId).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsHidden, true));

        var feed = await Statuses.GetFeedAsync(viewer.Id, null, 20);

        Assert.Equal(visible.StatusId, Assert.Single(feed.Items).StatusId);
    }

    private async Task<List<List<FeedItem>>> ReadWholeFeedAsync(string viewerId, int pageSize)
    {
        var pages = new List<List<FeedItem>>();
        FeedCursor? cursor = null;
        do
        {
            var page = await Statuses.GetFeedAsync(viewerId, cursor, pageSize);
            pages.Add([.. page.Items]);
            cursor = page.Next;
            Assert.True(pages.Count < 20, "The feed never reached its last page.");
        } while (cursor is not null);
        return pages;
    }

    private async Task<(User Author, IReadOnlyList<User> Friends, User Stranger)> AuthorWithFriendsAsync(int friendCount)
    {
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var friends = await _app.SeedUsersAsync(Enumerable.Range(0, friendCount).Select(i => ($"friend{i}", $"Friend {i}")));
        var stranger = await _app.SeedUserAsync("stranger", "Stranger");
        foreach (var friend in friends) await _app.MakeFriendsAsync(alice, friend);
        return (alice, friends, stranger);
    }

    private async Task AssertNothingPostedAsync(User author)
    {
        await using var db = _app.NewDbContext();
        Assert.Equal(0, await db.StatusUpdates.CountAsync());
        Assert.Null((await Directory.GetSummaryAsync(author.Id))!.StatusText);
    }
}
