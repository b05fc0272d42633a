namespace FriendConnect.Tests.Api;

/// <summary>
/// "Every action starts here: a suspended account is refused on its next action." A suspended user still holding an
/// access token issued before the suspension tries every change the API offers: each must be 403 and change nothing.
/// The user is also a moderator, so moderation actions are covered.
/// </summary>
public sealed class SuspendedAccountTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private sealed class Scene
    {
        public required ApiUser Suspended, Friend, MutedFriend, Incoming, Outgoing, BlockedOne, Other;
        public long IncomingId, OutgoingId, ReportId;
    }

    public static TheoryData<string> Calls => new()
    {
        "PATCH /me", "PUT /me/privacy", "POST /statuses", "POST /friend-requests", "POST /friend-requests/{id}/accept",
        "POST /friend-requests/{id}/decline", "DELETE /friend-requests/{id}", "DELETE /friends/{userName}",
        "PUT /blocks/{userName}", "DELETE /blocks/{userName}", "PUT /mutes/{userName}", "DELETE /mutes/{userName}",
        "POST /reports", "POST /moderation/reports/{id}/dismiss", "POST /moderation/users/{userName}/suspend",
        "POST /moderation/moderators",
    };

    private static (HttpMethod, string, object?) Request(string call, Scene s) => call switch
    {
        "PATCH /me" => (HttpMethod.Patch, "/api/v1/me", new { displayName = "Changed while suspended" }),
        "PUT /me/privacy" => (HttpMethod.Put, "/api/v1/me/privacy", new { whoSeesStatus = "Friends" }),
        "POST /statuses" => (HttpMethod.Post, "/api/v1/statuses", new { text = "posted while suspended" }),
        "POST /friend-requests" => (HttpMethod.Post, "/api/v1/friend-requests", new { userName = s.Other.UserName }),
        "POST /friend-requests/{id}/accept" => (HttpMethod.Post, $"/api/v1/friend-requests/{s.IncomingId}/accept", null),
        "POST /friend-requests/{id}/decline" => (HttpMethod.Post, $"/api/v1/friend-requests/{s.IncomingId}/decline", null),
        "DELETE /friend-requests/{id}" => (HttpMethod.Delete, $"/api/v1/friend-requests/{s.OutgoingId}", null),
        "DELETE /friends/{userName}" => (HttpMethod.Delete, $"/api/v1/friends/{s.Friend.UserName}", null),
        "PUT /blocks/{userName}" => (HttpMethod.Put, $"/api/v1/blocks/{s.Other.UserName}", null),
        "DELETE /blocks/{userName}" => (HttpMethod.Delete, $"/api/v1/blocks/{s.BlockedOne.UserName}", null),
        "PUT /mutes/{userName}" => (HttpMethod.Put, $"/api/v1/mutes/{s.Friend.UserName}", null),
        "DELETE /mutes/{userName}" => (HttpMethod.Delete, $"/api/v1/mutes/{s.MutedFriend.UserName}", null),
        "POST /reports" => (HttpMethod.Post, "/api/v1/reports", new { userName = s.Other.UserName, reason = "Spam" }),
        "POST /moderation/reports/{id}/dismiss" => (HttpMethod.Post, $"/api/v1/moderation/reports/{s.ReportId}/dismiss", null),
        "POST /moderation/users/{userName}/suspend" => (HttpMethod.Post, $"/api/v1/moderation/users/{s.Other.UserName}/suspend", new { days = 1, reason = "revenge" }),
        "POST /moderation/moderators" => (HttpMethod.Post, "/api/v1/moderation/moderators", new { userName = s.Other.UserName }),
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_suspended_user_is_refused_every_change(string call)
    {
        var s = new Scene
        {
            Suspended = await app.RegisterAndLoginAsync(), Friend = await app.RegisterAndLoginAsync(), MutedFriend = await app.RegisterAndLoginAsync(),
            Incoming = await app.RegisterAndLoginAsync(), Outgoing = await app.RegisterAndLoginAsync(), BlockedOne = await app.RegisterAndLoginAsync(),
            Other = await app.RegisterAndLoginAsync(),
        };
        await s.Suspended.BefriendAsync(s.Friend);
        await s.Suspended.BefriendAsync(s.MutedFriend);
        await s.Suspended.MuteAsync(s.MutedFriend);
        s.IncomingId = await s.Incoming.SendRequestAsync(s.Suspended);
        s.OutgoingId = await s.Suspended.SendRequestAsync(s.Outgoing);
        await s.Suspended.BlockAsync(s.BlockedOne);
        s.ReportId = await s.Friend.ReportAsync(app, s.Other);
        await Http.ExpectAsync(await app.Moderator.PostAsync("/api/v1/moderation/moderators", new { userName = s.Suspended.UserName }), 204);
        await app.Moderator.SuspendAsync(s.Suspended, days: 5, reason: "Suspended for the test");
        var (method, url, body) = Request(call, s);
        var before = await DbSnapshot.TakeAsync(app);

        var response = await s.Suspended.Client.SendAsync(Http.Request(method, url, body));

        DbSnapshot.AssertUnchanged(before, await DbSnapshot.TakeAsync(app), $"{call} by a suspended user (answered {(int)response.StatusCode})");
        await Http.ProblemAsync(response, 403);
    }
}
