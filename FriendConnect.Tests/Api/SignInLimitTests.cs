using System.Net;
using System.Net.Http.Json;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Api;

/// <summary>
/// SignIn limits of 3 failures per account-and-address, 6 per address and 5 per account from anywhere, with windows far
/// longer than a test. TestServer has no client address, so each request names its own in an X-Test-Client-Address
/// header. The app's logs are captured, and the password hasher counts its calls.
/// </summary>
public sealed class SignInLimitedApiFactory : ApiFactory
{
    public const int PerAccount = 3;
    public const int PerAddress = 6;
    public const int PerAccountEverywhere = 5;
    public const string AddressHeader = "X-Test-Client-Address";

    public CapturedLogs Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:RequestsPerMinute"] = "100000",
        ["SignIn:FailuresPerAccountAndAddress"] = PerAccount.ToString(),
        ["SignIn:AccountWindow"] = "01:00:00",
        ["SignIn:FailuresPerAddress"] = PerAddress.ToString(),
        ["SignIn:AddressWindow"] = "01:00:00",
        ["SignIn:FailuresPerAccount"] = PerAccountEverywhere.ToString(),
    };

    public CountingPasswordHasher Hasher => Services.GetRequiredService<CountingPasswordHasher>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter>(new ClientAddressFromHeader(AddressHeader));
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddSingleton<CountingPasswordHasher>();
            services.AddSingleton<IPasswordHasher<User>>(sp => sp.GetRequiredService<CountingPasswordHasher>());
        });
    }

    /// <summary>Identity's hasher with the factory's settings, counting how often a password is hashed or checked.</summary>
    public sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new(options);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string HashPassword(User user, string password)
        {
            Interlocked.Increment(ref _calls);
            return _inner.HashPassword(user, password);
        }

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _calls);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    /// <summary>A browser or script at <paramref name="address"/> that keeps the cookies it is given.</summary>
    public HttpClient ClientFrom(string address, string? deviceCookie = null)
    {
        var client = CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        if (deviceCookie is not null) client.DefaultRequestHeaders.Add("Cookie", deviceCookie);
        return client;
    }
}

