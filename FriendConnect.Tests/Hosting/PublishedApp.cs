using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FriendConnect.Tests.Hosting;

/// <summary>
/// The app as a self-hoster runs it: <c>dotnet publish</c> output started as its own process, from a folder that is not
/// its own, with its data directory in a temporary folder. Published once per test run.
/// </summary>
public static class PublishedApp
{
    private static readonly SemaphoreSlim PublishLock = new(1, 1);
    private static string? _directory;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<string> DirectoryAsync()
    {
        await PublishLock.WaitAsync();
        try
        {
            if (_directory is not null) return _directory;
            var output = Path.Combine(Path.GetTempPath(), $"fc-published-{Guid.NewGuid():N}");
            var result = await RunAsync("dotnet", ["publish", Path.Combine(RepositoryRoot, "FriendConnect.Web", "FriendConnect.Web.csproj"),
                "-c", "Release", "-o", output, "--nologo", "-v", "quiet"], RepositoryRoot, TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed:\n{result.Output}");
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { Directory.Delete(output, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            };
            return _directory = output;
        }
        finally
        {
            PublishLock.Release();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FriendConnect.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (with FriendConnect.sln) was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One running instance of the published app.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public bool HasExited => _process.HasExited;
    public int ProcessId => _process.Id;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts the app and waits until it answers its health check.</summary>
    public static async Task<AppProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, int? port = null)
    {
        var app = Start(await PublishedApp.DirectoryAsync(), dataDirectory, settings, port);
        await app.WaitHealthyAsync();
        return app;
    }

    /// <summary>The environment a self-hoster's unit gives the app (deploy/friendconnect.env), on loopback ports.</summary>
    public static Dictionary<string, string> Environment(string dataDirectory, int port) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["Data__Directory"] = dataDirectory,
        ["App__PublicUrl"] = $"http://127.0.0.1:{port}",
    };

    public static AppProcess Start(string published, string dataDirectory, IDictionary<string, string>? settings = null, int? port = null, params string[] args)
    {
        var chosenPort = port ?? PublishedApp.FreePort();
        // Started from the data directory's parent, not the app's folder: the app must find its settings anyway.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(published, "FriendConnect.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in Environment(dataDirectory, chosenPort)) start.Environment[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var app = new AppProcess(process, chosenPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The app did not become healthy:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>A graceful stop, as systemd does it (SIGTERM).</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        Posix.Terminate(_process.Id);
        try
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}

internal static class Posix
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    public static void Terminate(int pid) => kill(pid, 15);
}
