using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace FriendConnect.Tests.Drills;

/// <summary>
/// CRASH, CI size: the real app as its own process (FriendConnect.Web.dll from this test's output), concurrent
/// POST /api/v1/statuses with bearer tokens, SIGKILL mid-flight, then integrity_check, restart, and every
/// acknowledged write present. The full-size drill is the bench's `drills` suite.
/// </summary>
public sealed class CrashDrillTests : IDisposable
{
    private const string Password = "Crash!pass123";
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"fc-crash-{Guid.NewGuid():N}.db");

    private sealed record Tokens(string AccessToken);

    [Fact]
    public async Task Acknowledged_writes_survive_a_kill_9_and_the_file_stays_intact()
    {
        const int writes = 300;
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var app = StartApp(port);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilServingAsync(http, app);

        var tokens = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var name = $"crash{i}";
            (await http.PostAsJsonAsync("/api/v1/auth/register", new { userName = name, email = $"{name}@example.com", displayName = $"Crash {i}", password = Password }))
                .EnsureSuccessStatusCode();
            var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { login = name, password = Password });
            login.EnsureSuccessStatusCode();
            tokens.Add((await login.Content.ReadFromJsonAsync<Tokens>())!.AccessToken);
        }

        var acknowledged = new ConcurrentBag<string>();
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gate = new SemaphoreSlim(16);
        var sends = Enumerable.Range(0, writes).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var text = $"crash write {i:D5}";
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses") { Content = JsonContent.Create(new { text }) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i % tokens.Count]);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(text);
                    if (acknowledged.Count >= writes / 3) killNow.TrySetResult();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAny(killNow.Task, Task.WhenAll(sends));
        app.Kill(); // SIGKILL on Linux: no shutdown, no flush
        await app.WaitForExitAsync();
        await Task.WhenAll(sends);
        var acked = acknowledged.ToHashSet();
        Assert.InRange(acked.Count, 1, writes - 1); // killed mid-flight, not before or after

        Assert.Equal("ok", await IntegrityAsync());

        var restartPort = FreePort();
        using var again = StartApp(restartPort);
        using var check = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restartPort}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitUntilServingAsync(check, again);
            var login = await check.PostAsJsonAsync("/api/v1/auth/login", new { login = "crash0", password = Password });
            Assert.True(login.IsSuccessStatusCode, "The restarted app must accept sign-ins.");
        }
        finally
        {
            again.Kill();
            await again.WaitForExitAsync();
        }

        var present = new HashSet<string>();
        await using (var connection = new SqliteConnection($"Data Source={_dbPath};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Text\" FROM \"StatusUpdates\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) present.Add(reader.GetString(0));
        }
        var missing = acked.Where(t => !present.Contains(t)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged writes are missing after the crash, e.g. {string.Join(", ", missing.Take(3))}");
        Assert.Equal("ok", await IntegrityAsync());
    }

    private Process StartApp(int port)
    {
        var dir = AppContext.BaseDirectory;
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(dir, "FriendConnect.Web.dll")])
        {
            WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["App__PublicUrl"] = $"http://127.0.0.1:{port}";
        psi.Environment["ConnectionStrings__FriendConnect"] = $"Data Source={_dbPath}";
        psi.Environment["DemoData__Seed"] = "false";
        psi.Environment["ActionLimits__StatusUpdatesPerHour"] = "1000000";
        psi.Environment["Api__RequestsPerMinute"] = "1000000";
        psi.Environment["Logging__LogLevel__Default"] = "Error";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilServingAsync(HttpClient http, Process app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(app.HasExited, "The app exited during startup.");
            try
            {
                // Any answer (401 included) means the pipeline is up.
                var response = await http.GetAsync("/api/v1/feed");
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The app did not start within 60 s.");
    }

    private async Task<string> IntegrityAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_dbPath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            try { File.Delete(_dbPath + suffix); } catch (IOException) { }
    }
}
