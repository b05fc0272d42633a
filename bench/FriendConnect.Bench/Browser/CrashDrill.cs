using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace FriendConnect.Bench.Browser;

/// <summary>
/// CRASH: the published app as a real process takes concurrent POST /api/v1/statuses from several users (bearer tokens);
/// once part of them are acknowledged (201) it is killed with SIGKILL mid-flight. Then: PRAGMA integrity_check on the
/// file as the crash left it, a restart of the app on the same file, and a check that every acknowledged write is there.
/// (A smaller copy runs in CI: FriendConnect.Tests/Drills/CrashDrillTests.cs.)
/// </summary>
public sealed class CrashDrill(int writes = 1000, int users = 8, int concurrency = 32, double killAfterAckedFraction = 0.4)
{
    public sealed record Outcome(int Writes, int Users, int Concurrency, int Acknowledged, int FailedInFlight, int Refused,
        int PresentAfterRestart, int AcknowledgedMissing, int CommittedButUnacknowledged, string IntegrityAfterCrash,
        string IntegrityAfterRestart, bool RestartedAndServing, double SecondsToKill);

    private sealed record Tokens(string AccessToken);

    public async Task<Outcome> RunAsync()
    {
        var dbPath = Path.Combine(Path.GetTempPath(), $"fc-bench-crash-{Guid.NewGuid():N}.db");
        try
        {
            var app = new BenchApp(dbPath);
            await app.StartAsync();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
                { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };

            var tokens = new List<string>();
            for (var i = 0; i < users; i++)
            {
                var name = $"crash{i}";
                (await http.PostAsJsonAsync("/api/v1/auth/register", new { userName = name, email = $"{name}@bench.example", displayName = $"Crash {i}", password = BenchBrowser.Password }))
                    .EnsureSuccessStatusCode();
                var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { login = name, password = BenchBrowser.Password });
                login.EnsureSuccessStatusCode();
                tokens.Add((await login.Content.ReadFromJsonAsync<Tokens>())!.AccessToken);
            }

            var acknowledged = new ConcurrentBag<string>();
            int failed = 0, refused = 0;
            var killThreshold = (int)(writes * killAfterAckedFraction);
            var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var gate = new SemaphoreSlim(concurrency);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
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
                        if (acknowledged.Count >= killThreshold) killNow.TrySetResult();
                    }
                    else Interlocked.Increment(ref refused);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAny(killNow.Task, Task.WhenAll(sends));
            app.KillHard();
            var secondsToKill = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            await Task.WhenAll(sends);
            var acked = acknowledged.ToHashSet();

            var integrityAfterCrash = await IntegrityAsync(dbPath);
            await app.DisposeAsync();

            // Restart on the same file: migrations run, the API answers, and the acknowledged writes are all there.
            await using var again = new BenchApp(dbPath);
            var serving = false;
            try
            {
                await again.StartAsync();
                using var check = new HttpClient { BaseAddress = new Uri(again.BaseUrl) };
                var login = await check.PostAsJsonAsync("/api/v1/auth/login", new { login = "crash0", password = BenchBrowser.Password });
                serving = login.IsSuccessStatusCode;
            }
            catch (Exception e)
            {
                Console.WriteLine($"  restart failed: {e.Message}");
            }
            var present = new HashSet<string>();
            await using (var connection = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT \"Text\" FROM \"StatusUpdates\" WHERE \"Text\" LIKE 'crash write %'";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) present.Add(reader.GetString(0));
            }
            await again.StopAsync();
            var integrityAfterRestart = await IntegrityAsync(dbPath);

            return new Outcome(writes, users, concurrency, acked.Count, failed, refused, present.Count,
                acked.Count(t => !present.Contains(t)), present.Count(t => !acked.Contains(t)),
                integrityAfterCrash, integrityAfterRestart, serving, secondsToKill);
        }
        finally
        {
            BenchApp.DeleteDatabase(dbPath);
        }
    }

    public static async Task<string> IntegrityAsync(string dbPath)
    {
        await using var connection = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("; ", lines);
    }
}
