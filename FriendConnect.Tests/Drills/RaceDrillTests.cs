using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Domain;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Drills;

/// <summary>
/// Races the database must settle, run for real: many callers start at the same instant (a shared gate) against one
/// SQLite file through the domain services, and the tests count the rows that result.
/// </summary>
public sealed class RaceDrillTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private FriendshipService Friendships => _app.Get<FriendshipService>();
    private StatusService Statuses => _app.Get<StatusService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    /// <summary>Starts every action on the thread pool and releases them together.</summary>
    private static async Task<T[]> AllAtOnceAsync<T>(int count, Func<int, Task<T>> action)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await action(i);
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task A_hundred_parallel_accepts_of_one_request_make_exactly_one_friendship()
    {
        var (sender, addressee) = await PairAsync("sender", "addressee");
        Assert.Equal(SendRequestOutcome.RequestSent, (await Friendships.SendRequestAsync(sender.Id, addressee.Id)).Value);
        long requestId;
        await using (var db = _app.NewDbContext())
            requestId = await db.FriendRequests.Where(r => r.FromUserId == sender.Id).Select(r => r.Id).SingleAsync();

        var results = await AllAtOnceAsync(100, _ => Friendships.AcceptAsync(requestId, addressee.Id));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ErrorKind.Conflict, r.Error!.Kind));
        await using var check = _app.NewDbContext();
        Assert.Equal(2, await check.Friendships.CountAsync());
        Assert.Equal(1, await check.Friendships.CountAsync(f => f.UserId == sender.Id && f.FriendId == addressee.Id));
        Assert.Equal(FriendRequestState.Accepted, (await check.FriendRequests.SingleAsync()).State);
        Assert.Equal(1, await check.Notifications.CountAsync(n => n.Kind == NotificationKind.FriendRequestAccepted));
    }

    [Fact]
    public async Task Two_people_requesting_each_other_at_the_same_instant_become_friends_once_a_hundred_times_over()
    {
        const int Pairs = 100;
        var users = await _app.SeedUsersAsync(Enumerable.Range(0, Pairs * 2).Select(i => ($"racer{i:000}", $"Racer {i}")));

        // Every pair races at once: 200 callers, each sending to its partner.
        var results = await AllAtOnceAsync(Pairs * 2, i =>
        {
            var me = users[i];
            var partner = users[i % 2 == 0 ? i + 1 : i - 1];
            return Friendships.SendRequestAsync(me.Id, partner.Id);
        });

        await using var db = _app.NewDbContext();
        for (var p = 0; p < Pairs; p++)
        {
            var (a, b) = (users[2 * p], users[2 * p + 1]);
            var outcomes = new[] { results[2 * p], results[2 * p + 1] };
            // One request went first; the other side's "request" accepted it.
            Assert.All(outcomes, r => Assert.True(r.Succeeded, r.Succeeded ? "" : r.Error!.Message));
            Assert.Equal(
                [SendRequestOutcome.RequestSent, SendRequestOutcome.BecameFriends],
                outcomes.Select(r => r.Value).Order().ToArray());
            Assert.Equal(1, await db.Friendships.CountAsync(f => f.UserId == a.Id && f.FriendId == b.Id));
            Assert.Equal(1, await db.Friendships.CountAsync(f => f.UserId == b.Id && f.FriendId == a.Id));
        }
        Assert.Equal(Pairs * 2, await db.Friendships.CountAsync());
        Assert.Equal(0, await db.FriendRequests.CountAsync(r => r.State == FriendRequestState.Pending));
        Assert.Equal(Pairs, await db.FriendRequests.CountAsync(r => r.State == FriendRequestState.Accepted));
    }

    [Fact]
    public async Task A_double_submitted_status_is_posted_once()
    {
        var (author, friend) = await PairAsync("poster", "reader");
        await _app.MakeFriendsAsync(author, friend);
        using var recorder = new LiveRecorder(_app.Live, friend.Id);

        for (var round = 0; round < 10; round++)
        {
            var text = $"double click number {round}";
            var results = await AllAtOnceAsync(2, _ => Statuses.PostAsync(author.Id, text));

            Assert.All(results, r => Assert.True(r.Succeeded));
            // Both submissions answer with the one status that exists.
            Assert.Equal(results[0].Value!.StatusId, results[1].Value!.StatusId);
            await using var db = _app.NewDbContext();
            Assert.Equal(1, await db.StatusUpdates.CountAsync(s => s.AuthorId == author.Id && s.Text == text));
            Assert.Equal(1, await db.Notifications.CountAsync(n => n.Kind == NotificationKind.StatusPosted && n.SubjectId == results[0].Value!.StatusId));
            Assert.Single(await _app.Get<NotificationService>().GetRecentAsync(friend.Id, 50), n => n.Text.Contains(text));
            _app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        // One live push per status, not per submission.
        Assert.Equal(10, recorder.For(friend.Id).Count(e => e.Changes.HasFlag(LiveChange.Feed)));
    }

    [Fact]
    public async Task The_same_text_again_after_the_duplicate_window_is_a_new_status()
    {
        var (author, _) = await PairAsync("repeater", "someone");
        var first = (await Statuses.PostAsync(author.Id, "good morning")).Value!;
        _app.Clock.Advance(StatusService.DuplicateWindow + TimeSpan.FromSeconds(1));
        var second = (await Statuses.PostAsync(author.Id, "good morning")).Value!;
        var other = (await Statuses.PostAsync(author.Id, "good evening")).Value!;

        Assert.NotEqual(first.StatusId, second.StatusId);
        Assert.NotEqual(second.StatusId, other.StatusId);
        await using var db = _app.NewDbContext();
        Assert.Equal(3, await db.StatusUpdates.CountAsync(s => s.AuthorId == author.Id));
    }

    [Fact]
    public async Task Two_different_statuses_posted_at_once_are_both_kept()
    {
        var (author, _) = await PairAsync("busy", "idle");
        var results = await AllAtOnceAsync(2, i => Statuses.PostAsync(author.Id, $"thought {i}"));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.NotEqual(results[0].Value!.StatusId, results[1].Value!.StatusId);
        await using var db = _app.NewDbContext();
        Assert.Equal(2, await db.StatusUpdates.CountAsync(s => s.AuthorId == author.Id));
    }

    private async Task<(User, User)> PairAsync(string a, string b)
    {
        var users = await _app.SeedUsersAsync([(a, a), (b, b)]);
        return (users[0], users[1]);
    }
}

