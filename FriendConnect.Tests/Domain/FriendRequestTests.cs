using FriendConnect.Domain.Common;
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
    private NotificationService Notifications => _app.Get<NotificationService>();

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

    [Fact]
    public async Task Sending_a_request_to_yourself_is_a_validation_error()
    {
        var alice = await _app.SeedUserAsync("alice");

        var result = await Friendships.SendRequestAsync(alice.Id, alice.Id);

        result.ShouldFailWith(ErrorKind.Validation);
        await using var db = _app.NewDbContext();
        Assert.Equal(0, await db.FriendRequests.CountAsync());
    }

    [Fact]
    public async Task Sending_a_request_to_a_user_who_does_not_exist_is_not_found()
    {
        var alice = await _app.SeedUserAsync("alice");

        var result = await Friendships.SendRequestAsync(alice.Id, Guid.NewGuid().ToString());

        result.ShouldFailWith(ErrorKind.NotFound);
        await using var db = _app.NewDbContext();
        Assert.Equal(0, await db.FriendRequests.CountAsync());
    }

    [Fact]
    public async Task Sending_a_request_to_a_friend_is_a_conflict()
    {
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        await _app.MakeFriendsAsync(alice, bob);

        var result = await Friendships.SendRequestAsync(alice.Id, bob.Id);

        Assert.Contains("Bob", result.ShouldFailWith(ErrorKind.Conflict).Message);
        Assert.Empty(await Friendships.GetIncomingAsync(bob.Id));
    }

    [Fact]
    public async Task Sending_a_second_request_to_the_same_person_is_a_conflict()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);

        var again = await Friendships.SendRequestAsync(alice.Id, bob.Id);

        again.ShouldFailWith(ErrorKind.Conflict);
        Assert.Single(await Friendships.GetIncomingAsync(bob.Id));
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(bob.Id));
    }

    [Fact]
    public async Task Sending_a_request_to_someone_who_already_asked_you_accepts_theirs()
    {
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);

        var back = await Friendships.SendRequestAsync(bob.Id, alice.Id);

        back.ShouldSucceed();
        Assert.Equal(SendRequestOutcome.BecameFriends, back.Value);
        Assert.Equal(bob.Id, Assert.Single((await Friendships.GetFriendsAsync(alice.Id, 0, 10)).Items).Id);
        Assert.Equal(alice.Id, Assert.Single((await Friendships.GetFriendsAsync(bob.Id, 0, 10)).Items).Id);
        await using var db = _app.NewDbContext();
        Assert.Equal(2, await db.Friendships.CountAsync());
        var request = Assert.Single(await db.FriendRequests.ToListAsync());
        Assert.Equal(FriendRequestState.Accepted, request.State);
        Assert.Empty(await Friendships.GetIncomingAsync(bob.Id));
        Assert.Empty(await Friendships.GetOutgoingAsync(alice.Id));
    }

    [Fact]
    public async Task Accepting_a_request_writes_one_friendship_row_in_each_direction()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var request = Assert.Single(await Friendships.GetIncomingAsync(bob.Id));

        (await Friendships.AcceptAsync(request.Id, bob.Id)).ShouldSucceed();

        await using var db = _app.NewDbContext();
        var rows = await db.Friendships.Select(f => new { f.UserId, f.FriendId }).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains(new { UserId = alice.Id, FriendId = bob.Id }, rows);
        Assert.Contains(new { UserId = bob.Id, FriendId = alice.Id }, rows);
    }

    [Fact]
    public async Task Only_the_addressee_can_accept_a_request()
    {
        var (alice, bob, carol, requestId) = await PendingRequestWithBystanderAsync();

        (await Friendships.AcceptAsync(requestId, alice.Id)).ShouldFailWith(ErrorKind.Forbidden);
        (await Friendships.AcceptAsync(requestId, carol.Id)).ShouldFailWith(ErrorKind.NotFound);

        await AssertStillPendingAsync(alice, bob, requestId);
    }

    [Fact]
    public async Task Only_the_addressee_can_decline_a_request()
    {
        var (alice, bob, carol, requestId) = await PendingRequestWithBystanderAsync();

        (await Friendships.DeclineAsync(requestId, alice.Id)).ShouldFailWith(ErrorKind.Forbidden);
        (await Friendships.DeclineAsync(requestId, carol.Id)).ShouldFailWith(ErrorKind.NotFound);

        await AssertStillPendingAsync(alice, bob, requestId);
    }

    [Fact]
    public async Task Only_the_sender_can_cancel_a_request()
    {
        var (alice, bob, carol, requestId) = await PendingRequestWithBystanderAsync();

        (await Friendships.CancelAsync(requestId, bob.Id)).ShouldFailWith(ErrorKind.Forbidden);
        (await Friendships.CancelAsync(requestId, carol.Id)).ShouldFailWith(ErrorKind.NotFound);

        await AssertStillPendingAsync(alice, bob, requestId);
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(bob.Id));
    }

    public enum Answer { Accept, Decline, Cancel }

    [Theory]
    [InlineData(Answer.Accept, Answer.Accept)]
    [InlineData(Answer.Accept, Answer.Decline)]
    [InlineData(Answer.Accept, Answer.Cancel)]
    [InlineData(Answer.Decline, Answer.Accept)]
    [InlineData(Answer.Decline, Answer.Decline)]
    [InlineData(Answer.Decline, Answer.Cancel)]
    [InlineData(Answer.Cancel, Answer.Accept)]
    [InlineData(Answer.Cancel, Answer.Decline)]
    [InlineData(Answer.Cancel, Answer.Cancel)]
    public async Task Answering_an_already_answered_request_is_a_conflict(Answer first, Answer second)
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var requestId = Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id;
        (await AnswerAsync(first, requestId, alice, bob)).ShouldSucceed();
        var stateBefore = await StateOfAsync(requestId);

        var result = await AnswerAsync(second, requestId, alice, bob);

        result.ShouldFailWith(ErrorKind.Conflict);
        Assert.Equal(stateBefore, await StateOfAsync(requestId));
        await using var db = _app.NewDbContext();
        Assert.Equal(first == Answer.Accept ? 2 : 0, await db.Friendships.CountAsync());
    }

    [Fact]
    public async Task Declining_removes_the_request_for_both_users_without_telling_the_sender()
    {
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var requestId = Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id;
        using var recorder = new LiveRecorder(_app.Live, alice.Id, bob.Id);

        (await Friendships.DeclineAsync(requestId, bob.Id)).ShouldSucceed();

        Assert.Empty(await Friendships.GetIncomingAsync(bob.Id));
        Assert.Empty(await Friendships.GetOutgoingAsync(alice.Id));
        await using var db = _app.NewDbContext();
        Assert.Equal(0, await db.Notifications.CountAsync(n => n.RecipientId == alice.Id));
        Assert.Equal(0, await db.Friendships.CountAsync());
        Assert.All(recorder.For(alice.Id), e => Assert.Null(e.Message));
        Assert.All(recorder.For(bob.Id), e => Assert.Null(e.Message));
    }

    [Fact]
    public async Task Declining_marks_the_addressees_request_notification_read()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var requestId = Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id;

        (await Friendships.DeclineAsync(requestId, bob.Id)).ShouldSucceed();

        Assert.Equal(0, await Notifications.GetUnreadCountAsync(bob.Id));
    }

    [Fact]
    public async Task Cancelling_a_request_deletes_the_addressees_notification()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        var carol = await _app.SeedUserAsync("carol");
        await Friendships.SendRequestAsync(carol.Id, bob.Id);
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var requestId = Assert.Single(await Friendships.GetOutgoingAsync(alice.Id)).Id;
        Assert.Equal(2, await Notifications.GetUnreadCountAsync(bob.Id));

        (await Friendships.CancelAsync(requestId, alice.Id)).ShouldSucceed();

        Assert.Equal(1, await Notifications.GetUnreadCountAsync(bob.Id));
        Assert.Equal(carol.Id, Assert.Single(await Notifications.GetRecentAsync(bob.Id, 10)).Actor.Id);
        Assert.Equal(carol.Id, Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).OtherUser.Id);
        Assert.Empty(await Friendships.GetOutgoingAsync(alice.Id));
    }

    [Fact]
    public async Task Accepting_marks_the_addressees_request_notification_read()
    {
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var bob = await _app.SeedUserAsync("bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var requestId = Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id;
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(bob.Id));

        (await Friendships.AcceptAsync(requestId, bob.Id)).ShouldSucceed();

        Assert.Equal(0, await Notifications.GetUnreadCountAsync(bob.Id));
        var notification = Assert.Single(await Notifications.GetRecentAsync(bob.Id, 10));
        Assert.Equal(NotificationKind.FriendRequestReceived, notification.Kind);
        Assert.True(notification.IsRead);
    }

    [Fact]
    public async Task Unfriending_removes_the_friendship_in_both_directions()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        var carol = await _app.SeedUserAsync("carol");
        await _app.MakeFriendsAsync(alice, bob);
        await _app.MakeFriendsAsync(alice, carol);

        (await Friendships.UnfriendAsync(bob.Id, alice.Id)).ShouldSucceed();

        Assert.Empty((await Friendships.GetFriendsAsync(bob.Id, 0, 10)).Items);
        Assert.Equal(carol.Id, Assert.Single((await Friendships.GetFriendsAsync(alice.Id, 0, 10)).Items).Id);
        await using var db = _app.NewDbContext();
        Assert.Equal(2, await db.Friendships.CountAsync());
    }

    [Fact]
    public async Task Unfriending_someone_who_is_not_a_friend_is_not_found()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        var carol = await _app.SeedUserAsync("carol");
        await _app.MakeFriendsAsync(bob, carol);

        (await Friendships.UnfriendAsync(alice.Id, bob.Id)).ShouldFailWith(ErrorKind.NotFound);

        await using var db = _app.NewDbContext();
        Assert.Equal(2, await db.Friendships.CountAsync());
    }

    [Fact]
    public async Task After_unfriending_the_users_can_send_a_request_again()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        (await Friendships.AcceptAsync(Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id, bob.Id)).ShouldSucceed();
        (await Friendships.UnfriendAsync(alice.Id, bob.Id)).ShouldSucceed();

        var again = await Friendships.SendRequestAsync(bob.Id, alice.Id);

        again.ShouldSucceed();
        Assert.Equal(SendRequestOutcome.RequestSent, again.Value);
        Assert.Equal(bob.Id, Assert.Single(await Friendships.GetIncomingAsync(alice.Id)).OtherUser.Id);
    }

    private async Task<(User Alice, User Bob, User Carol, long RequestId)> PendingRequestWithBystanderAsync()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        var carol = await _app.SeedUserAsync("carol");
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        return (alice, bob, carol, Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id);
    }

    private async Task AssertStillPendingAsync(User alice, User bob, long requestId)
    {
        Assert.Equal(FriendRequestState.Pending, await StateOfAsync(requestId));
        Assert.Equal(requestId, Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id);
        Assert.Equal(requestId, Assert.Single(await Friendships.GetOutgoingAsync(alice.Id)).Id);
        await using var db = _app.NewDbContext();
        Assert.Equal(0, await db.Friendships.CountAsync());
        Assert.Equal(0, await db.Notifications.CountAsync(n => n.Kind == NotificationKind.FriendRequestAccepted));
    }

    private async Task<FriendRequestState> StateOfAsync(long requestId)
    {
        await using var db = _app.NewDbContext();
        return await db.FriendRequests.Where(r => r.Id == requestId).Select(r => r.State).SingleAsync();
    }

    private Task<Result> AnswerAsync(Answer answer, long requestId, User sender, User addressee) => answer switch
    {
        Answer.Accept => Friendships.AcceptAsync(requestId, addressee.Id),
        Answer.Decline => Friendships.DeclineAsync(requestId, addressee.Id),
        _ => Friendships.CancelAsync(requestId, sender.Id),
    };
}
