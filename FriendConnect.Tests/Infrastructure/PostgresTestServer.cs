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

    /// <summary>Creates a migrated database and returns its connection string.</summary>
    public static string CreateDatabase(string name)
    {
        using var connection = new NpgsqlConnection(Admin.Value);
        connection.Open();
        using var create = new NpgsqlCommand($"""CREATE DATABASE "{name}" TEMPLATE "{Template}" """, connection);
        create.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(Admin.Value) { Database = name }.ToString();
    }

    public static async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(Admin.Value);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""", connection);
        await drop.ExecuteNonQueryAsync();
    }

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
        using var db = new PostgresFriendConnectDbContext(PostgresDesignTimeFactory.StandaloneOptions(template));
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
