using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

public sealed class UnfriendUndoTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private FriendshipService Friendships => _app.Get<FriendshipService>();
    private User _alice = default!;
    private User _bob = default!;

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _alice = await _app.CreateUserAsync("alice", "Alice");
        _bob = await _app.CreateUserAsync("bob", "Bob");
        await Friendships.SendRequestAsync(_alice.Id, _bob.Id);
        (await Friendships.AcceptAsync(Assert.Single(await Friendships.GetIncomingAsync(_bob.Id)).Id, _bob.Id)).ShouldSucceed();
        _app.Clock.Advance(TimeSpan.FromDays(3));
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    private async Task<List<Friendship>> PairAsync()
    {
        await using var db = _app.NewDbContext();
        return await db.Friendships.AsNoTracking().OrderBy(f => f.UserId).ToListAsync();
    }

    [Fact]
    public async Task Undo_within_the_window_restores_the_friendship_as_it_was_without_a_request_and_tells_both_live()
    {
        var before = await PairAsync();
        var undo = (await Friendships.UnfriendAsync(_alice.Id, _bob.Id)).Value!;
        Assert.Empty(await PairAsync());
        _app.Clock.Advance(TimeSpan.FromSeconds(25));
        using var recorder = new LiveRecorder(_app.Live, _alice.Id, _bob.Id);

        (await Friendships.UndoUnfriendAsync(_alice.Id, undo)).ShouldSucceed();

        var after = await PairAsync();
        Assert.Equal(before.Select(f => (f.UserId, f.FriendId, f.CreatedAt, f.NotifyAfterId)),
            after.Select(f => (f.UserId, f.FriendId, f.CreatedAt, f.NotifyAfterId)));
        await using var db = _app.NewDbContext();
        Assert.Equal(1, await db.FriendRequests.CountAsync());
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.Kind == NotificationKind.FriendRequestAccepted));
        Assert.Contains(recorder.For(_bob.Id), e => e.Changes.HasFlag(LiveChange.Friends));
        Assert.Contains(recorder.For(_alice.Id), e => e.Changes.HasFlag(LiveChange.Friends));
    }

    [Fact]
    public async Task Undo_after_the_window_is_refused_and_changes_nothing()
    {
        var undo = (await Friendships.UnfriendAsync(_alice.Id, _bob.Id)).Value!;
        _app.Clock.Advance(UnfriendUndo.Window + TimeSpan.FromSeconds(1));

        var error = (await Friendships.UndoUnfriendAsync(_alice.Id, undo)).ShouldFailWith(ErrorKind.Conflict);

        Assert.Equal("This can no longer be undone. Send a friend request instead.", error.Message);
        Assert.Empty(await PairAsync());
    }

    [Fact]
    public async Task A_block_meanwhile_stops_the_undo_with_the_same_words_as_a_late_one()
    {
        var undo = (await Friendships.UnfriendAsync(_alice.Id, _bob.Id)).Value!;
        (await _app.Get<PrivacyService>().BlockAsync(_bob.Id, _alice.Id)).ShouldSucceed();

        var error = (await Friendships.UndoUnfriendAsync(_alice.Id, undo)).ShouldFailWith(ErrorKind.Conflict);

        Assert.Equal("This can no longer be undone. Send a friend request instead.", error.Message);
        Assert.Empty(await PairAsync());
    }

    [Fact]
    public async Task Only_the_one_who_unfriended_can_undo_and_only_once()
    {
        var undo = (await Friendships.UnfriendAsync(_alice.Id, _bob.Id)).Value!;

        (await Friendships.UndoUnfriendAsync(_bob.Id, undo)).ShouldFailWith(ErrorKind.NotFound);
        (await Friendships.UndoUnfriendAsync(_alice.Id, undo)).ShouldSucceed();
        (await Friendships.UndoUnfriendAsync(_alice.Id, undo)).ShouldFailWith(ErrorKind.Conflict);
        Assert.Equal(2, (await PairAsync()).Count);
    }

    [Fact]
    public async Task Undo_respects_the_friend_cap()
    {
        var undo = (await Friendships.UnfriendAsync(_alice.Id, _bob.Id)).Value!;
        await _app.SeedFriendsAsync(_bob, FriendshipService.FriendCap);

        var error = (await Friendships.UndoUnfriendAsync(_alice.Id, undo)).ShouldFailWith(ErrorKind.Conflict);

        Assert.Contains("They have reached the limit", error.Message);
    }
}
