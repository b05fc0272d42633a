using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using Microsoft.AspNetCore.Hosting;

namespace FriendConnect.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database for one test class. This project runs on SQLite files; FriendConnect.Tests.Postgres
/// compiles the same tests with POSTGRES defined, and each then gets its own PostgreSQL database, copied from a migrated
/// template on the test server, or emptied after an earlier test (<see cref="PostgresTestServer"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
#if POSTGRES
    public static DatabaseProvider Provider => DatabaseProvider.Postgres;
#else
    public static DatabaseProvider Provider => DatabaseProvider.Sqlite;
#endif

    private readonly string? _sqlitePath;
    private readonly bool _postgres;

    public TestDatabase(string prefix) : this(prefix, Provider) { }

    /// <summary>A database on a chosen engine, for tests that compare the two.</summary>
    public TestDatabase(string prefix, DatabaseProvider provider)
    {
        Engine = provider;
        if (provider == DatabaseProvider.Postgres)
        {
            ConnectionString = PostgresTestServer.CreateDatabase(prefix.Replace('-', '_'));
            _postgres = true;
        }
        else
        {
            _sqlitePath = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");
            ConnectionString = $"Data Source={_sqlitePath}";
        }
    }

    public string ConnectionString { get; }

    public DatabaseProvider Engine { get; }

    /// <summary>Points an app host at this database.</summary>
    public void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting($"ConnectionStrings:{FriendConnectDomainExtensions.ConnectionStringName}", ConnectionString);
        builder.UseSetting(FriendConnectDomainExtensions.ProviderSetting, Engine.ToString());
    }

    /// <summary>The same settings as command-line arguments, for running the app's own entry point.</summary>
    public string[] CommandLineArgs =>
    [
        $"--ConnectionStrings:{FriendConnectDomainExtensions.ConnectionStringName}={ConnectionString}",
        $"--{FriendConnectDomainExtensions.ProviderSetting}={Engine}",
    ];

    public async ValueTask DisposeAsync()
    {
        if (_postgres)
        {
            await PostgresTestServer.ReleaseDatabaseAsync(ConnectionString);
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_sqlitePath + suffix);
    }
}
