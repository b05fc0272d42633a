using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>Arrange steps done through the API, each checked, so a broken step fails where it happens.</summary>
public static class ApiSteps
{
    /// <summary>POST /friend-requests; returns the new request's id (from the sender's outgoing list).</summary>
    public static async Task<long> SendRequestAsync(this ApiUser from, ApiUser to)
    {
        var sent = await Http.JsonAsync(await from.PostAsync("/api/v1/friend-requests", new { userName = to.UserName }));
        Assert.Equal("RequestSent", (string?)sent["outcome"]);
        var outgoing = (await from.GetJsonAsync("/api/v1/friend-requests/outgoing?limit=100"))["items"]!.AsArray();
        return (long)outgoing.Single(r => (string?)r!["otherUser"]!["userName"] == to.UserName)!["id"]!;
    }

    /// <summary>A request, answered by a request back: "to someone who already asked me: accepts theirs".</summary>
    public static async Task BefriendAsync(this ApiUser a, ApiUser b)
    {
        await a.SendRequestAsync(b);
        var back = await Http.JsonAsync(await b.PostAsync("/api/v1/friend-requests", new { userName = a.UserName }));
        Assert.Equal("BecameFriends", (string?)back["outcome"]);
    }

    public static async Task BlockAsync(this ApiUser blocker, ApiUser blocked) =>
        await Http.ExpectAsync(await blocker.PutAsync($"/api/v1/blocks/{blocked.UserName}"), 204);

    public static async Task MuteAsync(this ApiUser user, ApiUser friend) =>
        await Http.ExpectAsync(await user.PutAsync($"/api/v1/mutes/{friend.UserName}"), 204);

    public static async Task<long> PostStatusAsync(this ApiUser author, string text)
    {
        var created = await Http.JsonAsync(await author.PostAsync("/api/v1/statuses", new { text }), 201);
        return (long)created["statusId"]!;
    }

    /// <summary>POST /reports; returns the report's id, read from the database (the API does not return it).</summary>
    public static async Task<long> ReportAsync(this ApiUser reporter, ApiFactory app, ApiUser target, long? statusId = null, string reason = "Spam", string? details = null)
    {
        await Http.JsonAsync(await reporter.PostAsync("/api/v1/reports", new { userName = target.UserName, statusId, reason, details }));
        return await app.QueryAsync(db => db.Reports
            .Where(r => r.ReporterId == reporter.Id && r.TargetUserId == target.Id && r.StatusId == statusId)
            .OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync());
    }

    public static async Task SuspendAsync(this ApiUser moderator, ApiUser target, int? days = 3, string reason = "Breaking the rules") =>
        await Http.ExpectAsync(await moderator.PostAsync($"/api/v1/moderation/users/{target.UserName}/suspend", new { days, reason }), 204);

    /// <summary>The caller's notifications, newest first, as the API lists them.</summary>
    public static async Task<JsonArray> NotificationsAsync(this ApiUser user, int limit = 100) =>
        (await user.GetJsonAsync($"/api/v1/notifications?limit={limit}"))["items"]!.AsArray();

    public static async Task<int> UnreadCountAsync(this ApiUser user) =>
        (int)(await user.GetJsonAsync("/api/v1/notifications/unread-count"))["count"]!;
}
