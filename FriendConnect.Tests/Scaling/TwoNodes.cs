using System.Text.RegularExpressions;
using FriendConnect.Tests.Browser;
using FriendConnect.Tests.Hosting;
using FriendConnect.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FriendConnect.Tests.Scaling;

/// <summary>
/// The database both nodes share, as deploy/two-nodes/node*.env sets it up: one PostgreSQL database (a new, empty one on
/// the tests' PostgreSQL server), migrated once by the <c>migrate</c> command before any node starts; the nodes
/// themselves never migrate on start.
/// </summary>
public sealed class TwoNodeDatabase : IAsyncDisposable
{
    private TwoNodeDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    /// <summary>The settings every node gets (deploy/two-nodes/node1.env).</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__FriendConnect"] = ConnectionString,
        ["Database__MigrateOnStart"] = "false",
    };

    /// <summary>A new database, brought up to date by the published app's <c>migrate</c> command, as an operator does once per release.</summary>
    public static async Task<TwoNodeDatabase> CreateAsync(string directory)
    {
        var database = new TwoNodeDatabase(PostgresTestServer.CreateEmptyDatabase("fc_two_nodes"));
        var data = Path.Combine(directory, "migrate");
        Directory.CreateDirectory(data);
        var environment = new Dictionary<string, string>(database.Settings);
        foreach (var (key, value) in AppProcess.Environment(data, PublishedApp.FreePort())) environment[key] = value;
        var result = await PublishedApp.RunAsync("dotnet", [Path.Combine(await PublishedApp.DirectoryAsync(), "FriendConnect.Web.dll"), "migrate"],
            Path.GetTempPath(), TimeSpan.FromMinutes(3), environment);
        if (result.ExitCode != 0)
        {
            await database.DisposeAsync();
            throw new InvalidOperationException($"migrate failed ({result.ExitCode}):\n{result.Output}");
        }
        return database;
    }

    public async ValueTask DisposeAsync() => await PostgresTestServer.DropDatabaseAsync(ConnectionString);
}

