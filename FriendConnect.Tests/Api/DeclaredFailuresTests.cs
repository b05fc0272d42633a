using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace FriendConnect.Tests.Api;

/// <summary>
/// Every failure the OpenAPI document declares, met for real: each operation is called into each of its declared
/// problem responses, and the status and body must match the document. The pipeline's failures (401, 403 cross-site,
/// 400 unreadable input, 413, 415, 429) are driven from the document itself; the rest are listed case by case.
/// </summary>
public sealed class DeclaredFailuresTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    /// <summary>Failures the pipeline gives, by what an operation is; every other declared failure needs a case below.</summary>
    private static bool PipelineGives(DocumentedOperation operation, int status) => status switch
    {
        401 => operation.OperationId is not ("Login" or "Refresh"),
        403 => operation.ChangesState,
        400 => operation.ReadsJson || operation.IntegerQuery is not null,
        413 or 415 => operation.ReadsJson,
        429 => true,
        _ => false,
    };

    private static readonly HashSet<string> DomainLimitCases = ["Login 429", "SendFriendRequest 429", "PostStatus 429", "Report 429"];

    [Fact]
    public async Task Every_declared_failure_has_a_test()
    {
        var operations = await ApiContract.OperationsAsync(app);
        var untested = operations
            .SelectMany(o => o.Failures.Where(status => !PipelineGives(o, status)).Select(status => $"{o.OperationId} {status}"))
            .Where(key => !Cases.ContainsKey(key) && !DomainLimitCases.Contains(key))
            .ToList();
        Assert.True(untested.Count == 0, "declared in the OpenAPI document but never provoked by a test: " + string.Join(", ", untested));
        var stale = Cases.Keys.Where(key => !operations.Any(o => o.Failures.Any(status => $"{o.OperationId} {status}" == key))).ToList();
        Assert.True(stale.Count == 0, "cases for failures the document does not declare: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Without_a_token_every_signed_in_operation_is_401()
    {
        var operations = await ApiContract.OperationsAsync(app);
        using var client = app.Anonymous();
        await ApiContract.ForEachAsync(operations.Where(o => PipelineGives(o, 401) && o.Failures.Contains(401)), async operation =>
            await ApiContract.AssertDeclaredAsync(operation, await client.SendAsync(operation.Request()), 401));
    }

    [Fact]
    public async Task A_cookie_write_from_another_site_is_403_on_every_state_changing_operation()
    {
        var operations = await ApiContract.OperationsAsync(app);
        using var client = app.Anonymous();
        await ApiContract.ForEachAsync(operations.Where(o => o.ChangesState), async operation =>
        {
            var request = operation.Request();
            request.Headers.Add("Origin", "https://elsewhere.example");
            await ApiContract.AssertDeclaredAsync(operation, await client.SendAsync(request), 403);
        });
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_on_every_operation_that_reads_one()
    {
        var operations = await ApiContract.OperationsAsync(app);
        using var client = app.Anonymous();
        await ApiContract.ForEachAsync(operations.Where(o => o.ReadsJson), async operation =>
        {
            var request = operation.Request(bearer: app.Moderator.AccessToken);
            request.Content = new StringContent("userName=someone", Encoding.UTF8, "application/x-www-form-urlencoded");
            await ApiContract.AssertDeclaredAsync(operation, await client.SendAsync(request), 415);
        });
    }

    [Fact]
    public async Task Unreadable_input_is_400_on_every_operation_that_reads_a_body_or_a_number()
    {
        var operations = await ApiContract.OperationsAsync(app);
        var user = await app.CreateUserDirectAsync();
        using var client = app.Anonymous();
        await ApiContract.ForEachAsync(operations.Where(o => PipelineGives(o, 400)), async operation =>
        {
            var request = operation.ReadsJson
                ? operation.Request(json: "{\"not json", bearer: user.AccessToken)
                : operation.Request(bearer: user.AccessToken, query: $"?{operation.IntegerQuery}=many");
            await ApiContract.AssertDeclaredAsync(operation, await client.SendAsync(request), 400);
        });
    }

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_operation_meets_its_declared_failure(string name)
    {
        var (operationId, status) = (name.Split(' ')[0], int.Parse(name.Split(' ')[1]));
        var operation = (await ApiContract.OperationsAsync(app)).Single(o => o.OperationId == operationId);
        var response = await Cases[name](app);
        Assert.Equal(operation.Method, response.RequestMessage!.Method.Method);
        await ApiContract.AssertDeclaredAsync(operation, response, status);
    }

    private const string Nobody = "nobody-by-that-name";
    private const long NoId = 987654321;

    private static async Task<HttpResponseMessage> Anonymous(ApiFactory app, HttpMethod method, string url, object? body = null)
    {
        using var client = app.Anonymous();
        return await client.SendAsync(Http.Request(method, url, body));
    }

    private static async Task<ApiUser> Befriended(ApiFactory app, ApiUser with)
    {
        var friend = await app.CreateUserDirectAsync();
        await with.BefriendAsync(friend);
        return friend;
    }

    private static async Task<(ApiUser From, ApiUser To, long Id)> PendingRequest(ApiFactory app)
    {
        var (from, to) = (await app.CreateUserDirectAsync(), await app.CreateUserDirectAsync());
        return (from, to, await from.SendRequestAsync(to));
    }

    private static async Task<long> OpenReport(ApiFactory app, bool withStatus = false)
    {
        var (reporter, target) = (await app.CreateUserDirectAsync(), await app.CreateUserDirectAsync());
        long? statusId = withStatus ? await target.PostStatusAsync("reported") : null;
        return await reporter.ReportAsync(app, target, statusId);
    }

    /// <summary>"OperationId status" → a call that meets that failure.</summary>
    private static readonly Dictionary<string, Func<ApiFactory, Task<HttpResponseMessage>>> Cases = new()
    {
        ["Register 400"] = app => Anonymous(app, HttpMethod.Post, "/api/v1/auth/register", new { userName = app.NewName(), password = "" }),
        ["Login 400"] = app => Anonymous(app, HttpMethod.Post, "/api/v1/auth/login", new { login = "", password = "x" }),
        ["Login 401"] = async app => await Anonymous(app, HttpMethod.Post, "/api/v1/auth/login",
            new { login = (await app.CreateUserDirectAsync(signIn: false)).UserName, password = "not the password" }),
        ["Login 403"] = async app =>
        {
            var user = await app.CreateUserDirectAsync(signIn: false);
            await app.Moderator.SuspendAsync(user);
            return await Anonymous(app, HttpMethod.Post, "/api/v1/auth/login", new { login = user.UserName, password = ApiFactory.Password });
        },
        ["Refresh 401"] = app => Anonymous(app, HttpMethod.Post, "/api/v1/auth/refresh", new { refreshToken = "not a token" }),
        ["GetUser 404"] = app => Anonymous(app, HttpMethod.Get, $"/api/v1/users/{Nobody}"),
        ["ListUserFriends 403"] = async app =>
        {
            var user = await app.CreateUserDirectAsync();
            await Http.ExpectAsync(await user.PutAsync("/api/v1/me/privacy",
                new { whoCanSendRequests = "Everyone", whoSeesStatus = "Friends", whoSeesFriends = "OnlyMe", showInDirectory = true }), 204);
            return await Anonymous(app, HttpMethod.Get, $"/api/v1/users/{user.UserName}/friends");
        },
        ["ListUserFriends 400"] = async app => await Anonymous(app, HttpMethod.Get, $"/api/v1/users/{(await app.CreateUserDirectAsync(signIn: false)).UserName}/friends?cursor=later"),
        ["ListUserFriends 404"] = app => Anonymous(app, HttpMethod.Get, $"/api/v1/users/{Nobody}/friends"),
        ["ListUserStatuses 400"] = async app => await Anonymous(app, HttpMethod.Get, $"/api/v1/users/{(await app.CreateUserDirectAsync(signIn: false)).UserName}/statuses?cursor=yesterday"),
        ["ListUserStatuses 404"] = app => Anonymous(app, HttpMethod.Get, $"/api/v1/users/{Nobody}/statuses"),
        ["UpdateMe 400"] = async app => await (await app.CreateUserDirectAsync()).PatchAsync("/api/v1/me", new { displayName = "" }),
        ["UpdatePrivacy 400"] = async app => await (await app.CreateUserDirectAsync()).PutAsync("/api/v1/me/privacy",
            new { whoCanSendRequests = "Martians", whoSeesStatus = "Friends", whoSeesFriends = "OnlyMe", showInDirectory = true }),
        ["ListIncomingRequests 400"] = async app => await (await app.CreateUserDirectAsync()).GetAsync("/api/v1/friend-requests/incoming?cursor=yesterday"),
        ["ListOutgoingRequests 400"] = async app => await (await app.CreateUserDirectAsync()).GetAsync("/api/v1/friend-requests/outgoing?cursor=yesterday"),
        ["SendFriendRequest 400"] = async app =>
        {
            var user = await app.CreateUserDirectAsync();
            return await user.PostAsync("/api/v1/friend-requests", new { userName = user.UserName });
        },
        ["SendFriendRequest 403"] = async app =>
        {
            var (user, closed) = (await app.CreateUserDirectAsync(), await app.CreateUserDirectAsync());
            await Http.ExpectAsync(await closed.PutAsync("/api/v1/me/privacy",
                new { whoCanSendRequests = "Nobody", whoSeesStatus = "Friends", whoSeesFriends = "Friends", showInDirectory = true }), 204);
            return await user.PostAsync("/api/v1/friend-requests", new { userName = closed.UserName });
        },
        ["SendFriendRequest 404"] = async app => await (await app.CreateUserDirectAsync()).PostAsync("/api/v1/friend-requests", new { userName = Nobody }),
        ["SendFriendRequest 409"] = async app =>
        {
            var user = await app.CreateUserDirectAsync();
            var friend = await Befriended(app, user);
            return await user.PostAsync("/api/v1/friend-requests", new { userName = friend.UserName });
        },
        ["AcceptFriendRequest 403"] = async app =>
        {
            var (from, _, id) = await PendingRequest(app);
            return await from.PostAsync($"/api/v1/friend-requests/{id}/accept");
        },
        ["AcceptFriendRequest 404"] = async app => await (await app.CreateUserDirectAsync()).PostAsync($"/api/v1/friend-requests/{NoId}/accept"),
        ["AcceptFriendRequest 409"] = async app =>
        {
            var (_, to, id) = await PendingRequest(app);
            await Http.ExpectAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/decline"), 204);
            return await to.PostAsync($"/api/v1/friend-requests/{id}/accept");
        },
        ["DeclineFriendRequest 403"] = async app =>
        {
            var (from, _, id) = await PendingRequest(app);
            return await from.PostAsync($"/api/v1/friend-requests/{id}/decline");
        },
        ["DeclineFriendRequest 404"] = async app => await (await app.CreateUserDirectAsync()).PostAsync($"/api/v1/friend-requests/{NoId}/decline"),
        ["DeclineFriendRequest 409"] = async app =>
        {
            var (_, to, id) = await PendingRequest(app);
            await Http.ExpectAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/accept"), 204);
            return await to.PostAsync($"/api/v1/friend-requests/{id}/decline");
        },
        ["CancelFriendRequest 403"] = async app =>
        {
            var (_, to, id) = await PendingRequest(app);
            return await to.DeleteAsync($"/api/v1/friend-requests/{id}");
        },
        ["CancelFriendRequest 404"] = async app => await (await app.CreateUserDirectAsync()).DeleteAsync($"/api/v1/friend-requests/{NoId}"),
        ["CancelFriendRequest 409"] = async app =>
        {
            var (from, to, id) = await PendingRequest(app);
            await Http.ExpectAsync(await to.PostAsync($"/api/v1/friend-requests/{id}/accept"), 204);
            return await from.DeleteAsync($"/api/v1/friend-requests/{id}");
        },
        ["Unfriend 404"] = async app => await (await app.CreateUserDirectAsync()).DeleteAsync($"/api/v1/friends/{Nobody}"),
        ["PostStatus 400"] = async app => await (await app.CreateUserDirectAsync()).PostAsync("/api/v1/statuses", new { text = "" }),
        ["GetFeed 400"] = async app => await (await app.CreateUserDirectAsync()).GetAsync("/api/v1/feed?cursor=yesterday"),
        ["MarkNotificationRead 404"] = async app => await (await app.CreateUserDirectAsync()).PostAsync($"/api/v1/notifications/{NoId}/read"),
        ["Block 400"] = async app =>
        {
            var user = await app.CreateUserDirectAsync();
            return await user.PutAsync($"/api/v1/blocks/{user.UserName}");
        },
        ["Block 404"] = async app => await (await app.CreateUserDirectAsync()).PutAsync($"/api/v1/blocks/{Nobody}"),
        ["Unblock 404"] = async app => await (await app.CreateUserDirectAsync()).DeleteAsync($"/api/v1/blocks/{Nobody}"),
        ["Mute 400"] = async app =>
        {
            var (user, stranger) = (await app.CreateUserDirectAsync(), await app.CreateUserDirectAsync());
            return await user.PutAsync($"/api/v1/mutes/{stranger.UserName}");
        },
        ["Mute 404"] = async app => await (await app.CreateUserDirectAsync()).PutAsync($"/api/v1/mutes/{Nobody}"),
        ["Unmute 404"] = async app => await (await app.CreateUserDirectAsync()).DeleteAsync($"/api/v1/mutes/{Nobody}"),
        ["Report 400"] = async app => await (await app.CreateUserDirectAsync()).PostAsync("/api/v1/reports", new { reason = "Spam" }),
        ["Report 404"] = async app => await (await app.CreateUserDirectAsync()).PostAsync("/api/v1/reports", new { userName = Nobody, reason = "Spam" }),
        ["ListOpenReports 403"] = async app => await (await app.CreateUserDirectAsync()).GetAsync("/api/v1/moderation/reports"),
        ["ListAuditLog 403"] = async app => await (await app.CreateUserDirectAsync()).GetAsync("/api/v1/moderation/audit"),
        ["ListAuditLog 404"] = app => app.Moderator.GetAsync($"/api/v1/moderation/audit?person={Nobody}"),
        ["DismissReport 403"] = async app => await (await app.CreateUserDirectAsync()).PostAsync($"/api/v1/moderation/reports/{await OpenReport(app)}/dismiss"),
        ["DismissReport 404"] = app => app.Moderator.PostAsync($"/api/v1/moderation/reports/{NoId}/dismiss"),
        ["DismissReport 409"] = async app =>
        {
            var id = await OpenReport(app);
            await Http.ExpectAsync(await app.Moderator.PostAsync($"/api/v1/moderation/reports/{id}/dismiss"), 204);
            return await app.Moderator.PostAsync($"/api/v1/moderation/reports/{id}/dismiss");
        },
        ["HideReportedStatus 400"] = async app => await app.Moderator.PostAsync($"/api/v1/moderation/reports/{await OpenReport(app)}/hide-status"),
        ["HideReportedStatus 403"] = async app => await (await app.CreateUserDirectAsync()).PostAsync($"/api/v1/moderation/reports/{await OpenReport(app, withStatus: true)}/hide-status"),
        ["HideReportedStatus 404"] = app => app.Moderator.PostAsync($"/api/v1/moderation/reports/{NoId}/hide-status"),
        ["RemoveReportedPhoto 400"] = async app => await app.Moderator.PostAsync($"/api/v1/moderation/reports/{await OpenReport(app)}/remove-photo"),
        ["RemoveReportedPhoto 404"] = app => app.Moderator.PostAsync($"/api/v1/moderation/reports/{NoId}/remove-photo"),
        ["SuspendUser 400"] = async app => await app.Moderator.PostAsync($"/api/v1/moderation/users/{(await app.CreateUserDirectAsync(signIn: false)).UserName}/suspend", new { days = -3, reason = "x" }),
        ["SuspendUser 403"] = async app => await (await app.CreateUserDirectAsync()).PostAsync($"/api/v1/moderation/users/{(await app.CreateUserDirectAsync(signIn: false)).UserName}/suspend", new { days = 3, reason = "x" }),
        ["SuspendUser 404"] = app => app.Moderator.PostAsync($"/api/v1/moderation/users/{Nobody}/suspend", new { days = 3, reason = "x" }),
        ["LiftSuspension 403"] = async app => await (await app.CreateUserDirectAsync()).DeleteAsync($"/api/v1/moderation/users/{(await app.CreateUserDirectAsync(signIn: false)).UserName}/suspension"),
        ["LiftSuspension 404"] = app => app.Moderator.DeleteAsync($"/api/v1/moderation/users/{Nobody}/suspension"),
        ["GrantModerator 400"] = app => app.Moderator.PostAsync("/api/v1/moderation/moderators", new { userName = "" }),
        ["GrantModerator 403"] = async app => await (await app.CreateUserDirectAsync()).PostAsync("/api/v1/moderation/moderators", new { userName = app.Moderator.UserName }),
        ["GrantModerator 404"] = app => app.Moderator.PostAsync("/api/v1/moderation/moderators", new { userName = Nobody }),
    };
}

/// <summary>413 on every operation that reads a body. Kestrel: TestServer cannot enforce a body size limit.</summary>
public sealed class DeclaredRequestSizeTests(KestrelApiFactory app) : IClassFixture<KestrelApiFactory>
{
    [Fact]
    public async Task A_body_over_64_KB_is_413_on_every_operation_that_reads_one()
    {
        var operations = await ApiContract.OperationsAsync(app);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var huge = "{\"text\":\"" + new string('a', 70 * 1024) + "\"}";
        await ApiContract.ForEachAsync(operations.Where(o => o.ReadsJson), async operation =>
            await ApiContract.AssertDeclaredAsync(operation, await client.SendAsync(operation.Request(json: huge, bearer: app.Moderator.AccessToken)), 413));
    }
}

/// <summary>429 with Retry-After from the API's rate limiter on every operation.</summary>
public sealed class DeclaredRateLimitTests(RateLimitedApiFactory app) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task Past_the_rate_limit_every_operation_is_429_with_retry_after()
    {
        var operations = await ApiContract.OperationsAsync(app);
        var user = await app.CreateUserDirectAsync();
        using var anonymous = app.Anonymous();
        await ApiContract.ForEachAsync(operations, async operation =>
        {
            // Signed-in callers are counted per user, anonymous ones per address: use up the partition this call falls in.
            var asUser = operation.Failures.Contains(401) && operation.OperationId is not ("Login" or "Refresh");
            var bearer = asUser ? user.AccessToken : null;
            HttpResponseMessage response = default!;
            // A one-minute window may turn over between using it up and the call: then use it up once more.
            for (var attempt = 0; attempt < 2 && (int?)response?.StatusCode != 429; attempt++)
            {
                await UseUpAsync(anonymous, bearer);
                response = await anonymous.SendAsync(operation.Request(bearer: bearer));
            }
            await ApiContract.AssertDeclaredAsync(operation, response, 429);
        });
    }

    private static async Task UseUpAsync(HttpClient client, string? bearer)
    {
        for (var i = 0; i < 2 * RateLimitedApiFactory.PerMinute + 1; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, bearer is null ? "/api/v1/users" : "/api/v1/me");
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            if ((int)(await client.SendAsync(request)).StatusCode == 429) return;
        }
        Assert.Fail("the rate limit was never reached");
    }
}

