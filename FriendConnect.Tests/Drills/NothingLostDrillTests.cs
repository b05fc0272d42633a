using FriendConnect.Bench.Browser;
using FriendConnect.Domain;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Drills;

/// <summary>NOTHING LOST, CI size: 20 users with churning live subscriptions while 1,000 real domain events happen.</summary>
public sealed class NothingLostDrillTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fc-drill-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = default!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        // The drill posts far faster than a person; the hourly/daily limits are product rules, not what is tested here.
        services.AddSingleton(new ActionLimits { StatusUpdatesPerHour = 1_000_000, FriendRequestsPerDay = 1_000_000 });
        services.AddFriendConnectDomain($"Data Source={_path}");
        _services = services.BuildServiceProvider();
        await SqliteDatabase.MigrateAsync(_services);
    }

    [Fact]
    public async Task Every_user_sees_every_notification_exactly_once_through_drops_and_reconnects()
    {
        var outcome = await new NothingLostDrill(_services, userCount: 20, eventCount: 1000, seed: 7).RunAsync();

        Assert.True(outcome.Expected > 500, $"The drill produced too few notifications to mean anything: {outcome}");
        Assert.True(outcome.Drops > 50, $"The chaos loop barely dropped anyone: {outcome}");
        Assert.True(outcome.CaughtUp > 0 && outcome.DeliveredLive > 0, $"Both paths (live and catch-up) must be exercised: {outcome}");
        Assert.Equal(0, outcome.Lost);
        Assert.Equal(0, outcome.Duplicated);
        Assert.Equal(outcome.Expected, outcome.DeliveredLive + outcome.CaughtUp);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
    }
}