/// <summary>Password guessing is limited per address and per account-and-address, on the API and the sign-in page alike.</summary>
public sealed class SignInLimitTests(SignInLimitedApiFactory app) : IClassFixture<SignInLimitedApiFactory>
{
    private const string Login = "/api/v1/auth/login";
    private const string Wrong = "Wrong!pass999";
    private const string DeviceCookie = "fc_device";
    private static int _address;

    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref _address);
        return $"10.0.{n / 250}.{n % 250 + 1}";
    }

    /// <summary>Addresses in one IPv6 /64 nobody else uses: what one home or phone is given.</summary>
    private static string[] NewIpv6Network(int count)
    {
        var n = Interlocked.Increment(ref _address);
        return [.. Enumerable.Range(1, count).Select(i => $"2001:db8:{n:x}:{n % 7:x}:{i:x}:0:{i * 31:x}:{i * 7:x}")];
    }

    /// <summary>The device cookie a sign-in response set, as "name=value" for a Cookie header.</summary>
    private static string DeviceCookieFrom(HttpResponseMessage response)
    {
        var set = response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
        var device = set.FirstOrDefault(c => c.StartsWith(DeviceCookie + "=", StringComparison.Ordinal));
        Assert.True(device is not null, $"no {DeviceCookie} cookie in: {string.Join(" | ", set)}");
        return device[..device.IndexOf(';')];
    }

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        var wait = response.Headers.RetryAfter?.Delta;
        Assert.True(wait is { } w && w > TimeSpan.Zero && w <= TimeSpan.FromHours(1), $"Retry-After: '{response.Headers.RetryAfter}'");
    }

    private static async Task<HttpResponseMessage> ApiLoginAsync(HttpClient client, string login, string password, object? extra = null) =>
        await client.PostAsJsonAsync(Login, extra ?? new { login, password });

    /// <summary>Wrong passwords from each address in turn: how many were checked (401), and the last answer.</summary>
    private async Task<(int Checked, HttpResponseMessage Last)> GuessInTurnAsync(
        IEnumerable<string> addresses, string login, int guesses, string? deviceCookie = null)
    {
        var clients = addresses.Select(address => app.ClientFrom(address, deviceCookie)).ToList();
        try
        {
            var answers = new List<HttpResponseMessage>();
            for (var i = 0; i < guesses; i++) answers.Add(await ApiLoginAsync(clients[i % clients.Count], login, Wrong));
            return (answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized), answers[^1]);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

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

    [Fact]
    public async Task Sixty_wrong_passwords_from_twelve_addresses_of_one_ipv6_network_count_as_one_address()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);

        var (checkedGuesses, last) = await GuessInTurnAsync(NewIpv6Network(12), user.UserName, 60);

        Assert.Equal(SignInLimitedApiFactory.PerAccount, checkedGuesses);
        await Http.ProblemAsync(last, 429);
        AssertRetryAfter(last);
    }

    [Fact]
    public async Task An_ipv4_address_counts_the_same_whether_it_arrives_as_ipv4_or_as_ipv4_mapped_ipv6()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        var address = NewAddress();
        using var plain = app.ClientFrom(address);
        using var mapped = app.ClientFrom("::ffff:" + address);

        await Http.ProblemAsync(await ApiLoginAsync(plain, user.UserName, Wrong), 401);
        await Http.ProblemAsync(await ApiLoginAsync(mapped, user.UserName, Wrong), 401);
        await Http.ProblemAsync(await ApiLoginAsync(plain, user.UserName, Wrong), 401);

        await Http.ProblemAsync(await ApiLoginAsync(mapped, user.UserName, Wrong), 429);
    }

    [Fact]
    public async Task Guesses_from_many_addresses_stop_new_devices_but_the_owners_known_device_still_signs_in()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var ownersScript = app.ClientFrom(NewAddress());
        await Http.JsonAsync(await ApiLoginAsync(ownersScript, user.UserName, ApiFactory.Password));
        using var ownersBrowser = app.ClientFrom(NewAddress());
        var pageSignIn = await BrowserForms.SignInAsync(ownersBrowser, user.UserName, ApiFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, pageSignIn.StatusCode);
        var browsersDevice = DeviceCookieFrom(pageSignIn);

        var (checkedGuesses, last) = await GuessInTurnAsync(Enumerable.Range(0, 12).Select(_ => NewAddress()), user.UserName, 60);

        Assert.Equal(SignInLimitedApiFactory.PerAccountEverywhere, checkedGuesses);
        await Http.ProblemAsync(last, 429);
        AssertRetryAfter(last);
        // The right password from a device the account never signed in on waits too: a guesser cannot tell it apart.
        using var newDevice = app.ClientFrom(NewAddress());
        var refused = await ApiLoginAsync(newDevice, user.UserName, ApiFactory.Password);
        var problem = await Http.ProblemAsync(refused, 429);
        AssertRetryAfter(refused);
        Assert.Contains("signed in to this account before", (string?)problem["detail"]);
        using var newBrowser = app.ClientFrom(NewAddress());
        var page = await BrowserForms.SignInAsync(newBrowser, user.UserName, ApiFactory.Password);
        Assert.Equal((HttpStatusCode)429, page.StatusCode);
        AssertRetryAfter(page);
        Assert.Contains("signed in to this account before", await page.Content.ReadAsStringAsync());

        var tokens = await Http.JsonAsync(await ApiLoginAsync(ownersScript, user.UserName, ApiFactory.Password));
        Assert.False(string.IsNullOrEmpty((string?)tokens["accessToken"]));
        using var ownersBrowserLater = app.ClientFrom(NewAddress(), browsersDevice);
        Assert.Equal(HttpStatusCode.Redirect, (await BrowserForms.SignInAsync(ownersBrowserLater, user.UserName, ApiFactory.Password)).StatusCode);
    }

    [Fact]
    public async Task A_known_device_signs_in_past_the_limit_of_its_shared_address()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        var office = NewAddress();
        using var owner = app.ClientFrom(office);
        await Http.JsonAsync(await ApiLoginAsync(owner, user.UserName, ApiFactory.Password));
        using var colleague = app.ClientFrom(office);
        for (var i = 0; i < SignInLimitedApiFactory.PerAddress; i++)
            await Http.ProblemAsync(await ApiLoginAsync(colleague, app.NewName("nobody"), Wrong), 401);
        using var newcomer = app.ClientFrom(office);
        await Http.ProblemAsync(await ApiLoginAsync(newcomer, user.UserName, ApiFactory.Password), 429);

        var tokens = await Http.JsonAsync(await ApiLoginAsync(owner, user.UserName, ApiFactory.Password));

        Assert.False(string.IsNullOrEmpty((string?)tokens["accessToken"]));
    }

    [Fact]
    public async Task A_copied_device_cookie_gets_no_more_guesses_than_the_account_limit()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var owner = app.ClientFrom(NewAddress());
        var signedIn = await ApiLoginAsync(owner, user.UserName, ApiFactory.Password);
        await Http.JsonAsync(signedIn);
        var copied = DeviceCookieFrom(signedIn);

        var (checkedGuesses, last) = await GuessInTurnAsync(Enumerable.Range(0, 12).Select(_ => NewAddress()), user.UserName, 60, copied);

        Assert.Equal(SignInLimitedApiFactory.PerAccountEverywhere, checkedGuesses);
        await Http.ProblemAsync(last, 429);
    }

    [Fact]
    public async Task An_unknown_name_costs_one_password_hash_and_gets_the_same_answer_as_a_wrong_password()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var client = app.ClientFrom(NewAddress());

        var before = app.Hasher.Calls;
        var wrongPassword = await Http.ProblemAsync(await ApiLoginAsync(client, user.UserName, Wrong), 401);
        var forKnownName = app.Hasher.Calls - before;
        before = app.Hasher.Calls;
        var unknownName = await Http.ProblemAsync(await ApiLoginAsync(client, app.NewName("nobody"), Wrong), 401);
        var forUnknownName = app.Hasher.Calls - before;

        Assert.Equal(1, forKnownName);
        Assert.Equal(1, forUnknownName);
        Assert.Equal((string?)wrongPassword["title"], (string?)unknownName["title"]);
        Assert.Equal((string?)wrongPassword["detail"], (string?)unknownName["detail"]);
    }
}
