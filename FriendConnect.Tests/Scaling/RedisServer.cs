using System.Diagnostics;
using System.Net.Sockets;
using FriendConnect.Tests.Hosting;

namespace FriendConnect.Tests.Scaling;

/// <summary>
/// A redis-server child process on a free loopback port, with its append-only file in a temporary folder (as a
/// deployment keeps it), so it can be stopped and started again with its data.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"fc-redis-{Guid.NewGuid():N}");
    private Process? _process;
    private string? _configurationFile;

    /// <summary>Where the server keeps its files, and a configuration file if it was given one.</summary>
    public string Directory => _directory;

    public int Port { get; } = PublishedApp.FreePort();
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static string Executable => new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not installed (Debian: apt-get install redis-server).");

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        System.IO.Directory.CreateDirectory(server._directory);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A server started with the configuration file <paramref name="configure"/> writes, given the server's folder and port.</summary>
    public static async Task<RedisServer> StartWithConfigurationAsync(Func<string, int, string> configure)
    {
        var server = new RedisServer();
        System.IO.Directory.CreateDirectory(server._directory);
        server._configurationFile = Path.Combine(server._directory, "redis.conf");
        await File.WriteAllTextAsync(server._configurationFile, configure(server._directory, server.Port));
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args = _configurationFile is null
            ? ["--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _directory, "--save", "", "--appendonly", "yes"]
            : [_configurationFile, "--dir", _directory, "--save", ""];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited && _process.WaitForExit(5000)) throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}:\n{string.Join('\n', output)}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("redis-server did not start listening.");
    }

    public Task StartAgainIfStoppedAsync() => _process is null ? StartAgainAsync() : Task.CompletedTask;

    /// <summary>Redis goes away at once, as when its machine fails.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { System.IO.Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
