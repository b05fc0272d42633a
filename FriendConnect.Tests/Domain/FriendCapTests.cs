using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

public sealed class FriendCapTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private FriendshipService Friendships => _app.Get<FriendshipService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_user_with_5000_friends_cannot_send_another_request()
    {
        var hub = await _app.SeedUserAsync("hub");
        var stranger = await _app.SeedUserAsync("stranger");
        await _app.SeedFriendsAsync(hub, FriendshipService.FriendCap);

        var result = await Friendships.SendRequestAsync(hub.Id, stranger.Id);

        var error = result.ShouldFailWith(ErrorKind.Conflict);
        Assert.Contains("limit", error.Message);
        Assert.Contains(FriendshipService.FriendCap.ToString("N0"), error.Message);
        Assert.Empty(await Friendships.GetIncomingAsync(stranger.Id));
    }

    [Fact]
    public async Task A_user_with_4999_friends_can_still_send_a_request()
    {
        var hub = await _app.SeedUserAsync("hub");
        var stranger = await _app.SeedUserAsync("stranger");
        await _app.SeedFriendsAsync(hub, FriendshipService.FriendCap - 1);

        var result = await Friendships.SendRequestAsync(hub.Id, stranger.Id);

        result.ShouldSucceed();
        Assert.Single(await Friendships.GetIncomingAsync(stranger.Id));
    }

    [Fact]
    public async Task A_user_with_5000_friends_cannot_accept_another_request()
    {
        var hub = await _app.SeedUserAsync("hub");
        var stranger = await _app.SeedUserAsync("stranger");
        await Friendships.SendRequestAsync(stranger.Id, hub.Id);
        var requestId = Assert.Single(await Friendships.GetIncomingAsync(hub.Id)).Id;
        await _app.SeedFriendsAsync(hub, FriendshipService.FriendCap);

        var result = await Friendships.AcceptAsync(requestId, hub.Id);

        Assert.Contains("You have reached the limit", result.ShouldFailWith(ErrorKind.Conflict).Message);
        await using var db = _app.NewDbContext();
        Assert.Equal(FriendshipService.FriendCap, await db.Friendships.CountAsync(f => f.UserId == hub.Id));
        Assert.Equal(0, await db.Friendships.CountAsync(f => f.UserId == stranger.Id));
        Assert.Equal(FriendRequestState.Pending, await db.FriendRequests.Where(r => r.Id == requestId).Select(r => r.State).SingleAsync());
    }

    [Fact]
    public async Task A_request_from_someone_who_has_since_reached_5000_friends_cannot_be_accepted()
    {
        var hub = await _app.SeedUserAsync("hub");
        var stranger = await _app.SeedUserAsync("stranger");
        await Friendships.SendRequestAsync(hub.Id, stranger.Id);
        var requestId = Assert.Single(await Friendships.GetIncomingAsync(stranger.Id)).Id;
        await _app.SeedFriendsAsync(hub, FriendshipService.FriendCap);

        var result = await Friendships.AcceptAsync(requestId, stranger.Id);

        Assert.Contains("They have reached the limit", result.ShouldFailWith(ErrorKind.Conflict).Message);
        await using var db = _app.NewDbContext();
        Assert.Equal(0, await db.Friendships.CountAsync(f => f.UserId == stranger.Id));
    }

    [Fact]
    public async Task A_user_with_5000_friends_cannot_befriend_someone_by_asking_them_back()
    {
        var hub = await _app.SeedUserAsync("hub");
        var stranger = await _app.SeedUserAsync("stranger");
        await Friendships.SendRequestAsync(stranger.Id, hub.Id);
        await _app.SeedFriendsAsync(hub, FriendshipService.FriendCap);

        var result = await Friendships.SendRequestAsync(hub.Id, stranger.Id);

        Assert.Contains("limit", result.ShouldFailWith(ErrorKind.Conflict).Message);
        await using var db = _app.NewDbContext();
        Assert.Equal(0, await db.Friendships.CountAsync(f => f.UserId == stranger.Id));
        Assert.Single(await Friendships.GetIncomingAsync(hub.Id));
    }
}