/// <summary>429 with Retry-After from the domain's action limits (two a day or an hour here).</summary>
public sealed class DeclaredActionLimitTests(ActionLimitedApiFactory app) : IClassFixture<ActionLimitedApiFactory>
{
    [Fact]
    public async Task Past_the_action_limits_posting_requesting_and_reporting_are_429_with_retry_after()
    {
        var operations = await ApiContract.OperationsAsync(app);
        var user = await app.CreateUserDirectAsync();
        var others = new List<ApiUser>();
        for (var i = 0; i < 3; i++) others.Add(await app.CreateUserDirectAsync());

        async Task<HttpResponseMessage> ThirdAsync(Func<int, Task<HttpResponseMessage>> call)
        {
            for (var i = 0; i < 2; i++) Assert.True((await call(i)).IsSuccessStatusCode);
            return await call(2);
        }

        await ApiContract.AssertDeclaredAsync(operations.Single(o => o.OperationId == "PostStatus"),
            await ThirdAsync(i => user.PostAsync("/api/v1/statuses", new { text = $"status {i}" })), 429);
        await ApiContract.AssertDeclaredAsync(operations.Single(o => o.OperationId == "SendFriendRequest"),
            await ThirdAsync(i => user.PostAsync("/api/v1/friend-requests", new { userName = others[i].UserName })), 429);
        await ApiContract.AssertDeclaredAsync(operations.Single(o => o.OperationId == "Report"),
            await ThirdAsync(i => user.PostAsync("/api/v1/reports", new { userName = others[i].UserName, reason = "Spam" })), 429);
    }
}

/// <summary>429 with Retry-After from the sign-in limits.</summary>
public sealed class DeclaredSignInLimitTests(SignInLimitedApiFactory app) : IClassFixture<SignInLimitedApiFactory>
{
    [Fact]
    public async Task Past_the_sign_in_limit_login_is_429_with_retry_after()
    {
        var operation = (await ApiContract.OperationsAsync(app)).Single(o => o.OperationId == "Login");
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var client = app.ClientFrom("203.0.113.14");
        HttpResponseMessage response;
        var attempts = 0;
        do response = await client.PostAsJsonAsync("/api/v1/auth/login", new { login = user.UserName, password = "wrong" });
        while ((int)response.StatusCode == 401 && ++attempts <= SignInLimitedApiFactory.PerAccount);
        await ApiContract.AssertDeclaredAsync(operation, response, 429);
    }
}
