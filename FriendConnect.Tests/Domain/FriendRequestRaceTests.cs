using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

/// <summary>Races the database must settle: the services run truly in parallel against one SQLite file.</summary>
public sealed class FriendRequestRaceTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private FriendshipService Friendships => _app.Get<FriendshipService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Requests_sent_both_ways_at_the_same_instant_make_exactly_one_friendship()
    {
        const int pairs = 20;
        var users = await _app.SeedUsersAsync(Enumerable.Range(0, pairs * 2).Select(i => ($"user{i}", $"User {i}")));

        for (var p = 0; p < pairs; p++)
        {
            var (a, b) = (users[2 * p], users[2 * p + 1]);
            var results = await Task.WhenAll(
                Task.Run(() => Friendships.SendRequestAsync(a.Id, b.Id)),
                Task.Run(() => Friendships.SendRequestAsync(b.Id, a.Id)));

            Assert.All(results, r => r.ShouldSucceed());
            Assert.Single(results, r => r.Value == SendRequestOutcome.BecameFriends);
            await using var db = _app.NewDbContext();
            Assert.Equal(2, await db.Friendships.CountAsync(f => f.UserId == a.Id || f.UserId == b.Id));
            Assert.Equal(0, await db.FriendRequests.CountAsync(r => r.State == FriendRequestState.Pending
                && (r.FromUserId == a.Id || r.FromUserId == b.Id)));
        }
    }

    [Fact]
    public async Task A_double_clicked_send_leaves_one_pending_request()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Friendships.SendRequestAsync(alice.Id, bob.Id))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => r.ShouldFailWith(ErrorKind.Conflict));
        await using var db = _app.NewDbContext();
        Assert.Equal(1, await db.FriendRequests.CountAsync());
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.RecipientId == bob.Id && n.Kind == NotificationKind.FriendRequestReceived));
        Assert.Single(await Friendships.GetIncomingAsync(bob.Id));
    }
}
