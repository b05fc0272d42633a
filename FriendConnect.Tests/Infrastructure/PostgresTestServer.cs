using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FriendConnect.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use: the one named by <c>FRIENDCONNECT_TEST_POSTGRES</c> (a connection string with
/// the right to create databases), or else a throw-away server this process starts on a free loopback port with a
/// temporary data directory and stops when it exits. A migrated template database is made once; each test class copies it.
/// </summary>
public static class PostgresTestServer
{
    public const string ServerVariable = "FRIENDCONNECT_TEST_POSTGRES";
    private const string Template = "fc_template";

    private static readonly Lazy<string> Admin = new(StartOrConnect, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// An empty, migrated database of its own for the caller: one a finished test emptied, or a new copy of the template.
    /// </summary>
    public static string CreateDatabase(string prefix)
    {
        if (!Free.TryTake(out var name))
        {
            name = $"{prefix}_{Guid.NewGuid():N}";
            using var connection = new NpgsqlConnection(Admin.Value);
            connection.Open();
            Execute(connection, $"""CREATE DATABASE "{name}" TEMPLATE "{Template}" """);
        }
        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Empties a database for the next test (emptying every table is several times cheaper than copying the template
    /// again), or drops it if something still holds it.
    /// </summary>
    public static async Task ReleaseDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var tables = new NpgsqlCommand(
                """SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'""",
                connection);
            var list = (string)(await tables.ExecuteScalarAsync())!;
            await using var empty = new NpgsqlCommand($"SET lock_timeout = '10s'; TRUNCATE {list} RESTART IDENTITY CASCADE", connection);
            await empty.ExecuteNonQueryAsync();
            Free.Add(name);
        }
        catch (PostgresException)
        {
            await DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>A database with nothing in it, not even the migrations, as a new installation meets it.</summary>
    public static string CreateEmptyDatabase(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection(Admin.Value);
        connection.Open();
        Execute(connection, $"""CREATE DATABASE "{name}" """);
        return ConnectionStringFor(name);
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        await using var admin = new NpgsqlConnection(Admin.Value);
        await admin.OpenAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var drop = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string ConnectionStringFor(string name) =>
        new NpgsqlConnectionStringBuilder(Admin.Value) { Database = name }.ToString();

    private static readonly ConcurrentBag<string> Free = [];

    private static string StartOrConnect()
    {
        var admin = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } given ? given : Start();
        CreateTemplate(admin);
        return admin;
    }

    private static void CreateTemplate(string admin)
    {
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            Execute(connection, $"""DROP DATABASE IF EXISTS "{Template}" WITH (FORCE)""");
            Execute(connection, $"""CREATE DATABASE "{Template}" """);
        }
        // No pooling: a database cannot be copied while anyone is connected to it.
        var template = new NpgsqlConnectionStringBuilder(admin) { Database = Template, Pooling = false }.ToString();
        using var db = new PostgresFriendConnectDbContext(
            StandaloneContextOptions.For<PostgresFriendConnectDbContext>(o => o.UseNpgsql(template)));
        db.Database.Migrate();
    }

    private static string Start()
    {
        var bin = FindBinaries();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"fc-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        // PostgreSQL refuses to run as root: the server then runs as the "postgres" user, which owns the directory.
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null) Run("chown", null, runAs, dataDirectory);
        Run(Path.Combine(bin, "initdb"), runAs, "-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync");

        var port = FreeLoopbackPort();
        // Durability is not under test: no fsync keeps a test run's hundreds of databases cheap.
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k {dataDirectory} -c max_connections=500 " +
                      "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        Run(Path.Combine(bin, "pg_ctl"), runAs, "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"),
            "-o", options, "-w", "-t", "120", "start");
        StopWhenThisProcessEnds(Path.Combine(bin, "pg_ctl"), runAs, dataDirectory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), runAs, "-D", dataDirectory, "-m", "immediate", "-w", "stop");
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"Could not stop the test PostgreSQL server in {dataDirectory}: {e.Message}");
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=60;Command Timeout=120";
    }

    /// <summary>
    /// The test host may be ended before its exit handlers finish (or crash): a detached shell watches this process and,
    /// once it is gone, stops the server and deletes its data directory. Removing what is already gone does nothing.
    /// </summary>
    private static void StopWhenThisProcessEnds(string pgCtl, string? runAs, string dataDirectory)
    {
        var stop = runAs is null ? $"'{pgCtl}'" : $"runuser -u {runAs} -- '{pgCtl}'";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
                     $"{stop} -D '{dataDirectory}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{dataDirectory}'";
        // setsid and the inner '&' leave the watcher outside this process's tree, so ending the tree does not end it.
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sh", "-c", $"({script}) </dev/null >/dev/null 2>&1 &" }) start.ArgumentList.Add(a);
        using var watcher = Process.Start(start)!;
        watcher.WaitForExit();
    }

    private static string FindBinaries()
    {
        IEnumerable<string> versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Where(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return versions.Concat(onPath).FirstOrDefault() ?? throw new InvalidOperationException(
            "The PostgreSQL tests need a PostgreSQL server and found none: install PostgreSQL (Debian: apt-get install " +
            $"postgresql) so initdb and pg_ctl are in /usr/lib/postgresql/<version>/bin or on PATH, or set {ServerVariable} " +
            "to the connection string of a server where the tests may create databases.");
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void Run(string program, string? runAs, params string[] args)
    {
        var start = new ProcessStartInfo(runAs is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (runAs is not null)
        {
            foreach (var a in new[] { "-u", runAs, "--", program }) start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish in 3 minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}{output.Result}");
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
