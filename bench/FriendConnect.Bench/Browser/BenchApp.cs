using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FriendConnect.Bench.Browser;

/// <summary>
/// FriendConnect as a real, separate process from `dotnet publish` output (the way BASELINES.md measured the platform):
/// its own SQLite file, Bench:Enabled, product limits lifted, workstation GC. The bench process's own objects
/// (Playwright, result lists) therefore never show up in the server's heap.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static readonly SemaphoreSlim PublishLock = new(1, 1);
    private static string? _publishedDir;

    private Process? _process;
    private readonly StringBuilder _log = new();

    public BenchApp(string dbPath, int? port = null)
    {
        DbPath = dbPath;
        Port = port ?? FreePort();
    }

    public string DbPath { get; }

    /// <summary>A taskset CPU list (e.g. "0") to run the app on, apart from the browser; null for every core.</summary>
    public string? PinToCpus { get; init; }

    /// <summary>Moves a running process and all its threads onto <paramref name="cpus"/> (taskset -a -p -c).</summary>
    public static void Pin(int pid, string cpus)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        taskset.WaitForExit();
    }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public int? ProcessId => _process?.Id;
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Publishes FriendConnect.Web once per bench run, in the bench's own configuration.</summary>
    public static async Task<string> PublishAsync()
    {
        await PublishLock.WaitAsync();
        try
        {
            if (_publishedDir is not null) return _publishedDir;
            // One folder per checkout: two checkouts benchmarking at once must not publish over each other's app.
            var checkout = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(PerformanceReport.RepoRoot)))[..8].ToLowerInvariant();
            var output = Path.Combine(Path.GetTempPath(), $"friendconnect-bench-app-{Configuration.ToLowerInvariant()}-{checkout}");
            var project = Path.Combine(PerformanceReport.RepoRoot, "FriendConnect.Web", "FriendConnect.Web.csproj");
            Console.WriteLine($"  publishing FriendConnect.Web ({Configuration}) to {output} …");
            var started = Stopwatch.GetTimestamp();
            var psi = new ProcessStartInfo("dotnet", ["publish", project, "-c", Configuration, "-o", output, "--nologo", "-v", "q"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var publish = Process.Start(psi)!;
            var stdout = publish.StandardOutput.ReadToEndAsync();
            var stderr = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            if (publish.ExitCode != 0)
                throw new InvalidOperationException($"dotnet publish failed:\n{await stdout}\n{await stderr}");
            Console.WriteLine($"  published in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
            return _publishedDir = output;
        }
        finally
        {
            PublishLock.Release();
        }
    }

    public async Task StartAsync(IDictionary<string, string>? extraSettings = null)
    {
        var dir = await PublishAsync();
        // Pinned, the app starts under taskset, so the runtime sizes itself for those cores (and taskset execs: same pid).
        string[] command = PinToCpus is { } cpus
            ? ["taskset", "-c", cpus, "dotnet", Path.Combine(dir, "FriendConnect.Web.dll")]
            : ["dotnet", Path.Combine(dir, "FriendConnect.Web.dll")];
        var psi = new ProcessStartInfo(command[0], command[1..])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var env = psi.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["ASPNETCORE_URLS"] = BaseUrl;
        env["App__PublicUrl"] = BaseUrl;
        env["DOTNET_gcServer"] = "0";          // workstation GC, as BASELINES.md measured
        env["Bench__Enabled"] = "true";
        env["ConnectionStrings__FriendConnect"] = $"Data Source={DbPath}";
        env["DemoData__Seed"] = "false";
        env["ActionLimits__StatusUpdatesPerHour"] = "1000000";
        env["ActionLimits__FriendRequestsPerDay"] = "1000000";
        env["Api__RequestsPerMinute"] = "100000000";
        // One bench user opens hundreds of tabs; hidden bench pages must not pause on their own.
        env["Circuits__MaxPerUser"] = "1000";
        env["Circuits__PauseHiddenAfter"] = "00:00:00";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__Microsoft.AspNetCore"] = "Error";
        if (extraSettings is not null)
            foreach (var (key, value) in extraSettings) env[key] = value;

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync(BaseUrl + "/bench/constant")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The app did not answer within 60 s:\n{Log}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — what a power cut or OOM kill does.</summary>
    public void KillHard()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: false);
        _process?.WaitForExit(10_000);
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static void DeleteDatabase(string dbPath)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            try { File.Delete(dbPath + suffix); } catch (IOException) { }
    }
}
