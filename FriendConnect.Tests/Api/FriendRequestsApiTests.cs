using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>/api/v1/friend-requests… and /api/v1/friends….</summary>
public sealed class FriendRequestsApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private Task<FriendRequestState> StateAsync(long id) =>
        app.QueryAsync(db => db.FriendRequests.Where(r => r.Id == id).Select(r => r.State).SingleAsync());

    private Task<bool> AreFriendsAsync(ApiUser a, ApiUser b) =>
        app.QueryAsync(db => db.Friendships.AnyAsync(f => f.UserId == a.Id && f.FriendId == b.Id));

    [Fact]
    public async Task Send_creates_a_pending_request_seen_on_both_sides_and_notifies_the_addressee()
    {
        var (from, to) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());

        var sent = await Http.JsonAsync(await from.PostAsync("/api/v1/friend-requests", new { userName = to.UserName }));

        Assert.Equal("RequestSent", (string?)sent["outcome"]);
        var outgoing = (await from.GetJsonAsync("/api/v1/friend-requests/outgoing"))["items"]!.AsArray();
        var incoming = (await to.GetJsonAsync("/api/v1/friend-requests/incoming"))["items"]!.AsArray();
        Assert.Equal(to.UserName, (string?)Assert.Single(outgoing)!["otherUser"]!["userName"]);
        Assert.Equal(from.UserName, (string?)Assert.Single(incoming)!["otherUser"]!["userName"]);
        Assert.Equal((long)outgoing[0]!["id"]!, (long)incoming[0]!["id"]!);
        Assert.Empty((await from.GetJsonAsync("/api/v1/friend-requests/incoming"))["items"]!.AsArray());
        var notification = Assert.Single(await to.NotificationsAsync());
        Assert.Equal("FriendRequestReceived", (string?)notification!["kind"]);
        Assert.Equal(from.UserName, (string?)notification["actor"]!["userName"]);
    }

    [Fact]
    public async Task Send_twice_is_409_and_leaves_one_request()
    {
        var (from, to) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await from.SendRequestAsync(to);

        await Http.ProblemAsync(await from.PostAsync("/api/v1/friend-requests", new { userName = to.UserName }), 409);

        Assert.Equal(1, await app.QueryAsync(db => db.FriendRequests.CountAsync(r => r.FromUserId == from.Id)));
        Assert.Equal(1, await app.QueryAsync(db => db.Notifications.CountAsync(n => n.RecipientId == to.Id)));
    }

    [Fact]
    public async Task Send_to_a_friend_is_409_already_friends()
    {
        var (a, b) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await a.BefriendAsync(b);

        var problem = await Http.ProblemAsync(await a.PostAsync("/api/v1/friend-requests", new { userName = b.UserName }), 409);

        Assert.Contains("already friends", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Send_back_to_someone_who_asked_me_accepts_their_request()
    {
        var (a, b) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await a.SendRequestAsync(b);

        var back = await Http.JsonAsync(await b.PostAsync("/api/v1/friend-requests", new { userName = a.UserName }));

        Assert.Equal("BecameFriends", (string?)back["outcome"]);
        Assert.Equal(FriendRequestState.Accepted, await StateAsync(id));
        Assert.True(await AreFriendsAsync(a, b) && await AreFriendsAsync(b, a));
    }

    [Fact]
    public async Task Send_failures_are_400_404_and_403()
    {
        var (a, closed) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await Http.ExpectAsync(await closed.PutAsync("/api/v1/me/privacy", new { whoCanSendRequests = "Nobody" }), 204);

        await Http.ValidationProblemAsync(await a.PostAsync("/api/v1/friend-requests", new { userName = "  " }), "userName");
        await Http.ProblemAsync(await a.PostAsync("/api/v1/friend-requests", new { userName = a.UserName }), 400);
        await Http.ProblemAsync(await a.PostAsync("/api/v1/friend-requests", new { userName = "no-such-user-here" }), 404);
        await Http.ProblemAsync(await a.PostAsync("/api/v1/friend-requests", new { userName = closed.UserName }), 403);

        Assert.Equal(0, await app.QueryAsync(db => db.FriendRequests.CountAsync(r => r.FromUserId == a.Id)));
    }

    [Fact]
    public async Task Accept_makes_friends_and_notifies_the_sender()
    {
        var (from, to) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await from.SendRequestAsync(to);

        await Http.ExpectAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/accept"), 204);

        Assert.Equal(FriendRequestState.Accepted, await StateAsync(id));
        Assert.True(await AreFriendsAsync(from, to) && await AreFriendsAsync(to, from));
        Assert.Empty((await to.GetJsonAsync("/api/v1/friend-requests/incoming"))["items"]!.AsArray());
        Assert.Equal("FriendRequestAccepted", (string?)(await from.NotificationsAsync())[0]!["kind"]);
        Assert.Equal(0, await to.UnreadCountAsync());
    }

    [Fact]
    public async Task Accept_by_the_sender_is_403_by_a_stranger_404_and_twice_409()
    {
        var (from, to, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await from.SendRequestAsync(to);

        await Http.ProblemAsync(await from.PostAsync($"/api/v1/friend-requests/{id}/accept"), 403);
        await Http.ProblemAsync(await stranger.PostAsync($"/api/v1/friend-requests/{id}/accept"), 404);
        Assert.Equal(FriendRequestState.Pending, await StateAsync(id));
        Assert.False(await AreFriendsAsync(from, to));

        await Http.ExpectAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/accept"), 204);
        await Http.ProblemAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/accept"), 409);
        await Http.ProblemAsync(await to.PostAsync("/api/v1/friend-requests/987654321/accept"), 404);
    }

    [Fact]
    public async Task Decline_closes_the_request_quietly()
    {
        var (from, to, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await from.SendRequestAsync(to);

        await Http.ProblemAsync(await from.PostAsync($"/api/v1/friend-requests/{id}/decline"), 403);
        await Http.ProblemAsync(await stranger.PostAsync($"/api/v1/friend-requests/{id}/decline"), 404);
        await Http.ExpectAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/decline"), 204);

        Assert.Equal(FriendRequestState.Declined, await StateAsync(id));
        Assert.Empty((await to.GetJsonAsync("/api/v1/friend-requests/incoming"))["items"]!.AsArray());
        Assert.Empty((await from.GetJsonAsync("/api/v1/friend-requests/outgoing"))["items"]!.AsArray());
        Assert.Empty(await from.NotificationsAsync());
        Assert.False(await AreFriendsAsync(from, to));
        await Http.ProblemAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/decline"), 409);
        await Http.ProblemAsync(await to.PostAsync("/api/v1/friend-requests/987654321/decline"), 404);
    }

    [Fact]
    public async Task Cancel_withdraws_my_request_and_its_notification()
    {
        var (from, to, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await from.SendRequestAsync(to);
        Assert.Equal(1, await to.UnreadCountAsync());

        await Http.ProblemAsync(await to.DeleteAsync($"/api/v1/friend-requests/{id}"), 403);
        await Http.ProblemAsync(await stranger.DeleteAsync($"/api/v1/friend-requests/{id}"), 404);
        await Http.ExpectAsync(await from.DeleteAsync($"/api/v1/friend-requests/{id}"), 204);

        Assert.Equal(FriendRequestState.Cancelled, await StateAsync(id));
        Assert.Equal(0, await to.UnreadCountAsync());
        Assert.Equal(0, await app.QueryAsync(db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.FriendRequestReceived && n.SubjectId == id)));
        await Http.ProblemAsync(await from.DeleteAsync($"/api/v1/friend-requests/{id}"), 409);
        await Http.ProblemAsync(await from.DeleteAsync("/api/v1/friend-requests/987654321"), 404);
    }

    [Fact]
    public async Task Friends_list_and_unfriend()
    {
        var (me, f1, f2) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BefriendAsync(f1);
        await me.BefriendAsync(f2);
        await f2.PostStatusAsync("Most recent");

        var list = await me.GetJsonAsync("/api/v1/friends");
        Assert.Equal([f2.UserName, f1.UserName], list["items"]!.AsArray().Select(u => (string)u!["userName"]!));
        Assert.Null(list["next"]);
        var first = await me.GetJsonAsync("/api/v1/friends?limit=1");
        Assert.Equal(f2.UserName, (string?)Assert.Single(first["items"]!.AsArray())!["userName"]);
        var second = await me.GetJsonAsync((string)first["next"]!);
        Assert.Equal(f1.UserName, (string?)Assert.Single(second["items"]!.AsArray())!["userName"]);
        Assert.Null(second["nextCursor"]);

        await Http.ExpectAsync(await me.DeleteAsync($"/api/v1/friends/{f1.UserName}"), 204);

        Assert.False(await AreFriendsAsync(me, f1) || await AreFriendsAsync(f1, me));
        Assert.Single((await me.GetJsonAsync("/api/v1/friends"))["items"]!.AsArray());
        Assert.Empty((await f1.GetJsonAsync("/api/v1/friends"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Unfriend_is_404_when_not_friends_or_unknown()
    {
        var (me, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());

        var problem = await Http.ProblemAsync(await me.DeleteAsync($"/api/v1/friends/{stranger.UserName}"), 404);
        Assert.Contains("not friends", (string?)problem["detail"]);
        await Http.ProblemAsync(await me.DeleteAsync("/api/v1/friends/no-such-user-here"), 404);
    }

    [Fact]
    public async Task Friend_request_endpoints_are_401_for_anonymous_callers()
    {
        using var anonymous = app.Anonymous();
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/friend-requests/incoming"), 401);
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/friend-requests/outgoing"), 401);
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/friends"), 401);
    }
}
