using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FriendConnect.Tests.Browser;
using FriendConnect.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Scaling;

/// <summary>Two nodes behind nginx: people on different nodes see each other live, and a node can die or Redis can stop.</summary>
[Collection(TwoNodeCollection.Name)]
public sealed class TwoNodeTests(TwoNodeFixture fixture) : IAsyncLifetime
{
    private const string Password = SelfHostingTests.Password;
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions AfterRecovery = new() { Timeout = 90_000 };
    private TwoNodes Nodes => fixture.Nodes;

    public async Task InitializeAsync()
    {
        await Nodes.Redis.StartAgainIfStoppedAsync();
        await Nodes.EnsureRunningAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task People_on_different_nodes_see_each_other_live_and_a_page_whose_node_dies_comes_back_on_the_other()
    {
        var (ann, bob) = (NewName("ann"), NewName("bob"));
        using var api = Nodes.Proxy.CreateClient();
        await SelfHostingTests.RegisterAsync(api, ann, "Ann Anywhere");
        await SelfHostingTests.RegisterAsync(api, bob, "Bob Elsewhere");

        await using var annContext = await Nodes.NewContextOnNodeAsync(1);
        await using var bobContext = await Nodes.NewContextOnNodeAsync(2);
        var annPage = await SignInAsync(annContext, ann);
        var bobPage = await SignInAsync(bobContext, bob);
        Assert.Equal("node1", await OpenDashboardAsync(annPage));
        Assert.Equal("node2", await OpenDashboardAsync(bobPage));

        // The cookie Ann's browser got on node 1 opens node 2 as well, and so does a token node 1 minted.
        var annCookie = string.Join("; ", (await annContext.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        Assert.Equal(HttpStatusCode.OK, await DirectGetAsync(Nodes.Node(2), "/api/v1/me", cookie: annCookie));
        var tokenFromNode1 = await SelfHostingTests.LoginAsync(Direct(Nodes.Node(1)), ann);
        Assert.Equal(HttpStatusCode.OK, await DirectGetAsync(Nodes.Node(2), "/api/v1/me", token: tokenFromNode1));

        // Ann's request is written by node 1 and reaches Bob's circuit on node 2.
        Assert.Equal(200, await FetchAsync(annPage, "POST", "/api/v1/friend-requests", new { userName = bob }));
        await Expect(bobPage.GetByText("Ann Anywhere sent you a friend request").First).ToBeVisibleAsync(Soon);

        // Bob accepts and posts on node 2; Ann sees it on node 1.
        var incoming = await bobPage.EvaluateAsync<long>("async () => (await (await fetch('/api/v1/friend-requests/incoming')).json()).items[0].id");
        Assert.Equal(204, await FetchAsync(bobPage, "POST", $"/api/v1/friend-requests/{incoming}/accept"));
        await Expect(annPage.GetByText("Bob Elsewhere accepted your friend request").First).ToBeVisibleAsync(Soon);
        Assert.Equal(201, await FetchAsync(bobPage, "POST", "/api/v1/statuses", new { text = "Hello from node two" }));
        await Expect(annPage.GetByText("Hello from node two").First).ToBeVisibleAsync(Soon);

        // Node 1 dies. Bob posts while Ann's page has no server; her page comes back through node 2, signed in,
        // showing what happened meanwhile, and live updates reach it there.
        // A negotiate nginx had already written to node 1 (on a kept-alive connection) gets nginx's 502, since a POST is
        // not passed on to the backup once sent: the page tries again, and the one that succeeds says where it came back.
        var annBackOnNode2 = annPage.WaitForResponseAsync(Negotiated, new() { Timeout = 90_000 });
        await Nodes.KillNodeAsync(1);
        Assert.Equal(201, await FetchAsync(bobPage, "POST", "/api/v1/statuses", new { text = "Posted while node one was down" }));
        await Expect(annPage.GetByText("Posted while node one was down").First).ToBeVisibleAsync(AfterRecovery);
        Assert.Equal("node2", await (await annBackOnNode2).HeaderValueAsync("FriendConnect-Node"));
        await Expect(annPage.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync(Soon);
        await annPage.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        // The page that came back is live on node 2: the next post arrives through its circuit, not by another reload.
        await annPage.EvaluateAsync("() => window.fcNotReloaded = true");
        Assert.Equal(201, await FetchAsync(bobPage, "POST", "/api/v1/statuses", new { text = "Ann hears this on node two" }));
        await Expect(annPage.GetByText("Ann hears this on node two").First).ToBeVisibleAsync(Soon);
        Assert.True(await annPage.EvaluateAsync<bool>("() => window.fcNotReloaded === true"), "The update arrived live on node 2, not by a reload.");
        await annPage.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDir, "two-nodes-after-node-loss.png"), FullPage = true });
    }

    [Fact]
    public async Task While_Redis_is_down_writes_succeed_and_a_reload_shows_them_and_when_it_returns_live_updates_resume()
    {
        var (cas, dee) = (NewName("cas"), NewName("dee"));
        var node2 = Direct(Nodes.Node(2));
        await SelfHostingTests.RegisterAsync(node2, cas, "Cas Reader");
        await SelfHostingTests.RegisterAsync(node2, dee, "Dee Writer");
        var casToken = await SelfHostingTests.LoginAsync(node2, cas);
        var deeToken = await SelfHostingTests.LoginAsync(node2, dee);
        Assert.Equal(HttpStatusCode.OK, (await node2.SendAsync(Post("/api/v1/friend-requests", new { userName = dee }, casToken))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node2.SendAsync(Post("/api/v1/friend-requests", new { userName = cas }, deeToken))).StatusCode);

        await using var casContext = await Nodes.NewContextOnNodeAsync(1);
        var casPage = await SignInAsync(casContext, cas);
        Assert.Equal("node1", await OpenDashboardAsync(casPage));

        await Nodes.Redis.KillAsync();
        await WaitForReadinessAsync(node2, "Degraded");
        var during = await node2.SendAsync(Post("/api/v1/statuses", new { text = "Written while Redis was down" }, deeToken));
        Assert.Equal(HttpStatusCode.Created, during.StatusCode);
        await casPage.ReloadAsync();
        await Expect(casPage.GetByText("Written while Redis was down").First).ToBeVisibleAsync(Soon);
        await casPage.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });

