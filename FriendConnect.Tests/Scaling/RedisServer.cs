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

    public int Port { get; } = PublishedApp.FreePort();
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static string Executable => new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not installed (Debian: apt-get install redis-server).");

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        Directory.CreateDirectory(server._directory);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _directory, "--save", "", "--appendonly", "yes" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}.");
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
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
