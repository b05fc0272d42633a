using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FriendConnect.Tests.Api;

/// <summary>
/// "Sessions end everywhere, at once": after a password change, a suspension, a deletion or "sign out everywhere",
/// every cookie, access token, refresh token and event stream issued before it is refused on its very next use.
/// </summary>
public sealed class SessionEndTests(ApiFactory app, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Enders => ["password change", "suspension", "deletion", "sign out everywhere"];

    private async Task EndSessionsAsync(string how, ApiUser user)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        switch (how)
        {
            case "password change":
                var changed = await users.ChangePasswordAsync((await users.FindByIdAsync(user.Id))!, ApiFactory.Password, "New!pass456");
                Assert.True(changed.Succeeded);
                break;
            case "suspension":
                await app.Moderator.SuspendAsync(user, days: 1, reason: "Ending sessions");
                break;
            case "deletion":
                Assert.True((await accounts.DeleteAsync(user.Id)).Succeeded);
                break;
            case "sign out everywhere":
                Assert.True((await accounts.EndAllSessionsAsync(user.Id)).Succeeded);
                break;
        }
    }

    private async Task<HttpClient> SignedInBrowserAsync(ApiUser user)
    {
        var browser = BrowserForms.NewBrowser(app);
        var signedIn = await BrowserForms.SignInAsync(browser, user.UserName, ApiFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/data")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Manage")).StatusCode);
        return browser;
    }

    private static void AssertSentToSignIn(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{what}: expected a redirect to sign in, got {(int)response.StatusCode}");
        Assert.Contains("/Account/Login", response.Headers.Location?.ToString());
    }

    [Theory]
    [MemberData(nameof(Enders))]
    public async Task After_it_a_cookie_is_refused_on_the_api_on_account_data_and_on_the_account_pages(string how)
    {
        var user = await app.RegisterAndLoginAsync();
        using var browser = await SignedInBrowserAsync(user);

        await EndSessionsAsync(how, user);

        var api = await browser.GetAsync("/api/v1/me");
        Assert.True(api.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"GET /api/v1/me: {(int)api.StatusCode}");
        AssertSentToSignIn(await browser.GetAsync("/account/data"), "GET /account/data");
        AssertSentToSignIn(await browser.GetAsync("/Account/Manage"), "GET /Account/Manage");
        AssertSentToSignIn(await browser.GetAsync("/Account/Manage/ChangePassword"), "GET /Account/Manage/ChangePassword");
    }

    [Theory]
    [MemberData(nameof(Enders))]
    public async Task After_it_an_access_token_is_refused_everywhere_and_a_refresh_token_is_refused(string how)
    {
        var user = await app.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/account/data")).StatusCode);

        await EndSessionsAsync(how, user);

        var data = await user.GetAsync("/account/data");
        Assert.True(data.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, $"GET /account/data: {(int)data.StatusCode}");
        Assert.DoesNotContain(user.UserName, await data.Content.ReadAsStringAsync());
        var me = await user.GetAsync("/api/v1/me");
        Assert.True(me.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"GET /api/v1/me: {(int)me.StatusCode}");
        using var anonymous = app.Anonymous();
        await Http.ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken }), 401);
    }

    [Theory]
    [MemberData(nameof(Enders))]
    public async Task After_it_an_open_event_stream_gets_signed_out_and_closes_within_a_second(string how)
    {
        var user = await app.RegisterAndLoginAsync();
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await SseConnection.OpenAsync(user, null, overall.Token);

        await EndSessionsAsync(how, user);
        var clock = Stopwatch.StartNew();

        var signedOut = await stream.NextAsync(overall.Token);
        Assert.Equal("signed-out", signedOut.Event);
        await Assert.ThrowsAsync<EndOfStreamException>(() => stream.NextAsync(overall.Token));
        output.WriteLine($"{how}: stream signed out and closed {clock.ElapsedMilliseconds} ms after the change");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    /// <summary>How long a change made outside this process (a command, another node while Redis is down) may take to end a session.</summary>
    public static readonly TimeSpan OutsideChangeDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_password_reset_from_the_command_line_signs_out_an_open_event_stream_within_five_seconds()
    {
        var user = await app.RegisterAndLoginAsync();
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var stream = await SseConnection.OpenAsync(user, null, overall.Token);
        var stampBefore = await StampAsync(user.Id);

        await CommandLine.ResetPasswordAsync(app.Database, user.UserName);
        var clock = Stopwatch.StartNew();
        Assert.NotEqual(stampBefore, await StampAsync(user.Id));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
        deadline.CancelAfter(OutsideChangeDeadline);
        var signedOut = await stream.NextAsync(deadline.Token);
        Assert.Equal("signed-out", signedOut.Event);
        await Assert.ThrowsAsync<EndOfStreamException>(() => stream.NextAsync(deadline.Token));
        output.WriteLine($"command-line reset: stream signed out and closed {clock.ElapsedMilliseconds} ms after the command returned");
    }

    private Task<string?> StampAsync(string userId) =>
        app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());

    [Fact]
    public async Task A_suspended_users_refused_token_hears_why()
    {
        var user = await app.RegisterAndLoginAsync();
        await app.Moderator.SuspendAsync(user, days: 2, reason: "Shouting");

        var problem = await Http.ProblemAsync(await user.GetAsync("/api/v1/feed"), 403);

        Assert.Contains("Reason: Shouting", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Sign_out_everywhere_on_the_account_page_keeps_this_browser_and_ends_the_others()
    {
        var user = await app.RegisterAndLoginAsync();
        using var here = await SignedInBrowserAsync(user);
        using var elsewhere = await SignedInBrowserAsync(user);

        var response = await BrowserForms.PostFormAsync(here, "/Account/Manage", "sign-out-everywhere", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/Account/Manage")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/v1/me")).StatusCode);
        AssertSentToSignIn(await elsewhere.GetAsync("/Account/Manage"), "the other browser");
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_on_the_account_page_keeps_this_browser_and_ends_the_others()
    {
        var user = await app.RegisterAndLoginAsync();
        using var here = await SignedInBrowserAsync(user);
        using var elsewhere = await SignedInBrowserAsync(user);

        var response = await BrowserForms.PostFormAsync(here, "/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = ApiFactory.Password,
            ["Input.NewPassword"] = "New!pass456",
            ["Input.ConfirmPassword"] = "New!pass456",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/Account/Manage")).StatusCode);
        AssertSentToSignIn(await elsewhere.GetAsync("/Account/Manage"), "the other browser");
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/v1/me")).StatusCode);
    }
}
