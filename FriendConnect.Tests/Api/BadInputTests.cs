using System.Net.Http.Headers;
using System.Text;

namespace FriendConnect.Tests.Api;

/// <summary>
/// Bad requests of every kind get a 4xx problem response (application/problem+json), never a 500, and change nothing.
/// Bodies: a JSON text as written; "@plain:…" for a text/plain body; "@none" for no body at all.
/// Placeholders: {me}, {other} (a second user), {n:123} (a string of 123 characters).
/// </summary>
public sealed class BadInputTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    public static TheoryData<string, string, string?, string, int, string?> Cases => new()
    {
        // Malformed JSON
        { "POST", "/api/v1/statuses", """{"text":""", "user", 400, null },
        { "POST", "/api/v1/friend-requests", """{userName: x}""", "user", 400, null },
        { "PATCH", "/api/v1/me", "[1,2", "user", 400, null },
        { "PUT", "/api/v1/me/privacy", "{", "user", 400, null },
        { "POST", "/api/v1/reports", "not json", "user", 400, null },
        { "POST", "/api/v1/auth/register", "{", "anon", 400, null },
        { "POST", "/api/v1/auth/login", """{"login" """, "anon", 400, null },
        { "POST", "/api/v1/auth/refresh", "{{}}", "anon", 400, null },
        { "POST", "/api/v1/moderation/users/{other}/suspend", "{", "mod", 400, null },
        { "POST", "/api/v1/moderation/moderators", "{,}", "mod", 400, null },
        // Wrong types
        { "POST", "/api/v1/statuses", """{"text":5}""", "user", 400, null },
        { "POST", "/api/v1/statuses", "[]", "user", 400, null },
        { "POST", "/api/v1/statuses", "null", "user", 400, null },
        { "POST", "/api/v1/friend-requests", """{"userName":["a"]}""", "user", 400, null },
        { "PATCH", "/api/v1/me", """{"displayName":{"x":1}}""", "user", 400, null },
        { "PUT", "/api/v1/me/privacy", """{"showInDirectory":"yes"}""", "user", 400, null },
        { "POST", "/api/v1/reports", """{"userName":"{other}","reason":"Spam","statusId":"abc"}""", "user", 400, null },
        { "POST", "/api/v1/moderation/users/{other}/suspend", """{"days":"ten","reason":"x"}""", "mod", 400, null },
        { "POST", "/api/v1/moderation/users/{other}/suspend", """{"days":1.5,"reason":"x"}""", "mod", 400, null },
        { "POST", "/api/v1/auth/login", """{"login":1,"password":2}""", "anon", 400, null },
        { "POST", "/api/v1/auth/register", """{"userName":true,"password":"Test!pass123"}""", "anon", 400, null },
        // Missing fields
        { "POST", "/api/v1/statuses", "{}", "user", 400, "text" },
        { "POST", "/api/v1/friend-requests", "{}", "user", 400, "userName" },
        { "PATCH", "/api/v1/me", "{}", "user", 400, "displayName" },
        { "POST", "/api/v1/reports", "{}", "user", 400, "userName" },
        { "POST", "/api/v1/reports", """{"userName":"{other}"}""", "user", 400, "reason" },
        { "POST", "/api/v1/auth/register", "{}", "anon", 400, "password" },
        { "POST", "/api/v1/auth/login", "{}", "anon", 400, "login" },
        { "POST", "/api/v1/moderation/users/{other}/suspend", "{}", "mod", 400, "reason" },
        { "POST", "/api/v1/moderation/moderators", "{}", "mod", 400, "userName" },
        // Empty and over-long strings
        { "POST", "/api/v1/statuses", """{"text":""}""", "user", 400, "text" },
        { "POST", "/api/v1/statuses", """{"text":"{n:281}"}""", "user", 400, "text" },
        { "PATCH", "/api/v1/me", """{"displayName":""}""", "user", 400, "displayName" },
        { "PATCH", "/api/v1/me", """{"displayName":"{n:65}"}""", "user", 400, "displayName" },
        { "POST", "/api/v1/friend-requests", """{"userName":""}""", "user", 400, "userName" },
        { "POST", "/api/v1/friend-requests", """{"userName":"{n:5000}"}""", "user", 404, null },
        { "POST", "/api/v1/reports", """{"userName":"","reason":"Spam"}""", "user", 400, "userName" },
        { "POST", "/api/v1/reports", """{"userName":"{other}","reason":"Spam","details":"{n:1001}"}""", "user", 400, "details" },
        { "POST", "/api/v1/moderation/users/{other}/suspend", """{"days":1,"reason":"{n:501}"}""", "mod", 400, "reason" },
        { "POST", "/api/v1/auth/register", """{"userName":"{n:33}","password":"Test!pass123"}""", "anon", 400, "userName" },
        { "POST", "/api/v1/auth/register", """{"userName":"","email":"","password":"Test!pass123"}""", "anon", 400, "userName" },
        { "POST", "/api/v1/auth/register", """{"email":"{n:250}@example.com","password":"Test!pass123"}""", "anon", 400, "email" },
        { "POST", "/api/v1/auth/login", """{"login":"","password":""}""", "anon", 400, "login" },
        // Text no one could read as it is stored: controls (NUL), direction overrides, invisible characters
        { "POST", "/api/v1/statuses", """{"text":"hello\u0000world"}""", "user", 400, "text" },
        { "POST", "/api/v1/statuses", """{"text":"\u200B\u200B\u200B"}""", "user", 400, "text" },
        { "POST", "/api/v1/statuses", """{"text":"\u2067\u2060 \u00AD"}""", "user", 400, "text" },
        { "POST", "/api/v1/statuses", """{"text":"pay \u202Egnp.exe"}""", "user", 400, "text" },
        { "POST", "/api/v1/statuses", """{"text":"bell\u0007"}""", "user", 400, "text" },
        { "PATCH", "/api/v1/me", """{"displayName":"Al\u0000ice"}""", "user", 400, "displayName" },
        { "PATCH", "/api/v1/me", """{"displayName":"\u202Eecila"}""", "user", 400, "displayName" },
        { "PATCH", "/api/v1/me", """{"displayName":"ali\u200Bce"}""", "user", 400, "displayName" },
        { "PATCH", "/api/v1/me", """{"displayName":"\u200B\u200D"}""", "user", 400, "displayName" },
        { "PATCH", "/api/v1/me", """{"displayName":"Alice\nModerator"}""", "user", 400, "displayName" },
        { "PATCH", "/api/v1/me", """{"displayName":"Alice\u0085"}""", "user", 400, "displayName" },
        { "PATCH", "/api/v1/me", """{"displayName":"{other}"}""", "user", 400, "displayName" },
        { "POST", "/api/v1/auth/register", """{"userName":"nul-name","displayName":"N\u0000","password":"Test!pass123"}""", "anon", 400, "displayName" },
        { "POST", "/api/v1/auth/register", """{"email":"nul\u0000@example.com","password":"Test!pass123"}""", "anon", 400, "email" },
        { "POST", "/api/v1/reports", """{"userName":"{other}","reason":"Spam","details":"see \u0000 here"}""", "user", 400, "details" },
        { "POST", "/api/v1/moderation/users/{other}/suspend", """{"days":1,"reason":"spam\u0000"}""", "mod", 400, "reason" },
        { "POST", "/api/v1/moderation/users/{other}/suspend", """{"days":1,"reason":"\u200B"}""", "mod", 400, "reason" },
        // Unknown enum values (and numbers, which the API does not accept for enums)
        { "POST", "/api/v1/reports", """{"userName":"{other}","reason":"Rude"}""", "user", 400, null },
        { "POST", "/api/v1/reports", """{"userName":"{other}","reason":1}""", "user", 400, null },
        { "PUT", "/api/v1/me/privacy", """{"whoCanSendRequests":"Strangers"}""", "user", 400, null },
        { "PUT", "/api/v1/me/privacy", """{"whoSeesFriends":7}""", "user", 400, null },
        // Bad query strings
        { "GET", "/api/v1/feed?limit=abc", null, "user", 400, null },
        { "GET", "/api/v1/feed?cursor=abc", null, "user", 400, "cursor" },
        { "GET", "/api/v1/notifications?cursor=abc", null, "user", 400, null },
        { "GET", "/api/v1/users?limit=99999999999", null, "anon", 400, null },
        { "GET", "/api/v1/friends?cursor=x", null, "user", 400, "cursor" },
        { "GET", "/api/v1/moderation/reports?limit=x", null, "mod", 400, null },
        // Wrong media type, no body, wrong method
        { "POST", "/api/v1/statuses", "@plain:hello", "user", 415, null },
        { "POST", "/api/v1/statuses", "@none", "user", 400, null },
        { "POST", "/api/v1/auth/login", "@none", "anon", 400, null },
        // Ids and names that do not exist
        { "POST", "/api/v1/friend-requests/987654321/accept", null, "user", 404, null },
        { "POST", "/api/v1/friend-requests/987654321/decline", null, "user", 404, null },
        { "DELETE", "/api/v1/friend-requests/987654321", null, "user", 404, null },
        { "POST", "/api/v1/friend-requests/-1/accept", null, "user", 404, null },
        { "POST", "/api/v1/notifications/987654321/read", null, "user", 404, null },
        { "POST", "/api/v1/moderation/reports/987654321/dismiss", null, "mod", 404, null },
        { "POST", "/api/v1/moderation/reports/987654321/hide-status", null, "mod", 404, null },
        { "GET", "/api/v1/users/no-such-user-here", null, "anon", 404, null },
        { "GET", "/api/v1/users/no-such-user-here/friends", null, "anon", 404, null },
        { "GET", "/api/v1/users/no-such-user-here/statuses", null, "anon", 404, null },
        { "GET", "/api/v1/users/%20", null, "user", 404, null },
        { "GET", "/api/v1/users/%01", null, "anon", 404, null },
        { "GET", "/api/v1/users/{me}%01/friends", null, "anon", 404, null },
        { "GET", "/api/v1/users/{me}%1F/statuses", null, "anon", 404, null },
        { "POST", "/api/v1/friend-requests", """{"userName":"{other}\u0000"}""", "user", 404, null },
        { "PUT", "/api/v1/blocks/{other}%C2%85", null, "user", 404, null },
        { "DELETE", "/api/v1/friends/no-such-user-here", null, "user", 404, null },
        { "PUT", "/api/v1/blocks/no-such-user-here", null, "user", 404, null },
        { "DELETE", "/api/v1/blocks/no-such-user-here", null, "user", 404, null },
        { "PUT", "/api/v1/mutes/no-such-user-here", null, "user", 404, null },
        { "DELETE", "/api/v1/mutes/no-such-user-here", null, "user", 404, null },
        { "POST", "/api/v1/reports", """{"userName":"no-such-user-here","reason":"Spam"}""", "user", 404, null },
        { "POST", "/api/v1/reports", """{"userName":"{other}","statusId":987654321,"reason":"Spam"}""", "user", 404, null },
        { "POST", "/api/v1/moderation/users/no-such-user-here/suspend", """{"days":1,"reason":"x"}""", "mod", 404, null },
        { "DELETE", "/api/v1/moderation/users/no-such-user-here/suspension", null, "mod", 404, null },
        { "POST", "/api/v1/moderation/moderators", """{"userName":"no-such-user-here"}""", "mod", 404, null },
        { "GET", "/api/v1/no-such-resource", null, "user", 404, null },
        // Ids that are not numbers (or do not fit a long) match no route
        { "POST", "/api/v1/friend-requests/abc/accept", null, "user", 404, null },
        { "POST", "/api/v1/friend-requests/1.5/decline", null, "user", 404, null },
        { "DELETE", "/api/v1/friend-requests/abc", null, "user", 404, null },
        { "POST", "/api/v1/friend-requests/99999999999999999999/accept", null, "user", 404, null },
        { "POST", "/api/v1/notifications/abc/read", null, "user", 404, null },
        { "POST", "/api/v1/moderation/reports/abc/dismiss", null, "mod", 404, null },
        { "POST", "/api/v1/moderation/reports/abc/hide-status", null, "mod", 404, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_4xx_problem_and_changes_nothing(string method, string path, string? body, string who, int status, string? field)
    {
        var me = await app.RegisterAndLoginAsync();
        var other = await app.RegisterAndLoginAsync();
        string Fill(string text)
        {
            text = text.Replace("{me}", me.UserName).Replace("{other}", other.UserName);
            var n = text.IndexOf("{n:", StringComparison.Ordinal);
            if (n < 0) return text;
            var end = text.IndexOf('}', n);
            return text[..n] + new string('x', int.Parse(text[(n + 3)..end])) + text[(end + 1)..];
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        request.Content = body switch
        {
            null or "@none" => null,
            _ when body.StartsWith("@plain:") => new StringContent(body["@plain:".Length..], Encoding.UTF8, "text/plain"),
            _ => Http.RawJson(Fill(body)),
        };
        var caller = who switch { "user" => me, "mod" => app.Moderator, _ => null };
        if (caller is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.AccessToken);
        var before = await DbSnapshot.TakeAsync(app);

        using var client = app.Anonymous();
        var response = await client.SendAsync(request);

        DbSnapshot.AssertUnchanged(before, await DbSnapshot.TakeAsync(app), $"{method} {path}");
        if (field is null) await Http.ProblemAsync(response, status);
        else await Http.ValidationProblemAsync(response, field);
    }

    public static TheoryData<string, string> Protected => new()
    {
        { "GET", "/api/v1/me" },
        { "PATCH", "/api/v1/me" },
        { "GET", "/api/v1/feed" },
        { "POST", "/api/v1/statuses" },
        { "GET", "/api/v1/events" },
        { "PUT", "/api/v1/blocks/someone" },
        { "POST", "/api/v1/reports" },
        { "GET", "/api/v1/moderation/reports" },
        { "POST", "/api/v1/moderation/moderators" },
    };

    /// <summary>A method the route does not have: a 4xx problem (405 would be the precise answer; the app gives 404).</summary>
    [Theory]
    [InlineData("GET", "/api/v1/statuses")]
    [InlineData("PUT", "/api/v1/friend-requests")]
    [InlineData("DELETE", "/api/v1/me")]
    public async Task A_method_the_route_does_not_have_is_a_4xx_problem(string method, string path)
    {
        var me = await app.RegisterAndLoginAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Http.RawJson("{}") };
        var response = await me.Client.SendAsync(request);
        var status = (int)response.StatusCode;
        Assert.True(status is 404 or 405, $"{method} {path}: expected 404/405, got {status}");
        await Http.ProblemAsync(response, status);
    }

    /// <summary>No cookie, no token: 401 and no redirect to the sign-in page; with a bad token or cookie, the same.</summary>
    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Anonymous_calls_to_protected_endpoints_are_401_not_a_redirect(string method, string path)
    {
        using var client = app.Anonymous();
        foreach (var credentials in new[] { "none", "bad-bearer", "bad-cookie" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method != "GET") request.Content = Http.RawJson("""{"text":"x","userName":"x","reason":"Spam"}""");
            if (credentials == "bad-bearer") request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
            if (credentials == "bad-cookie") request.Headers.Add("Cookie", ".AspNetCore.Identity.Application=garbage");
            var response = await client.SendAsync(request);
            Assert.True((int)response.StatusCode == 401, $"{method} {path} with {credentials}: expected 401, got {(int)response.StatusCode}");
            Assert.Null(response.Headers.Location);
        }
    }

    /// <summary>The 401 itself should be a problem response like every other API error.</summary>
    [Fact]
    public async Task Anonymous_401_is_a_problem_response()
    {
        using var client = app.Anonymous();
        await Http.ProblemAsync(await client.GetAsync("/api/v1/me"), 401);
    }

    [Fact]
    public async Task Anonymous_calls_are_refused_before_the_body_is_read()
    {
        using var client = app.Anonymous();
        await Http.ExpectAsync(await client.PostAsync("/api/v1/statuses", Http.RawJson("{not json")), 401);
    }
}

/// <summary>Bodies over 64 KB are refused with 413. Runs on Kestrel: TestServer cannot enforce a body size limit.</summary>
public sealed class RequestSizeTests(KestrelApiFactory app) : IClassFixture<KestrelApiFactory>
{
    [Theory]
    [InlineData("/api/v1/statuses")]
    [InlineData("/api/v1/reports")]
    [InlineData("/api/v1/auth/register")]
    public async Task A_body_over_64_KB_is_413_problem(string path)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Moderator.AccessToken);
        var huge = "{\"text\":\"" + new string('a', 70 * 1024) + "\",\"userName\":\"x\",\"reason\":\"Spam\",\"password\":\"Test!pass123\"}";
        var before = await DbSnapshot.TakeAsync(app);

        var response = await client.PostAsync(path, Http.RawJson(huge));

        DbSnapshot.AssertUnchanged(before, await DbSnapshot.TakeAsync(app), $"POST {path} with 70 KB");
        await Http.ProblemAsync(response, 413);
    }

    [Fact]
    public async Task A_body_just_under_64_KB_is_read()
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Moderator.AccessToken);
        var body = "{\"text\":\"" + new string('a', 60 * 1024) + "\"}";

        // Read and judged by the domain (too long for a status), not refused for its size.
        await Http.ValidationProblemAsync(await client.PostAsync("/api/v1/statuses", Http.RawJson(body)), "text");
    }
}
