using Microsoft.AspNetCore.Identity;
using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FriendConnect.Tests.Infrastructure;

/// <summary>
/// The domain's real services on a fresh database (<see cref="TestDatabase"/>), migrated the same way the app does it.
/// One per test class instance, so every test starts from an empty database.
/// </summary>
public sealed class DomainFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public DomainFixture() : this(TestDatabase.Provider) { }

    public const string Password = "Test!pass123";

    private TestDatabase _database = default!;

    /// <summary>Where this fixture's profile photos are stored.</summary>
    public string PhotoDirectory { get; } = Path.Combine(Path.GetTempPath(), $"fc-photos-{Guid.NewGuid():N}");
    private ServiceProvider _services = default!;

    /// <summary>The database, for running the app's own entry point against it.</summary>
    public TestDatabase Database => _database;

    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    public IServiceProvider Services => _services;

    public async Task InitializeAsync()
    {
        _database = new TestDatabase("fc-test", provider);
        var services = new ServiceCollection();
        services.AddLogging();
        // Token providers (e-mail change, password reset) come from the web host in the app.
        services.AddDataProtection();
        services.AddFriendConnectDomain(_database.ConnectionString, provider).AddDefaultTokenProviders();
        services.Configure<FriendConnect.Domain.Photos.PhotoOptions>(o => o.Directory = PhotoDirectory);
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await SqliteDatabase.MigrateAsync(_services);
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public ILiveEventSubscriber Live => Get<ILiveEventSubscriber>();

    public FriendConnectDbContext NewDbContext() =>
        Get<IDbContextFactory<FriendConnectDbContext>>().CreateDbContext();

    public async Task<User> CreateUserAsync(string userName, string? displayName = null, string? email = null)
    {
        await using var scope = _services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var result = await accounts.RegisterAsync(new Registration(userName, email, displayName ?? userName, Password));
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Message)));
        return result.Value!;
    }

    /// <summary>Runs an action with an <see cref="AccountService"/> from a fresh scope, as one web request would.</summary>
    public async Task<T> WithAccountsAsync<T>(Func<AccountService, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AccountService>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(PhotoDirectory)) Directory.Delete(PhotoDirectory, recursive: true);
    }
}

/// <summary>Records every live event a user receives, for asserting what was pushed and to whom.</summary>
public sealed class LiveRecorder : IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private readonly List<(string UserId, LiveEvent Event)> _events = [];

    public LiveRecorder(ILiveEventSubscriber live, params string[] userIds)
    {
        foreach (var userId in userIds)
            _subscriptions.Add(live.Subscribe(userId, e =>
            {
                lock (_events) _events.Add((userId, e));
                return Task.CompletedTask;
            }));
    }

    public IReadOnlyList<LiveEvent> For(string userId)
    {
        lock (_events) return _events.Where(e => e.UserId == userId).Select(e => e.Event).ToList();
    }

    public void Dispose() => _subscriptions.ForEach(s => s.Dispose());
}