        // Redis returns: the nodes reconnect by themselves, and a post on node 2 reaches Cas's circuit on node 1
        // without a reload. Reconnecting takes a moment, so Dee posts until one arrives live.
        await Nodes.Redis.StartAgainAsync();
        await WaitForReadinessAsync(node2, "Healthy");
        await casPage.EvaluateAsync("() => window.fcNotReloaded = true");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        for (var attempt = 1; ; attempt++)
        {
            var text = $"Live again, attempt {attempt}";
            Assert.Equal(HttpStatusCode.Created, (await node2.SendAsync(Post("/api/v1/statuses", new { text }, deeToken))).StatusCode);
            try
            {
                await Expect(casPage.GetByText(text).First).ToBeVisibleAsync(new() { Timeout = 5_000 });
                break;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline) { }
        }
        Assert.True(await casPage.EvaluateAsync<bool>("() => window.fcNotReloaded === true"), "The update arrived live, not by a reload.");
    }

    [Fact]
    public async Task A_paused_page_resumes_on_the_other_node_with_its_circuit_state()
    {
        var (eve, fay) = (NewName("eve"), NewName("fay"));
        var node2 = Direct(Nodes.Node(2));
        await SelfHostingTests.RegisterAsync(node2, eve, "Eve Paused");
        await SelfHostingTests.RegisterAsync(node2, fay, "Fay Poster");
        var eveToken = await SelfHostingTests.LoginAsync(node2, eve);
        var fayToken = await SelfHostingTests.LoginAsync(node2, fay);
        Assert.Equal(HttpStatusCode.OK, (await node2.SendAsync(Post("/api/v1/friend-requests", new { userName = fay }, eveToken))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node2.SendAsync(Post("/api/v1/friend-requests", new { userName = eve }, fayToken))).StatusCode);

        await using var eveContext = await Nodes.NewContextOnNodeAsync(1);
        var evePage = await SignInAsync(eveContext, eve);
        Assert.Equal("node1", await OpenDashboardAsync(evePage));
        await evePage.EvaluateAsync("() => window.fcNotReloaded = true");

        // The circuit is paused on node 1 (its state leaves the node), and the browser's next requests go to node 2.
        var logMark = Nodes.Node(1).Output.Length;
        Assert.True(await evePage.EvaluateAsync<bool>("() => Blazor.pauseCircuit()"));
        // The browser's pause returns as soon as the server has begun pausing, and closes the connection at once. Node 1
        // then hands the state to the browser or, the connection being gone already (the usual case), writes it to
        // Redis, and only then disposes the circuit. A resume that reaches node 2 before that write finds no state and
        // is refused (the product then reloads the page, signed in): wait until node 1 has finished pausing.
        var circuit = await Nodes.WaitForOutputAsync(1, logMark, new Regex(@"Pausing circuit with id (\S+) from connection"));
        await Nodes.WaitForOutputAsync(1, logMark, new Regex($"Disposing circuit '{Regex.Escape(circuit.Groups[1].Value)}' started"));

        await TwoNodes.RouteToNodeAsync(eveContext, 2);
        var resumedOn = evePage.WaitForResponseAsync(Negotiated, new() { Timeout = 60_000 });
        var resumeMark = Nodes.Node(2).Output.Length;
        Assert.True(await evePage.EvaluateAsync<bool>("() => Blazor.resumeCircuit()"),
            $"Node 2 refused to resume the circuit node 1 paused:\n{Nodes.Node(2).Output[resumeMark..]}");
        Assert.Equal("node2", await (await resumedOn).HeaderValueAsync("FriendConnect-Node"));
        await evePage.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });

        Assert.Equal(HttpStatusCode.Created, (await node2.SendAsync(Post("/api/v1/statuses", new { text = "Eve hears this after resuming" }, fayToken))).StatusCode);
        await Expect(evePage.GetByText("Eve hears this after resuming").First).ToBeVisibleAsync(Soon);
        Assert.True(await evePage.EvaluateAsync<bool>("() => window.fcNotReloaded === true"), "The page resumed without a reload.");
    }

    [Fact]
    public async Task The_key_ring_in_Redis_holds_no_master_key_in_plain_text()
    {
        // A token makes sure the ring has its key, whichever node made it.
        var name = NewName("kim");
        await SelfHostingTests.RegisterAsync(Direct(Nodes.Node(1)), name, "Kim Keys");
        await SelfHostingTests.LoginAsync(Direct(Nodes.Node(2)), name);

        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Nodes.Redis.ConnectionString);
        var keys = (await redis.GetDatabase().ListRangeAsync("friendconnect:data-protection-keys")).Select(k => k.ToString()).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.DoesNotContain("<masterKey", key);
            Assert.Contains("<EncryptedData", key);
        });
    }

    /// <summary>A node stays ready without Redis (it serves every request) and says it is degraded.</summary>
    private static async Task WaitForReadinessAsync(HttpClient node, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var response = await node.GetAsync("/health/ready");
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (last == $"200 {expected}") return;
            await Task.Delay(200);
        }
        Assert.Fail($"/health/ready answered {last}, expected 200 {expected}.");
    }

    private static int _counter;
    private static string NewName(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}{Guid.NewGuid().ToString("N")[..6]}";

    private static async Task<IPage> SignInAsync(IBrowserContext context, string userName)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Username or e-mail").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard", new() { Timeout = 60_000 });
        return page;
    }

    /// <summary>A circuit connection that a node accepted (nginx's own error answers carry no node name).</summary>
    private static bool Negotiated(IResponse response) => response.Url.Contains("/_blazor/negotiate") && response.Ok;

    /// <summary>Opens the dashboard and returns the node that holds its circuit.</summary>
    private static async Task<string?> OpenDashboardAsync(IPage page)
    {
        var negotiate = page.WaitForResponseAsync(Negotiated, new() { Timeout = 60_000 });
        await page.GotoAsync("/dashboard");
        await page.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        return await (await negotiate).HeaderValueAsync("FriendConnect-Node");
    }

    /// <summary>A same-origin call from the page, with its cookie: it goes to the node the page's cookie names.</summary>
    private static Task<int> FetchAsync(IPage page, string method, string url, object? body = null) =>
        page.EvaluateAsync<int>("""
            async ([method, url, body]) => (await fetch(url, {
                method, headers: { 'Content-Type': 'application/json' }, body: body === null ? undefined : JSON.stringify(body) })).status
            """, new object?[] { method, url, body });

    /// <summary>Straight to one node, past nginx, as nginx would call it (loopback is a trusted proxy; the public scheme is https).</summary>
    private static HttpClient Direct(AppProcess node)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(node.BaseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    private static async Task<HttpStatusCode> DirectGetAsync(AppProcess node, string url, string? cookie = null, string? token = null)
    {
        using var client = Direct(node);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.SendAsync(request)).StatusCode;
    }

    private static HttpRequestMessage Post(string url, object body, string token) => new(HttpMethod.Post, url)
    {
        Content = JsonContent.Create(body),
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };
}
