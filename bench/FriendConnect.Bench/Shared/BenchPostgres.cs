using FriendConnect.Tests.Infrastructure;
using Npgsql;

namespace FriendConnect.Bench.Shared;

/// <summary>
/// A PostgreSQL database for a suite: on the server named by <c>FRIENDCONNECT_TEST_POSTGRES</c>, or else on the tests'
/// throw-away server (<see cref="PostgresTestServer"/>: loopback, a free port, a temporary data directory, stopped and
/// removed when the process exits).
/// </summary>
public static class BenchPostgres
{
    /// <summary>The settings that bear on read speed, as the server reports them, for the report.</summary>
    private static readonly string[] ReportedSettings =
        ["server_version", "shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit", "max_parallel_workers_per_gather"];

    /// <summary>Which server, and how it differs from PostgreSQL's defaults, for the report.</summary>
    public static string Server =>
        Environment.GetEnvironmentVariable(PostgresTestServer.ServerVariable) is { Length: > 0 }
            ? $"the server named by {PostgresTestServer.ServerVariable}, with its own settings"
            : "a throw-away server (initdb --locale=C) with PostgreSQL's default settings but for durability (fsync, " +
              "synchronous_commit and full_page_writes off: they only slow writes) and max_connections 500; the load alone " +
              "raises maintenance_work_mem to 256MB for its index builds";

    /// <summary>
    /// An empty database (no migrations yet), with the server's default collation or, given <paramref name="icuLocale"/>
    /// (e.g. "en-US"), that ICU locale's: what a server set up for people rather than tests usually has. No time limit on
    /// commands: a bulk load's index builds take minutes.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix, string? icuLocale = null)
    {
        var created = new NpgsqlConnectionStringBuilder(PostgresTestServer.CreateEmptyDatabase(prefix)) { CommandTimeout = 0 };
        if (icuLocale is null) return created.ToString();
        var localized = new NpgsqlConnectionStringBuilder(created.ToString()) { Database = created.Database + "_icu" };
        await using (var connection = new NpgsqlConnection(created.ToString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                $"""CREATE DATABASE "{localized.Database}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale.Replace("'", "")}'""",
                connection);
            await create.ExecuteNonQueryAsync();
        }
        await DropDatabaseAsync(created.ToString());
        return localized.ToString();
    }

    public static Task DropDatabaseAsync(string connectionString) => PostgresTestServer.DropDatabaseAsync(connectionString);

    /// <summary>"name = value" for the settings that matter to the page queries.</summary>
    public static async Task<List<string>> SettingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var settings = new List<string>();
        foreach (var name in ReportedSettings)
        {
            await using var show = new NpgsqlCommand($"SHOW {name}", connection);
            settings.Add($"{name} = {await show.ExecuteScalarAsync()}");
        }
        // The default collation of the database (the app pins "C" on the normalized names only).
        await using var collation = new NpgsqlCommand("""
            SELECT CASE datlocprovider WHEN 'i' THEN 'ICU ' || daticulocale ELSE 'libc ' || datcollate END
            FROM pg_database WHERE datname = current_database()
            """, connection);
        settings.Add($"database collation = {await collation.ExecuteScalarAsync()}");
        return settings;
    }
}
