using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>Assertions on HTTP responses that say what came back when they fail.</summary>
public static class Http
{
    public static async Task ExpectAsync(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {status}, got {(int)response.StatusCode}. Body: {Shorten(body)}");
        }
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, int status = 200)
    {
        await ExpectAsync(response, status);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A 4xx answered as RFC 7807 problem details: the status, application/problem+json, and a body whose status matches.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, int status)
    {
        await ExpectAsync(response, status);
        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(contentType == "application/problem+json",
            $"{request} ({status}): expected content-type application/problem+json, got '{contentType ?? "(none)"}'. Body: {Shorten(body)}");
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, (int?)json["status"]);
        return json;
    }

    /// <summary>A validation problem naming <paramref name="field"/> (camelCase) under "errors".</summary>
    public static async Task<JsonObject> ValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response, 400);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field),
            $"expected errors.{field} in {problem.ToJsonString()}");
        Assert.NotEmpty(errors![field]!.AsArray());
        return problem;
    }

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    public static HttpRequestMessage Request(HttpMethod method, string url, object? body = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is string raw) request.Content = RawJson(raw);
        else if (body is not null) request.Content = JsonContent.Create(body);
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return request;
    }

    private static string Shorten(string text) => text.Length <= 1500 ? text : text[..1500] + "…";
}

/// <summary>
/// Every row the API can change, written out in a stable order: equal snapshots mean nothing changed.
/// Covers friend requests, friendships, statuses, notifications, blocks, mutes, reports, roles and the
/// user fields the API edits (display name, status, privacy, suspension).
/// </summary>
public static class DbSnapshot
{
    public static async Task<string> TakeAsync(ApiFactory factory)
    {
        await using var db = factory.NewDb();
        var sb = new StringBuilder();
        foreach (var u in await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync())
            sb.AppendLine($"User {u.Id} {u.UserName} '{u.DisplayName}' status='{u.StatusText}' {u.StatusAt:O} privacy={u.Privacy.WhoCanSendRequests}/{u.Privacy.WhoSeesStatus}/{u.Privacy.WhoSeesFriends}/{u.Privacy.ShowInDirectory} suspended={u.SuspendedUntil:O} '{u.SuspensionReason}' lockout={u.LockoutEnd:O}");
        foreach (var r in await db.UserRoles.AsNoTracking().OrderBy(r => r.UserId).ThenBy(r => r.RoleId).ToListAsync())
            sb.AppendLine($"Role {r.UserId} {r.RoleId}");
        foreach (var r in await db.FriendRequests.AsNoTracking().OrderBy(r => r.Id).ToListAsync())
            sb.AppendLine($"FriendRequest {r.Id} {r.FromUserId}->{r.ToUserId} {r.State} {r.RespondedAt:O}");
        foreach (var f in await db.Friendships.AsNoTracking().OrderBy(f => f.UserId).ThenBy(f => f.FriendId).ToListAsync())
            sb.AppendLine($"Friendship {f.UserId}->{f.FriendId}");
        foreach (var s in await db.StatusUpdates.AsNoTracking().OrderBy(s => s.Id).ToListAsync())
            sb.AppendLine($"Status {s.Id} {s.AuthorId} '{s.Text}' hidden={s.IsHidden}");
        foreach (var n in await db.Notifications.AsNoTracking().OrderBy(n => n.Id).ToListAsync())
            sb.AppendLine($"Notification {n.Id} {n.RecipientId} {n.Kind} {n.ActorId} {n.SubjectId} read={n.ReadAt:O}");
        foreach (var b in await db.Blocks.AsNoTracking().OrderBy(b => b.BlockerId).ThenBy(b => b.BlockedId).ToListAsync())
            sb.AppendLine($"Block {b.BlockerId}->{b.BlockedId}");
        foreach (var m in await db.Mutes.AsNoTracking().OrderBy(m => m.UserId).ThenBy(m => m.MutedId).ToListAsync())
            sb.AppendLine($"Mute {m.UserId}->{m.MutedId}");
        foreach (var r in await db.Reports.AsNoTracking().OrderBy(r => r.Id).ToListAsync())
            sb.AppendLine($"Report {r.Id} {r.ReporterId}->{r.TargetUserId} {r.SubjectKey} {r.Reason} '{r.Details}' {r.State} {r.UpdatedAt:O} '{r.Resolution}'");
        return sb.ToString();
    }

    public static void AssertUnchanged(string before, string after, string what)
    {
        if (before == after) return;
        var was = before.Split('\n').ToHashSet();
        var now = after.Split('\n').ToHashSet();
        var removed = was.Except(now).Select(l => "- " + l);
        var added = now.Except(was).Select(l => "+ " + l);
        Assert.Fail($"{what}: the database changed although the call was refused:\n{string.Join("\n", removed.Concat(added))}");
    }
}