/// <summary>
/// The feed reads friend by friend up to 300 friends and newest-first over all updates above that (a performance
/// choice): both plans must give the same feed, pages included.
/// </summary>
public sealed class FeedPlanDrillTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private StatusService Statuses => _app.Get<StatusService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData(3)]
    [InlineData(301)]
    public async Task Both_feed_plans_page_through_exactly_the_friends_updates_newest_first(int friendCount)
    {
        var users = await _app.SeedUsersAsync(Enumerable.Range(0, 6).Select(i => ($"person{i}", $"Person {i}")));
        var (reader, friendA, friendB, muted, stranger) = (users[0], users[1], users[2], users[3], users[4]);
        foreach (var friend in new[] { friendA, friendB, muted }) await _app.MakeFriendsAsync(reader, friend);
        if (friendCount > 3) await _app.SeedFriendsAsync(reader, friendCount - 3);   // silent friends: only the count matters
        await using (var db = _app.NewDbContext())
        {
            db.Mutes.Add(new FriendConnect.Domain.Privacy.Mute { UserId = reader.Id, MutedId = muted.Id, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var expected = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            var author = (i % 4) switch { 0 => friendA, 1 => friendB, 2 => muted, _ => stranger };
            var posted = (await Statuses.PostAsync(author.Id, $"update {i}")).Value!;
            if (author == friendA || author == friendB) expected.Add(posted.StatusId);
            // Two updates share each timestamp, so the id breaks ties across page boundaries.
            if (i % 2 == 1) _app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        expected.Reverse();

        var seen = new List<long>();
        FeedCursor? cursor = null;
        do
        {
            var page = await Statuses.GetFeedAsync(reader.Id, cursor, 2);
            seen.AddRange(page.Items.Select(i => i.StatusId));
            cursor = page.Next;
        } while (cursor is not null);

        Assert.Equal(expected, seen);
    }
}
