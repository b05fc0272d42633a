using FriendConnect.Domain;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Bench.Shared;

/// <summary>The domain's real services over one SQLite file, wired the way the app wires them.</summary>
public sealed class BenchDomain : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchDomain(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="interceptors">
    /// Extra EF interceptors (the SQL recorder, the commit clock), registered before the app's own so that a commit is
    /// timed before the app publishes its events.
    /// </param>
    public static async Task<BenchDomain> OpenAsync(string dbPath, params IInterceptor[] interceptors)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        // Benchmarks post far more than a person would; the limit is a product rule, not a cost.
        services.AddSingleton(new ActionLimits { StatusUpdatesPerHour = 1_000_000, FriendRequestsPerDay = 1_000_000 });
        if (interceptors.Length > 0)
            services.ConfigureDbContext<FriendConnectDbContext>(o => o.AddInterceptors(interceptors));
        services.AddFriendConnectDomain($"Data Source={dbPath}");
        // Photos beside the database, as the app keeps them in its data directory.
        services.Configure<FriendConnect.Domain.Photos.PhotoOptions>(o =>
            o.Directory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dbPath))!, "photos"));
        var provider = services.BuildServiceProvider();
        await SqliteDatabase.MigrateAsync(provider);
        return new BenchDomain(provider);
    }

    /// <summary>The same services over a PostgreSQL database (<c>Database:Provider=Postgres</c>); no migrations are applied.</summary>
    public static Task<BenchDomain> OpenPostgresAsync(string connectionString, params IInterceptor[] interceptors)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new ActionLimits { StatusUpdatesPerHour = 1_000_000, FriendRequestsPerDay = 1_000_000 });
        services.AddFriendConnectDomain(connectionString, DatabaseProvider.Postgres);
        if (interceptors.Length > 0)
            services.ConfigureDbContext<PostgresFriendConnectDbContext>(o => o.AddInterceptors(interceptors));
        return Task.FromResult(new BenchDomain(services.BuildServiceProvider()));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>Percentiles and the like over a list of milliseconds.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public static string Ms(double ms) => ms switch
    {
        < 0.1 => $"{ms * 1000:F0} µs",
        < 10 => $"{ms:F2} ms",
        < 100 => $"{ms:F1} ms",
        _ => $"{ms:F0} ms",
    };

    public static double ElapsedMs(long startTimestamp) =>
        System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}

public static class MachineLoad
{
    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or "n/a".</summary>
    public static string Describe()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} / {parts[1]} / {parts[2]} (1/5/15 min, {Environment.ProcessorCount} cores)";
        }
        catch { return "n/a"; }
    }

    public static double OneMinute()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch { return 0; }
    }
}