/// <summary>
/// Two published-app nodes on two free ports sharing one database and one Redis, behind nginx with the repository's
/// two-node site file (deploy/nginx/friendconnect-two-nodes.conf): sticky sessions by the node cookie, WebSocket
/// upgrade, and the other node as backup. Each node has its own data directory, so nothing is shared through files.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"fc-two-nodes-{Guid.NewGuid():N}");
    private TwoNodeDatabase? _database;
    private readonly int[] _ports = [PublishedApp.FreePort(), PublishedApp.FreePort()];
    private readonly AppProcess?[] _nodes = new AppProcess?[2];
    // Shared by both nodes, as an operator copies one certificate and one secret to each.
    private readonly string _signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private Dictionary<string, string>? _keyRing;
    private IPlaywright? _playwright;

    private TwoNodes() => Directory.CreateDirectory(_directory);

    public RedisServer Redis { get; private set; } = default!;
    public Nginx Proxy { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public AppProcess Node(int number) => _nodes[number - 1] ?? throw new InvalidOperationException($"node{number} is not running.");

    public static async Task<TwoNodes> StartAsync()
    {
        var nodes = new TwoNodes();
        nodes._database = await TwoNodeDatabase.CreateAsync(nodes._directory);
        nodes.Redis = await RedisServer.StartAsync();
        nodes.Proxy = await Nginx.StartAsync("friendconnect-two-nodes.conf", new Dictionary<string, string>
        {
            ["10.0.0.11:5180"] = $"127.0.0.1:{nodes._ports[0]}",
            ["10.0.0.12:5180"] = $"127.0.0.1:{nodes._ports[1]}",
        });
        await Task.WhenAll(nodes.StartNodeAsync(1), nodes.StartNodeAsync(2));
        nodes._playwright = await Playwright.CreateAsync();
        nodes.Browser = await nodes._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.FindChromium(),
            Args = [.. BrowserFixture.ChromiumArgs, Nginx.HostResolverRule],
            Headless = true,
        });
        return nodes;
    }

    public async Task StartNodeAsync(int number)
    {
        var data = Path.Combine(_directory, $"node{number}");
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string>(_database!.Settings)
        {
            ["ASPNETCORE_HTTPS_PORT"] = Proxy.HttpsPort.ToString(),
            ["App__PublicUrl"] = Proxy.HttpsUrl,
            ["Realtime__Redis"] = Redis.ConnectionString,
            ["Realtime__Node"] = $"node{number}",
            ["Realtime__SigningKey"] = _signingKey,
            // Profile photos are files: the nodes share one folder (deploy/two-nodes/node1.env).
            ["Photos__Directory"] = Path.Combine(_directory, "photos"),
            // What a pause, a resume or a reconnect did on each node, for a failing test's message.
            ["Logging__LogLevel__Microsoft.AspNetCore.Components.Server"] = "Debug",
        };
        _keyRing ??= KeyRingCertificate.Settings(Path.Combine(_directory, "certificate"));
        foreach (var (key, value) in _keyRing) settings[key] = value;
        _nodes[number - 1] = await AppProcess.StartAsync(data, settings, _ports[number - 1]);
    }

    /// <summary>The node dies at once (SIGKILL): nothing is persisted, no connection is closed politely.</summary>
    public async Task KillNodeAsync(int number)
    {
        var node = Node(number);
        System.Diagnostics.Process.GetProcessById(node.ProcessId).Kill();
        await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await node.DisposeAsync();
        _nodes[number - 1] = null;
    }

    public async Task EnsureRunningAsync()
    {
        for (var number = 1; number <= 2; number++)
        {
            if (_nodes[number - 1] is not (null or { HasExited: true })) continue;
            await StartNodeAsync(number);
            await WaitUntilProxiedAsync(number);
        }
    }

    /// <summary>
    /// nginx stops sending to a node that failed for a while (fail_timeout) and uses the backup meanwhile: wait until a
    /// browser whose cookie names the restarted node reaches it again.
    /// </summary>
    private async Task WaitUntilProxiedAsync(int number)
    {
        using var client = Proxy.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
            request.Headers.Add("Cookie", $"fc_node=node{number}");
            try
            {
                using var response = await client.SendAsync(request);
                if (response.Headers.TryGetValues("FriendConnect-Node", out var names) && names.Contains($"node{number}")) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"nginx did not send to node{number} again within 60 s.");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits until a node's output, from <paramref name="from"/> on, has a line the pattern matches; returns the match.</summary>
    public async Task<Match> WaitForOutputAsync(int number, int from, Regex pattern, TimeSpan? timeout = null)
    {
        var node = Node(number);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var output = node.Output;
            var match = pattern.Match(output, Math.Min(from, output.Length));
            if (match.Success) return match;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"node{number} wrote nothing matching /{pattern}/ within {timeout ?? TimeSpan.FromSeconds(60)}:\n{output[Math.Min(from, output.Length)..]}");
            await Task.Delay(50);
        }
    }

    /// <summary>A browser whose node cookie sends it to the given node, as if that node had served it first.</summary>
    public async Task<IBrowserContext> NewContextOnNodeAsync(int number)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Proxy.HttpsUrl,
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        await RouteToNodeAsync(context, number);
        return context;
    }

    /// <summary>Sets the browser's node cookie, so nginx sends its next requests to that node.</summary>
    public static Task RouteToNodeAsync(IBrowserContext context, int number) =>
        context.AddCookiesAsync([new Cookie { Name = "fc_node", Value = $"node{number}", Domain = Nginx.HostName, Path = "/", Secure = true, HttpOnly = true }]);

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        foreach (var node in _nodes)
            if (node is not null) await node.DisposeAsync();
        if (Proxy is not null) await Proxy.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The two nodes on one PostgreSQL database and one Redis, for the tests of the "Two nodes" collection.</summary>
public sealed class TwoNodeFixture : IAsyncLifetime
{
    public TwoNodes Nodes { get; private set; } = default!;

    public async Task InitializeAsync() => Nodes = await TwoNodes.StartAsync();

    public async Task DisposeAsync()
    {
        if (Nodes is not null) await Nodes.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoNodeCollection : ICollectionFixture<TwoNodeFixture>
{
    public const string Name = "Two nodes";
}
