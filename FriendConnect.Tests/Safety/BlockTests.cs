using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Safety;

public sealed class BlockTests : SafetyTestBase
{
    [Fact]
    public async Task Blocking_ends_the_friendship_in_both_directions()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var bob = await AddUserAsync("bob", "Bob");
        var carol = await AddUserAsync("carol");
        await BefriendViaRequestAsync(alice, bob);
        await BefriendAsync(alice, carol);

        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();

        Assert.False(await AreFriendsAsync(alice, bob));
        Assert.True(await AreFriendsAsync(alice, carol));
        Assert.Equal([carol.Id], (await Friendships.GetFriendsAsync(alice.Id, 0, 10)).Items.Select(u => u.Id));
        Assert.Empty((await Friendships.GetFriendsAsync(bob.Id, 0, 10)).Items);
        await using var db = App.NewDbContext();
        Assert.Equal(1, await db.Blocks.CountAsync(b => b.BlockerId == alice.Id && b.BlockedId == bob.Id));
    }

    public enum RequestDirection { BlockerAsked, BlockedAsked }

    [Theory]
    [InlineData(RequestDirection.BlockerAsked)]
    [InlineData(RequestDirection.BlockedAsked)]
    public async Task Blocking_cancels_a_pending_request_whichever_way_it_was_sent(RequestDirection direction)
    {
        var alice = await AddUserAsync("alice");
        var bob = await AddUserAsync("bob");
        var (from, to) = direction == RequestDirection.BlockerAsked ? (alice, bob) : (bob, alice);
        (await Friendships.SendRequestAsync(from.Id, to.Id)).ShouldBeOk();
        var requestId = await RequestIdAsync(from, to);

        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();

        await using var db = App.NewDbContext();
        var request = await db.FriendRequests.SingleAsync(r => r.Id == requestId);
        Assert.Equal(FriendRequestState.Cancelled, request.State);
        Assert.NotNull(request.RespondedAt);
        foreach (var user in new[] { alice, bob })
        {
            Assert.Empty(await Friendships.GetIncomingAsync(user.Id));
            Assert.Empty(await Friendships.GetOutgoingAsync(user.Id));
        }
        Assert.Equal(0, await db.Notifications.CountAsync());
        Assert.False(await AreFriendsAsync(alice, bob));
    }

    [Fact]
    public async Task Blocking_deletes_the_notifications_each_caused_the_other_and_keeps_everyone_elses()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var bob = await AddUserAsync("bob", "Bob");
        var carol = await AddUserAsync("carol", "Carol");
        await BefriendViaRequestAsync(bob, alice);   // alice: "Bob sent you a request"; bob: "Alice accepted"
        await BefriendAsync(alice, carol);
        await BefriendAsync(bob, carol);
        await PostAsync(alice, "alice posts");      // to bob and carol
        await PostAsync(bob, "bob posts");          // to alice and carol
        await PostAsync(carol, "carol posts");      // to alice and bob
        Assert.Equal(2, (await Notifications.GetRecentAsync(alice.Id, 50)).Count(n => n.Actor.Id == bob.Id));
        Assert.Equal(2, (await Notifications.GetRecentAsync(bob.Id, 50)).Count(n => n.Actor.Id == alice.Id));

        (await Privacy.BlockAsync(bob.Id, alice.Id)).ShouldBeOk();

        await using (var db = App.NewDbContext())
        {
            Assert.Equal(0, await db.Notifications.CountAsync(n =>
                (n.RecipientId == alice.Id && n.ActorId == bob.Id) || (n.RecipientId == bob.Id && n.ActorId == alice.Id)));
        }
        Assert.Equal([carol.Id], (await Notifications.GetRecentAsync(alice.Id, 50)).Select(n => n.Actor.Id));
        Assert.Equal([carol.Id], (await Notifications.GetRecentAsync(bob.Id, 50)).Select(n => n.Actor.Id));
        Assert.Equal(2, (await Notifications.GetRecentAsync(carol.Id, 50)).Count);
        Assert.Equal(1, await Notifications.GetUnreadCountAsync(alice.Id));
    }

    [Fact]
    public async Task Blocking_removes_mutes_between_the_two_in_both_directions()
    {
        var alice = await AddUserAsync("alice");
        var bob = await AddUserAsync("bob");
        var carol = await AddUserAsync("carol");
        await BefriendAsync(alice, bob);
        await BefriendAsync(alice, carol);
        (await Privacy.MuteAsync(alice.Id, bob.Id)).ShouldBeOk();
        (await Privacy.MuteAsync(bob.Id, alice.Id)).ShouldBeOk();
        (await Privacy.MuteAsync(alice.Id, carol.Id)).ShouldBeOk();

        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();

        await using var db = App.NewDbContext();
        var mutes = await db.Mutes.Select(m => new { m.UserId, m.MutedId }).ToListAsync();
        Assert.Equal(new { UserId = alice.Id, MutedId = carol.Id }, Assert.Single(mutes));
        Assert.Empty(await Privacy.GetMutedAsync(bob.Id));
    }

    [Fact]
    public async Task Blocking_tells_only_the_blocker_live_so_the_blocked_person_cannot_tell_when_it_happened()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var bob = await AddUserAsync("bob", "Bob");
        var carol = await AddUserAsync("carol");
        await BefriendAsync(alice, bob);
        using var recorder = new LiveRecorder(App.Live, alice.Id, bob.Id, carol.Id);

        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();

        var e = Assert.Single(recorder.For(alice.Id));
        Assert.True(e.Changes.HasFlag(LiveChange.Friends | LiveChange.Requests | LiveChange.Feed | LiveChange.Notifications | LiveChange.Profile),
            $"alice got {e.Changes}");
        Assert.Null(e.Message);
        Assert.Empty(recorder.For(bob.Id));
        Assert.Empty(recorder.For(carol.Id));
    }

    [Fact]
    public async Task Unblocking_makes_them_visible_again_but_not_friends_and_tells_only_the_blocker_live()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var bob = await AddUserAsync("bob", "Bob");
        await BefriendAsync(alice, bob);
        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();
        (await Directory.GetProfileAsync(bob.Id, "alice")).ShouldFail(ErrorKind.NotFound);
        using var recorder = new LiveRecorder(App.Live, alice.Id, bob.Id);

        (await Privacy.UnblockAsync(alice.Id, bob.Id)).ShouldBeOk();

        var bobSeesAlice = (await Directory.GetProfileAsync(bob.Id, "alice")).ShouldBeOk();
        var aliceSeesBob = (await Directory.GetProfileAsync(alice.Id, "bob")).ShouldBeOk();
        Assert.Equal(Relation.None, bobSeesAlice.Relation);
        Assert.Equal(Relation.None, aliceSeesBob.Relation);
        Assert.True(bobSeesAlice.CanSendRequest);
        Assert.Contains((await Directory.SearchAsync(bob.Id, null, 0, 50)).Items, u => u.User.Id == alice.Id);
        Assert.Contains((await Directory.SearchAsync(alice.Id, "bob", 0, 50)).Items, u => u.User.Id == bob.Id);
        Assert.False(await AreFriendsAsync(alice, bob));
        Assert.Empty(await Privacy.GetBlockedAsync(alice.Id));
        Assert.Contains(recorder.For(alice.Id), e => e.Changes.HasFlag(LiveChange.Profile));
        Assert.Empty(recorder.For(bob.Id));

        // They can now reach each other again.
        Assert.Equal(SendRequestOutcome.RequestSent, (await Friendships.SendRequestAsync(bob.Id, alice.Id)).ShouldBeOk());
    }

    [Fact]
    public async Task Only_the_blocker_can_lift_a_block_and_the_blocked_person_cannot_block_back_as_for_a_missing_user()
    {
        var alice = await AddUserAsync("alice");
        var bob = await AddUserAsync("bob");
        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();

        (await Privacy.UnblockAsync(bob.Id, alice.Id)).ShouldFail(ErrorKind.NotFound);
        (await Directory.GetProfileAsync(bob.Id, "alice")).ShouldFail(ErrorKind.NotFound);

        // To Bob, Alice does not exist: blocking her answers exactly as blocking nobody does, and writes nothing.
        var before = await DatabaseFingerprintAsync();
        var blockBack = (await Privacy.BlockAsync(bob.Id, alice.Id)).ShouldFail(ErrorKind.NotFound);
        var blockNobody = (await Privacy.BlockAsync(bob.Id, Guid.NewGuid().ToString())).ShouldFail(ErrorKind.NotFound);
        Assert.Equal(blockNobody.Message, blockBack.Message);
        Assert.Equal(before, await DatabaseFingerprintAsync());

        (await Privacy.UnblockAsync(alice.Id, bob.Id)).ShouldBeOk();
        (await Directory.GetProfileAsync(bob.Id, "alice")).ShouldBeOk();
        (await Directory.GetProfileAsync(alice.Id, "bob")).ShouldBeOk();
    }

    [Fact]
    public async Task Blocking_twice_keeps_one_block_and_blocking_yourself_or_nobody_is_refused()
    {
        var alice = await AddUserAsync("alice");
        var bob = await AddUserAsync("bob");

        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();
        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();
        (await Privacy.BlockAsync(alice.Id, alice.Id)).ShouldFail(ErrorKind.Validation);
        (await Privacy.BlockAsync(alice.Id, Guid.NewGuid().ToString())).ShouldFail(ErrorKind.NotFound);

        await using var db = App.NewDbContext();
        Assert.Equal(1, await db.Blocks.CountAsync());
        Assert.Equal(bob.Id, Assert.Single(await Privacy.GetBlockedAsync(alice.Id)).Id);
    }

    [Fact]
    public async Task After_a_block_new_statuses_reach_neither_side()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var bob = await AddUserAsync("bob", "Bob");
        await BefriendAsync(alice, bob);
        (await Privacy.BlockAsync(alice.Id, bob.Id)).ShouldBeOk();
        using var recorder = new LiveRecorder(App.Live, alice.Id, bob.Id);

        await PostAsync(alice, "after the block");
        await PostAsync(bob, "me too");

        Assert.Empty(await Notifications.GetRecentAsync(alice.Id, 10));
        Assert.Empty(await Notifications.GetRecentAsync(bob.Id, 10));
        Assert.DoesNotContain(recorder.For(bob.Id), e => e.Message?.Contains("after the block") == true);
        Assert.DoesNotContain(recorder.For(alice.Id), e => e.Message?.Contains("me too") == true);
        // Each still sees their own post in their feed, and nothing of the other's.
        Assert.Equal(["after the block"], (await Statuses.GetFeedAsync(alice.Id, null, 10)).Items.Select(i => i.Text));
        Assert.Equal(["me too"], (await Statuses.GetFeedAsync(bob.Id, null, 10)).Items.Select(i => i.Text));
    }
}
