using System.Net;
using System.Text;
using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FriendConnect.Tests.Hosting;

/// <summary>Start-up as a self-hoster meets it: bad settings, an upgrade that fails, clients behind the proxy.</summary>
public sealed class StartupAndUpgradeTests(ITestOutputHelper output)
{
    private static string NewDataDirectory() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fc-start-{Guid.NewGuid():N}")).FullName;

    [Theory]
    [InlineData("Email__Smtp__Port", "not-a-number", "Email:Smtp:Port")]
    [InlineData("Proxy__KnownProxies__0", "not-an-address", "Proxy:KnownProxies:0")]
    [InlineData("Email__Smtp__Host", "smtp.example.org", "Email:From")]
    [InlineData("ActionLimits__StatusUpdatesPerHour", "0", "ActionLimits:StatusUpdatesPerHour")]
    [InlineData("App__PublicUrl", "", "App:PublicUrl")]
    [InlineData("App__PublicUrl", "friendconnect.example.org", "App:PublicUrl")]
    public async Task A_bad_setting_stops_the_app_with_exit_code_78_and_names_the_key(string key, string value, string named)
    {
        await using var app = AppProcess.Start(await PublishedApp.DirectoryAsync(), NewDataDirectory(), new Dictionary<string, string> { [key] = value });
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(app.Output);
        Assert.Equal(78, exitCode);
        Assert.Contains(named, app.Output);
    }

    [Fact]
    public async Task A_node_on_Redis_does_not_start_without_the_key_ring_certificate_or_the_signing_key_and_names_each()
    {
        // Never contacted: the settings are checked before anything uses Redis.
        const string redis = "127.0.0.1:1";
        var published = await PublishedApp.DirectoryAsync();
        await using (var app = AppProcess.Start(published, NewDataDirectory(),
            new Dictionary<string, string> { ["Realtime__Redis"] = redis, ["Realtime__SigningKey"] = new string('k', 44) }))
        {
            Assert.Equal(78, await app.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("DataProtection:CertificatePath", app.Output);
        }

        var data = NewDataDirectory();
        var settings = KeyRingCertificate.Settings(data);
        settings["Realtime__Redis"] = redis;
        settings["Realtime__SigningKey"] = "too short";
        await using (var app = AppProcess.Start(published, data, settings))
        {
            Assert.Equal(78, await app.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Realtime:SigningKey", app.Output);
            Assert.DoesNotContain("DataProtection:CertificatePath", app.Output);
        }
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_database_as_it_was_and_stops_with_a_clear_message()
    {
        var data = NewDataDirectory();
        var database = Path.Combine(data, DataOptions.DatabaseFileName);
        // A database one release old: every migration but the newest, with data in it.
        var services = new ServiceCollection();
        services.AddFriendConnectDomain($"Data Source={database}");
        await using (var provider = services.BuildServiceProvider())
        await using (var db = await provider.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>().CreateDbContextAsync())
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[^2]);
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TABLE "UpgradeProbe" ("Value" TEXT NOT NULL);
                INSERT INTO "UpgradeProbe" VALUES ('written by the previous release');
                """);
            // The newest migration runs its statements, then fails where it records itself: a failure at the last moment.
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER "InjectedUpgradeFailure" BEFORE INSERT ON "__EFMigrationsHistory"
                BEGIN SELECT RAISE(FAIL, 'injected upgrade failure'); END;
                """);
        }
        SqliteConnection.ClearAllPools();
        var before = await DumpAsync(database);

        await using var app = AppProcess.Start(await PublishedApp.DirectoryAsync(), data);
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(90));
        output.WriteLine(app.Output);

        Assert.Equal(78, exitCode);
        Assert.Contains("The upgrade failed", app.Output);
        Assert.Contains("injected upgrade failure", app.Output);
        Assert.Equal(before, await DumpAsync(database));
        Assert.Single(Directory.GetFiles(Path.Combine(data, "backups"), "before-*.zip"));
    }

    [Fact]
    public async Task Behind_the_proxy_each_client_address_has_its_own_rate_limit()
    {
        await using var app = await AppProcess.StartAsync(NewDataDirectory(), new Dictionary<string, string> { ["Api__RequestsPerMinute"] = "3" });
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        async Task<HttpStatusCode> AskAsync(string client)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users");
            request.Headers.Add("X-Forwarded-For", client);
            request.Headers.Add("X-Forwarded-Proto", "https");
            return (await http.SendAsync(request)).StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) first.Add(await AskAsync("203.0.113.10"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, await AskAsync("203.0.113.20"));
        await WaitForLogAsync(app, "203.0.113.20");
    }

    private static async Task WaitForLogAsync(AppProcess app, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!app.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The request log never named {text}:\n{app.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>The schema and every row, as text: equal dumps mean an unchanged database.</summary>
    private static async Task<string> DumpAsync(string database)
    {
        var dump = new StringBuilder();
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var schema = connection.CreateCommand())
        {
            schema.CommandText = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
            await using var reader = await schema.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.AppendLine($"{reader.GetString(0)} {reader.GetString(1)}: {(reader.IsDBNull(2) ? "" : reader.GetString(2))}");
                if (reader.GetString(0) == "table" && !reader.GetString(2).Contains("VIRTUAL TABLE", StringComparison.OrdinalIgnoreCase))
                    tables.Add(reader.GetString(1));
            }
        }
        foreach (var table in tables)
        {
            await using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await rows.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
                lines.Add($"{table}: {string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i))))}");
            foreach (var line in lines.Order(StringComparer.Ordinal)) dump.AppendLine(line);
        }
        return dump.ToString();
    }
}
