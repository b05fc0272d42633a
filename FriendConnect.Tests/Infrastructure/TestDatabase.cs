using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace FriendConnect.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database for one test class. This project runs on SQLite files; FriendConnect.Tests.Postgres
/// compiles the same tests with POSTGRES defined, and each then gets its own PostgreSQL database, copied from a migrated
/// template on the test server (<see cref="PostgresTestServer"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
#if POSTGRES
    public static DatabaseProvider Provider => DatabaseProvider.Postgres;
#else
    public static DatabaseProvider Provider => DatabaseProvider.Sqlite;
#endif

    private readonly string? _sqlitePath;
    private readonly string? _postgresName;

    public TestDatabase(string prefix)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            _postgresName = $"{prefix}_{Guid.NewGuid():N}";
            ConnectionString = PostgresTestServer.CreateDatabase(_postgresName);
        }
        else
        {
            _sqlitePath = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");
            ConnectionString = $"Data Source={_sqlitePath}";
        }
    }

    public string ConnectionString { get; }

    /// <summary>Points an app host at this database.</summary>
    public void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting($"ConnectionStrings:{FriendConnectDomainExtensions.ConnectionStringName}", ConnectionString);
        builder.UseSetting(FriendConnectDomainExtensions.ProviderSetting, Provider.ToString());
    }

    /// <summary>The same settings as command-line arguments, for running the app's own entry point.</summary>
    public string[] CommandLineArgs =>
    [
        $"--ConnectionStrings:{FriendConnectDomainExtensions.ConnectionStringName}={ConnectionString}",
        $"--{FriendConnectDomainExtensions.ProviderSetting}={Provider}",
    ];

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
            await PostgresTestServer.DropDatabaseAsync(_postgresName);
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_sqlitePath + suffix);
    }
}
