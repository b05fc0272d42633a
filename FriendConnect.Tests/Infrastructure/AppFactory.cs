using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Infrastructure;

/// <summary>The whole app on a real Kestrel port with its own database.</summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public const string Password = "Test!pass123";
    private readonly TestDatabase _database = new("fc-app");

    /// <summary>Where this app's profile photos are stored.</summary>
    public string PhotoDirectory { get; } = Path.Combine(Path.GetTempPath(), $"fc-app-photos-{Guid.NewGuid():N}");

    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">Configuration on top of the test defaults (e.g. lifted limits for a drill).</param>
    public AppFactory(IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
    }

    public TestDatabase Database => _database;

    public string BaseUrl => ClientOptions.BaseAddress.ToString().TrimEnd('/');

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        _database.Configure(builder);
        builder.UseSetting("DemoData:Seed", "false");
        builder.UseSetting("Photos:Directory", PhotoDirectory);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public async Task<User> CreateUserAsync(string userName, string displayName)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .RegisterAsync(new Registration(userName, $"{userName}@example.com", displayName, Password));
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Message)));
        return result.Value!;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(PhotoDirectory)) Directory.Delete(PhotoDirectory, recursive: true);
    }
}
