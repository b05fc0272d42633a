using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>The API rate limiter (Api:RequestsPerMinute = 5): 429, Retry-After and a problem body.</summary>
public sealed class RateLimitTests(RateLimitedApiFactory app) : IClassFixture<RateLimitedApiFactory>
{
    private const int Limit = RateLimitedApiFactory.PerMinute;

    /// <summary>
    /// Calls until the first 429 (at most twice the limit plus one, in case a one-minute window turns over mid-test)
    /// and returns how many calls succeeded before it, and the 429 itself.
    /// </summary>
    private static async Task<(int Succeeded, HttpResponseMessage Rejected)> CallUntilLimitedAsync(Func<Task<HttpResponseMessage>> call)
    {
        for (var i = 0; i < 2 * Limit + 1; i++)
        {
            var response = await call();
            if ((int)response.StatusCode == 429) return (i, response);
            await Http.ExpectAsync(response, 200);
        }
        Assert.Fail($"no 429 after {2 * Limit + 1} calls with a limit of {Limit} a minute");
        return default;
    }

    private static async Task AssertRejectionAsync(HttpResponseMessage rejected)
    {
        var retryAfter = rejected.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(1),
            $"Retry-After: '{rejected.Headers.RetryAfter}'");
        var problem = await Http.ProblemAsync(rejected, 429);
        Assert.Equal("Too many requests", (string?)problem["title"]);
    }

    /// <summary>
    /// One test, in order: the anonymous partition (TestServer has no remote address, so every anonymous call shares
    /// it) is needed for the two sign-ins first, and only then exhausted on purpose.
    /// </summary>
    [Fact]
    public async Task Callers_get_429_with_retry_after_and_a_problem_body_past_the_limit()
    {
        // Made in-process and signed in with one request each, so the anonymous partition is barely touched.
        var user = await app.CreateUserDirectAsync();
        var other = await app.CreateUserDirectAsync();

        var (succeeded, rejected) = await CallUntilLimitedAsync(() => user.GetAsync("/api/v1/me"));

        Assert.True(succeeded >= Limit, $"only {succeeded} calls succeeded before a 429");
        await AssertRejectionAsync(rejected);
        // Partitions are per user: someone else still gets through.
        await Http.ExpectAsync(await other.GetAsync("/api/v1/me"), 200);
        // A refused call does nothing.
        var rejectedPost = await user.PostAsync("/api/v1/statuses", new { text = "over the limit" });
        Assert.Equal(429, (int)rejectedPost.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.StatusUpdates.CountAsync(s => s.AuthorId == user.Id)));

        // Anonymous callers are limited too.
        using var anonymous = app.Anonymous();
        var (_, anonymousRejected) = await CallUntilLimitedAsync(() => anonymous.GetAsync("/api/v1/users"));
        await AssertRejectionAsync(anonymousRejected);
    }

    [Fact]
    public async Task Health_is_not_rate_limited()
    {
        using var anonymous = app.Anonymous();
        for (var i = 0; i < 3 * Limit; i++)
            await Http.ExpectAsync(await anonymous.GetAsync("/health"), 200);
    }
}

/// <summary>Domain action limits (ActionLimits:* = 2): the third action in the window is 429 with Retry-After.</summary>
public sealed class ActionLimitTests(ActionLimitedApiFactory app) : IClassFixture<ActionLimitedApiFactory>
{
    private static async Task AssertLimitedAsync(HttpResponseMessage response, TimeSpan window)
    {
        var problem = await Http.ProblemAsync(response, 429);
        Assert.Equal("Limit reached.", (string?)problem["title"]);
        Assert.Contains("limit of 2", (string?)problem["detail"]);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait > window - TimeSpan.FromMinutes(5) && wait <= window,
            $"Retry-After: '{response.Headers.RetryAfter}' for a window of {window}");
    }

    [Fact]
    public async Task The_third_status_in_an_hour_is_429_with_retry_after()
    {
        var me = await app.RegisterAndLoginAsync();
        await me.PostStatusAsync("one");
        await me.PostStatusAsync("two");

        await AssertLimitedAsync(await me.PostAsync("/api/v1/statuses", new { text = "three" }), TimeSpan.FromHours(1));

        Assert.Equal(2, await app.QueryAsync(db => db.StatusUpdates.CountAsync(s => s.AuthorId == me.Id)));
    }

    [Fact]
    public async Task The_third_friend_request_in_a_day_is_429_with_retry_after()
    {
        var me = await app.RegisterAndLoginAsync();
        var others = await app.UsersAsync(3);
        await me.SendRequestAsync(others[0]);
        await me.SendRequestAsync(others[1]);

        await AssertLimitedAsync(await me.PostAsync("/api/v1/friend-requests", new { userName = others[2].UserName }), TimeSpan.FromDays(1));

        Assert.Equal(2, await app.QueryAsync(db => db.FriendRequests.CountAsync(r => r.FromUserId == me.Id)));
    }

    [Fact]
    public async Task The_third_report_in_a_day_is_429_but_updating_an_open_report_is_not()
    {
        var me = await app.RegisterAndLoginAsync();
        var others = await app.UsersAsync(3);
        await me.ReportAsync(app, others[0]);
        await me.ReportAsync(app, others[1]);

        await AssertLimitedAsync(await me.PostAsync("/api/v1/reports", new { userName = others[2].UserName, reason = "Spam" }), TimeSpan.FromDays(1));
        var update = await Http.JsonAsync(await me.PostAsync("/api/v1/reports", new { userName = others[0].UserName, reason = "Other" }));
        Assert.Equal("Updated", (string?)update["outcome"]);

        Assert.Equal(2, await app.QueryAsync(db => db.Reports.CountAsync(r => r.ReporterId == me.Id)));
    }
}
