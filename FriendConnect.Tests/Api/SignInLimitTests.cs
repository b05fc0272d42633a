using System.Net;
using System.Net.Http.Json;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Api;

/// <summary>
/// SignIn limits of 3 failures per account-and-address and 6 per address, with windows far longer than a test. TestServer
/// has no client address, so each request names its own in an X-Test-Client-Address header.
/// </summary>
public sealed class SignInLimitedApiFactory : ApiFactory
{
    public const int PerAccount = 3;
    public const int PerAddress = 6;
    public const string AddressHeader = "X-Test-Client-Address";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:RequestsPerMinute"] = "100000",
        ["SignIn:FailuresPerAccountAndAddress"] = PerAccount.ToString(),
        ["SignIn:AccountWindow"] = "01:00:00",
        ["SignIn:FailuresPerAddress"] = PerAddress.ToString(),
        ["SignIn:AddressWindow"] = "01:00:00",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ClientAddressFromHeader(AddressHeader)));
    }

    public HttpClient ClientFrom(string address)
    {
        var client = CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }
}

/// <summary>Password guessing is limited per address and per account-and-address, on the API and the sign-in page alike.</summary>
public sealed class SignInLimitTests(SignInLimitedApiFactory app) : IClassFixture<SignInLimitedApiFactory>
{
    private const string Login = "/api/v1/auth/login";
    private const string Wrong = "Wrong!pass999";
    private static int _address;

    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref _address);
        return $"10.0.{n / 250}.{n % 250 + 1}";
    }

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        var wait = response.Headers.RetryAfter?.Delta;
        Assert.True(wait is { } w && w > TimeSpan.Zero && w <= TimeSpan.FromHours(1), $"Retry-After: '{response.Headers.RetryAfter}'");
    }

    private static async Task<HttpResponseMessage> ApiLoginAsync(HttpClient client, string login, string password, object? extra = null) =>
        await client.PostAsJsonAsync(Login, extra ?? new { login, password });

    private async Task GuessUntilLimitAsync(HttpClient client, string login)
    {
        for (var i = 0; i < SignInLimitedApiFactory.PerAccount; i++)
            await Http.ProblemAsync(await ApiLoginAsync(client, login, Wrong), 401);
    }

    [Fact]
    public async Task The_guess_after_the_limit_from_one_address_is_429_with_retry_after_on_the_api()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var attacker = app.ClientFrom(NewAddress());
        await GuessUntilLimitAsync(attacker, user.UserName);

        var refused = await ApiLoginAsync(attacker, user.UserName, Wrong);

        var problem = await Http.ProblemAsync(refused, 429);
        AssertRetryAfter(refused);
        Assert.Contains("Too many failed sign-in attempts", (string?)problem["detail"]);
        // Even the right password waits: the limit is checked before the password is.
        await Http.ProblemAsync(await ApiLoginAsync(attacker, user.UserName, ApiFactory.Password), 429);
    }

    [Fact]
    public async Task The_guess_after_the_limit_is_429_with_retry_after_and_a_clear_message_on_the_sign_in_page()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var attacker = app.ClientFrom(NewAddress());
        for (var i = 0; i < SignInLimitedApiFactory.PerAccount; i++)
        {
            var wrong = await BrowserForms.SignInAsync(attacker, user.UserName, Wrong);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("don&#x27;t match an account", await wrong.Content.ReadAsStringAsync());
        }

        var refused = await BrowserForms.SignInAsync(attacker, user.UserName, Wrong);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        AssertRetryAfter(refused);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Too many failed sign-in attempts", html);
        Assert.Contains("<h1>Sign in</h1>", html);
    }

    [Fact]
    public async Task A_suspended_accounts_right_password_after_the_limit_gets_the_same_429_and_no_reason()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        await app.Moderator.SuspendAsync(user, days: 2, reason: "Secret moderation note");
        using var attacker = app.ClientFrom(NewAddress());
        await GuessUntilLimitAsync(attacker, user.UserName);

        var refused = await ApiLoginAsync(attacker, user.UserName, ApiFactory.Password);

        await Http.ProblemAsync(refused, 429);
        AssertRetryAfter(refused);
        Assert.DoesNotContain("Secret moderation note", await refused.Content.ReadAsStringAsync());
        // The owner, from their own address and within the limits, learns why.
        using var owner = app.ClientFrom(NewAddress());
        var told = await Http.ProblemAsync(await ApiLoginAsync(owner, user.UserName, ApiFactory.Password), 403);
        Assert.Contains("Secret moderation note", (string?)told["detail"]);
    }

    [Fact]
    public async Task Guesses_from_another_address_do_not_lock_the_real_owner_out()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var attacker = app.ClientFrom(NewAddress());
        await GuessUntilLimitAsync(attacker, user.UserName);
        await Http.ProblemAsync(await ApiLoginAsync(attacker, user.UserName, Wrong), 429);

        using var owner = app.ClientFrom(NewAddress());
        var tokens = await Http.JsonAsync(await ApiLoginAsync(owner, user.UserName, ApiFactory.Password));

        Assert.False(string.IsNullOrEmpty((string?)tokens["accessToken"]));
        using var page = app.ClientFrom(NewAddress());
        Assert.Equal(HttpStatusCode.Redirect, (await BrowserForms.SignInAsync(page, user.UserName, ApiFactory.Password)).StatusCode);
    }

    [Fact]
    public async Task One_address_guessing_many_accounts_is_limited_too()
    {
        using var attacker = app.ClientFrom(NewAddress());
        for (var i = 0; i < SignInLimitedApiFactory.PerAddress; i++)
            await Http.ProblemAsync(await ApiLoginAsync(attacker, $"someone{i}-{Guid.NewGuid():N}"[..20], Wrong), 401);

        var refused = await ApiLoginAsync(attacker, app.Moderator.UserName, ApiFactory.Password);

        await Http.ProblemAsync(refused, 429);
        AssertRetryAfter(refused);
    }

    [Fact]
    public async Task A_two_factor_account_gets_a_clear_answer_and_signs_in_with_a_recovery_code()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        string recoveryCode;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var account = (await users.FindByIdAsync(user.Id))!;
            await users.ResetAuthenticatorKeyAsync(account);
            await users.SetTwoFactorEnabledAsync(account, true);
            recoveryCode = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 1))!.Single();
        }
        using var client = app.ClientFrom(NewAddress());

        var asked = await Http.ProblemAsync(await ApiLoginAsync(client, user.UserName, ApiFactory.Password), 401);
        Assert.Contains("two-factor", (string?)asked["detail"]);
        Assert.DoesNotContain("match an account", (string?)asked["detail"]);

        var wrongCode = await Http.ProblemAsync(await ApiLoginAsync(client, user.UserName, ApiFactory.Password,
            new { login = user.UserName, password = ApiFactory.Password, twoFactorCode = "000000" }), 401);
        Assert.Contains("two-factor code", (string?)wrongCode["detail"]);

        var tokens = await Http.JsonAsync(await ApiLoginAsync(client, user.UserName, ApiFactory.Password,
            new { login = user.UserName, password = ApiFactory.Password, twoFactorRecoveryCode = recoveryCode }));
        Assert.False(string.IsNullOrEmpty((string?)tokens["accessToken"]));
    }
}
