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
        ["server_version", "shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit", "max_parallel_workers_per_gather", "lc_collate"];

    /// <summary>An empty database (no migrations yet). No time limit on commands: a bulk load's index builds take minutes.</summary>
    public static string CreateDatabase(string prefix) =>
        new NpgsqlConnectionStringBuilder(PostgresTestServer.CreateEmptyDatabase(prefix)) { CommandTimeout = 0 }.ToString();

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
        return settings;
    }
}
