using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

public sealed class FriendRequestTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private FriendshipService Friendships => _app.Get<FriendshipService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Accepting_a_request_makes_both_users_friends_and_notifies_the_sender_live()
    {
        var alice = await _app.CreateUserAsync("alice", "Alice");
        var bob = await _app.CreateUserAsync("bob", "Bob");
        using var recorder = new LiveRecorder(_app.Live, alice.Id, bob.Id);

        var sent = await Friendships.SendRequestAsync(alice.Id, bob.Id);
        Assert.Equal(SendRequestOutcome.RequestSent, sent.Value);
        var request = Assert.Single(await Friendships.GetIncomingAsync(bob.Id));
        Assert.Equal(alice.Id, request.OtherUser.Id);

        var accepted = await Friendships.AcceptAsync(request.Id, bob.Id);

        Assert.True(accepted.Succeeded);
        Assert.Equal(bob.Id, Assert.Single((await Friendships.GetFriendsAsync(alice.Id, 0, 10)).Items).Id);
        Assert.Equal(alice.Id, Assert.Single((await Friendships.GetFriendsAsync(bob.Id, 0, 10)).Items).Id);
        Assert.Contains(recorder.For(alice.Id), e => e.Message == "Bob accepted your friend request" && e.Changes.HasFlag(LiveChange.Friends));
        Assert.Contains(recorder.For(bob.Id), e => e.Message == "Alice sent you a friend request");
        await using var db = _app.NewDbContext();
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.RecipientId == alice.Id && n.Kind == NotificationKind.FriendRequestAccepted));
    }

    [Fact]
    public async Task Many_parallel_accepts_of_one_request_make_exactly_one_friendship()
    {
        var alice = await _app.CreateUserAsync("alice");
        var bob = await _app.CreateUserAsync("bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var request = Assert.Single(await Friendships.GetIncomingAsync(bob.Id));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Friendships.AcceptAsync(request.Id, bob.Id))));

        Assert.Single(results, r => r.Succeeded);
        await using var db = _app.NewDbContext();
        Assert.Equal(2, await db.Friendships.CountAsync());
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.Kind == NotificationKind.FriendRequestAccepted));
    }
}
