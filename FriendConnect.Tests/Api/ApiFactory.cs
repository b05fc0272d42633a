using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Api;

/// <summary>
/// The whole app on the in-memory TestServer with its own database, configured like <c>AppFactory</c>
/// (Development, no demo data) but without Kestrel. A dedicated moderator is registered first, through the API,
/// because the first account on a fresh database becomes a moderator.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Test!pass123";

    private readonly TestDatabase _database = new("fc-api");
    private readonly string _photoPath = Path.Combine(Path.GetTempPath(), $"fc-api-photos-{Guid.NewGuid():N}");
    private int _counter;

    public ApiFactory()
    {
        ClientOptions.AllowAutoRedirect = false;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Extra configuration for a derived factory (rate limits, action limits).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        // The functional tests make hundreds of calls per minute from one "anonymous" partition (TestServer has no
        // remote address); RateLimitTests checks the limiter itself with a low limit in its own factory.
        ["Api:RequestsPerMinute"] = "100000",
    };

    public ApiUser Moderator { get; private set; } = default!;

    public TestDatabase Database => _database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        _database.Configure(builder);
        builder.UseSetting("DemoData:Seed", "false");
        builder.UseSetting("Photos:Directory", _photoPath);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        // Test speed only: hundreds of accounts are registered and signed in; hashing cost is not what is tested here.
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000));
    }

    /// <summary>False where every anonymous request counts (the rate-limit factory): the moderator is then made in-process.</summary>
    protected virtual bool RegisterModeratorViaApi => true;

    public async Task InitializeAsync()
    {
        Moderator = RegisterModeratorViaApi
            ? await RegisterAndLoginAsync("moderator", "The Moderator")
            : await CreateUserDirectAsync("moderator", signIn: false);
        await using var db = NewDb();
        var isModerator = await db.UserRoles.AnyAsync(ur => ur.UserId == Moderator.Id);
        if (!isModerator) throw new InvalidOperationException("The first account should have become a moderator.");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_photoPath)) Directory.Delete(_photoPath, recursive: true);
    }

    /// <summary>A username nobody in this factory has used yet (3–32 characters).</summary>
    public string NewName(string prefix = "user")
    {
        var name = $"{prefix}{Interlocked.Increment(ref _counter)}";
        return name.Length <= 32 ? name : name[^32..];
    }

    public HttpClient Anonymous() => CreateClient();

    public FriendConnectDbContext NewDb() =>
        Services.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>().CreateDbContext();

    public async Task<T> QueryAsync<T>(Func<FriendConnectDbContext, Task<T>> query)
    {
        await using var db = NewDb();
        return await query(db);
    }

    /// <summary>Registers with POST /api/v1/auth/register and signs in with POST /api/v1/auth/login, as a script would.</summary>
    public async Task<ApiUser> RegisterAndLoginAsync(string? userName = null, string? displayName = null)
    {
        userName ??= NewName();
        using var anonymous = Anonymous();
        var registered = await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { userName, email = $"{userName}@example.com", displayName = displayName ?? $"User {userName}", password = Password });
        if (!registered.IsSuccessStatusCode)
            throw new InvalidOperationException($"register {userName}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
        var tokens = await LoginAsync(userName, Password);
        var id = await QueryAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());
        return new ApiUser(this, userName, id, tokens.AccessToken, tokens.RefreshToken);
    }

    /// <summary>
    /// Registers through <see cref="AccountService"/> in-process (no HTTP request); with <paramref name="signIn"/> it then
    /// signs in through POST /api/v1/auth/login (one request), otherwise the user carries no token.
    /// </summary>
    public async Task<ApiUser> CreateUserDirectAsync(string? userName = null, bool signIn = true)
    {
        userName ??= NewName();
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .RegisterAsync(new Registration(userName, $"{userName}@example.com", $"User {userName}", Password));
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Message)));
        if (!signIn) return new ApiUser(this, userName, result.Value!.Id, "", "");
        var tokens = await LoginAsync(userName, Password);
        return new ApiUser(this, userName, result.Value!.Id, tokens.AccessToken, tokens.RefreshToken);
    }

    public async Task<Tokens> LoginAsync(string login, string password)
    {
        using var anonymous = Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { login, password });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"login {login}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Tokens>(Json))!;
    }

    public async Task<List<ApiUser>> UsersAsync(int count)
    {
        var users = new List<ApiUser>();
        for (var i = 0; i < count; i++) users.Add(await RegisterAndLoginAsync());
        return users;
    }
}

/// <summary>Api:RequestsPerMinute = 5, for the rate limiter.</summary>
public sealed class RateLimitedApiFactory : ApiFactory
{
    public const int PerMinute = 5;
    protected override bool RegisterModeratorViaApi => false;
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:RequestsPerMinute"] = PerMinute.ToString(),
    };
}

/// <summary>ActionLimits:StatusUpdatesPerHour = 2 and ActionLimits:FriendRequestsPerDay = 2 and ReportsPerDay = 2, for domain limits.</summary>
public sealed class ActionLimitedApiFactory : ApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:RequestsPerMinute"] = "100000",
        ["ActionLimits:StatusUpdatesPerHour"] = "2",
        ["ActionLimits:FriendRequestsPerDay"] = "2",
        ["ActionLimits:ReportsPerDay"] = "2",
    };
}

/// <summary>
/// The same app on a real Kestrel port. Only for the request-size limit: the in-memory TestServer does not implement
/// IHttpMaxRequestBodySizeFeature ("A request body size limit could not be applied"), so it never answers 413.
/// </summary>
public sealed class KestrelApiFactory : ApiFactory
{
    public KestrelApiFactory() => UseKestrel(0);

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}

public sealed record Tokens(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

/// <summary>A signed-in API caller: its own HttpClient carrying "Authorization: Bearer &lt;access token&gt;".</summary>
public sealed class ApiUser
{
    public ApiUser(ApiFactory factory, string userName, string id, string accessToken, string refreshToken)
    {
        UserName = userName;
        Id = id;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    }

    public string UserName { get; }
    public string Id { get; }
    public string AccessToken { get; }
    public string RefreshToken { get; }
    public HttpClient Client { get; }

    public Task<HttpResponseMessage> GetAsync(string url) => Client.GetAsync(url);
    public Task<HttpResponseMessage> PostAsync(string url, object? body = null) => Client.PostAsync(url, Content(body));
    public Task<HttpResponseMessage> PutAsync(string url, object? body = null) => Client.PutAsync(url, Content(body));
    public Task<HttpResponseMessage> PatchAsync(string url, object? body) => Client.PatchAsync(url, Content(body));

    /// <summary>An object is sent as JSON; an <see cref="HttpContent"/> (e.g. <see cref="Http.RawJson"/>) as it is.</summary>
    private static HttpContent? Content(object? body) => body switch
    {
        null => null,
        HttpContent content => content,
        _ => JsonContent.Create(body),
    };
    public Task<HttpResponseMessage> DeleteAsync(string url) => Client.DeleteAsync(url);

    public async Task<JsonNode> GetJsonAsync(string url)
    {
        var response = await Client.GetAsync(url);
        await Http.ExpectAsync(response, 200);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public override string ToString() => UserName;
}
