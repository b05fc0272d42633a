using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using FriendConnect.Bench.Browser;
using FriendConnect.Bench.Shared;
using FriendConnect.Tests.Scaling;
using Microsoft.Playwright;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// Push latency between two real browsers: the time from a click in A to the text appearing in B's DOM, for a status
/// update (dashboard feed) and a friend request (B's incoming list), against a raw SignalR hub measured the same way
/// in the same run.
/// </summary>
public sealed class LatencySuite : ISuite
{
    public string Name => "latency";

    private const double TargetP99Ms = 15;
    private const double TargetRatio = 2.5;

    public async Task RunAsync(string[] args)
    {
        var quick = SuiteOutput.Quick(args);
        // --pin: the app on core 0, the browser and the bench on core 1, as if the browsers were on their own machines.
        var pin = args.Contains("--pin");
        var twoNodes = !args.Contains("--one-node") && !pin;
        var warmup = quick ? 5 : 20;
        var iterations = quick ? 30 : 200;
        var rounds = quick ? 2 : 4;

        // One database for the single node, another shared by the two nodes (which share it as they share PostgreSQL
        // in a deployment; the bench keeps SQLite so that both topologies pay the same write).
        var dbPath = Path.Combine(Path.GetTempPath(), $"fc-bench-latency-{Guid.NewGuid():N}.db");
        var sharedPath = Path.Combine(Path.GetTempPath(), $"fc-bench-latency-2n-{Guid.NewGuid():N}.db");
        RedisServer? redis = null;
        BenchApp? node1 = null, node2 = null;
        try
        {
            // A and B are friends (status path); C is a stranger A sends requests to (request path).
            (string, string)[] people = [("ann", "Ann Author"), ("ben", "Ben Reader"), ("cara", "Cara Stranger")];
            await BenchBrowser.SeedAsync(dbPath, people, [(0, 1)]);
            await using var app = new BenchApp(dbPath) { PinToCpus = pin ? "0" : null };
            await app.StartAsync();
            if (twoNodes)
            {
                await BenchBrowser.SeedAsync(sharedPath, people, [(0, 1)]);
                redis = await RedisServer.StartAsync();
                // One key-ring certificate and one signing secret for both nodes, as a deployment has.
                var shared = FriendConnect.Tests.Hosting.KeyRingCertificate.Settings(Path.Combine(Path.GetTempPath(), $"fc-bench-latency-keyring-{Guid.NewGuid():N}"));
                shared["Realtime__Redis"] = redis.ConnectionString;
                shared["Realtime__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
                node1 = new BenchApp(sharedPath);
                await node1.StartAsync(new Dictionary<string, string>(shared) { ["Realtime__Node"] = "node1" });
                node2 = new BenchApp(sharedPath);
                await node2.StartAsync(new Dictionary<string, string>(shared) { ["Realtime__Node"] = "node2" });
            }
            await using var browser = await BenchBrowser.LaunchAsync(app.BaseUrl);
            browser.TapSockets = true;
            if (pin)
            {
                // Chromium's zygote forks every renderer, so pinning the running processes pins the pages opened later.
                BenchApp.Pin(Environment.ProcessId, "1");
                foreach (var p in System.Diagnostics.Process.GetProcessesByName("chromium").Concat(System.Diagnostics.Process.GetProcessesByName("node")))
                    using (p) BenchApp.Pin(p.Id, "1");
            }

            var one = await Pair.OpenAsync(browser, app.BaseUrl, app.BaseUrl);
            // Two nodes: Ann acts on node 1; Ben and Cara watch on node 2, so every update crosses Redis.
            var two = twoNodes ? await Pair.OpenAsync(browser, node1!.BaseUrl, node2!.BaseUrl) : null;

            var hubCtxA = await browser.NewContextAsync();
            var hubCtxB = await browser.NewContextAsync();
            var hubA = await hubCtxA.NewPageAsync();
            var hubB = await hubCtxB.NewPageAsync();
            foreach (var page in new[] { hubA, hubB })
            {
                await page.GotoAsync("/bench/hub-page");
                await page.Locator("#state:has-text('connected')").WaitForAsync(new() { Timeout = 15000 });
            }

            var seq = 0;
            async Task<PushSample> HubOnce()
            {
                var text = $"hub-{++seq}";
                await hubA.Locator("#text").FillAsync(text);
                return await PushProbe.MeasureSplitAsync(hubA, hubB, "#received", text, () => hubA.Locator("#send").ClickAsync());
            }

            Console.WriteLine($"  warm-up: {warmup} of each{(twoNodes ? ", one node and two" : "")}");
            for (var i = 0; i < warmup; i++)
            {
                await HubOnce();
                await one.StatusOnce();
                await one.RequestOnce();
                if (two is null) continue;
                await two.StatusOnce();
                await two.RequestOnce();
            }

            var load = await SuiteOutput.WaitForQuietMachineAsync(maxWait: TimeSpan.FromSeconds(quick ? 0 : 30));
            Console.WriteLine($"  load before measuring: {load}");
            var hubSplit = new List<PushSample>();
            var statusSplit = new List<PushSample>();
            var requestSplit = new List<PushSample>();
            var status2Split = new List<PushSample>();
            var request2Split = new List<PushSample>();
            List<double> hub = [], status = [], request = [], status2 = [], request2 = [];
            void Add(List<PushSample> split, List<double> totals, PushSample sample)
            {
                split.Add(sample);
                totals.Add(sample.Total);
            }
            // CPU each path costs per push, server process and the whole browser, over the same rounds.
            var cpu = new Dictionary<string, (double Server, double Browser, int Pushes)>();
            int?[] onePid = [app.ProcessId], twoPids = [node1?.ProcessId, node2?.ProcessId];
            async Task Timed(string path, int?[] servers, int count, Func<Task> one)
            {
                var (server0, browser0) = (servers.Sum(CpuMs), BrowserCpuMs());
                for (var i = 0; i < count; i++) await one();
                var (server1, browser1) = (servers.Sum(CpuMs), BrowserCpuMs());
                var sum = cpu.GetValueOrDefault(path);
                cpu[path] = (sum.Server + server1 - server0, sum.Browser + browser1 - browser0, sum.Pushes + count);
            }
            var perRound = iterations / rounds;
            // What the open pages cost with nothing happening: the floor under every CPU-per-push figure.
            var idleWatch = System.Diagnostics.Stopwatch.StartNew();
            var (idleServer0, idleBrowser0) = (onePid.Concat(twoPids).Sum(CpuMs), BrowserCpuMs());
            await Task.Delay(TimeSpan.FromSeconds(quick ? 3 : 10));
            var idleServer = (onePid.Concat(twoPids).Sum(CpuMs) - idleServer0) / idleWatch.Elapsed.TotalMilliseconds * 100;
            var idleBrowser = (BrowserCpuMs() - idleBrowser0) / idleWatch.Elapsed.TotalMilliseconds * 100;
            Console.WriteLine($"  idle, every page open: server {idleServer:F1} % of a core, browser {idleBrowser:F1} %");
            for (var round = 0; round < rounds; round++)
            {
                // Interleaved rounds: a slow moment of the machine hits every path alike.
                await Timed("hub", onePid, perRound, async () => Add(hubSplit, hub, await HubOnce()));
                await Timed("status", onePid, perRound, async () => Add(statusSplit, status, await one.StatusOnce()));
                await Timed("request", onePid, perRound, async () => Add(requestSplit, request, await one.RequestOnce()));
                if (two is not null)
                {
                    await Timed("status2", twoPids, perRound, async () => Add(status2Split, status2, await two.StatusOnce()));
                    await Timed("request2", twoPids, perRound, async () => Add(request2Split, request2, await two.RequestOnce()));
                }
                Console.WriteLine($"  round {round + 1}/{rounds}: hub p50 {Stats.Ms(Stats.Percentile(hub, 50))}, status p50 {Stats.Ms(Stats.Percentile(status, 50))}, request p50 {Stats.Ms(Stats.Percentile(request, 50))}" +
                    (two is null ? "" : $"; two nodes: status p50 {Stats.Ms(Stats.Percentile(status2, 50))}, request p50 {Stats.Ms(Stats.Percentile(request2, 50))}"));
            }
            // Decomposition (no browser): what the write itself costs, seen from an API client in the same run.
            using var http = await ApiClientAsync(app.BaseUrl, "ann");
            using var httpCara = await ApiClientAsync(app.BaseUrl, "cara");
            var apiPost = new List<double>();
            var apiPostAlone = new List<double>();
            var constant = new List<double>();
            for (var i = 0; i < iterations / 2; i++)
            {
                var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                (await http.GetAsync("/bench/constant")).EnsureSuccessStatusCode();
                constant.Add(Stats.ElapsedMs(t0));
                t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                var posted = await http.PostAsJsonAsync("/api/v1/statuses", new { text = $"api status {++seq}" });
                apiPost.Add(Stats.ElapsedMs(t0));
                if ((int)posted.StatusCode != 201) throw new InvalidOperationException($"POST /api/v1/statuses: {(int)posted.StatusCode}");
                t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                var alone = await httpCara.PostAsJsonAsync("/api/v1/statuses", new { text = $"api status {++seq}" });
                apiPostAlone.Add(Stats.ElapsedMs(t0));
                if ((int)alone.StatusCode != 201) throw new InvalidOperationException($"POST /api/v1/statuses: {(int)alone.StatusCode}");
                await Task.Delay(20);
            }
            var loadAfter = MachineLoad.Describe();

            var results = new List<LatencySummary>
            {
                LatencySummary.Of("raw SignalR hub (baseline)", hub),
                LatencySummary.Of("status update → friend's dashboard feed", status),
                LatencySummary.Of("friend request → recipient's incoming list", request),
            };
            if (two is not null)
            {
                results.Add(LatencySummary.Of("two nodes: status update → friend's feed on the other node (Redis)", status2));
                results.Add(LatencySummary.Of("two nodes: friend request → recipient's list on the other node (Redis)", request2));
            }
            var decomposition = new[]
            {
                LatencySummary.Of("GET /bench/constant round trip (HTTP floor)", constant),
                LatencySummary.Of("POST /api/v1/statuses by Cara, who has no friends (the write alone)", apiPostAlone),
                LatencySummary.Of("POST /api/v1/statuses by Ann, whose friend Ben has the dashboard open (write + publish into Ben's inbox)", apiPost),
            };
            foreach (var r in results)
                Console.WriteLine($"  {r.Path}: p50 {Stats.Ms(r.P50)} p95 {Stats.Ms(r.P95)} p99 {Stats.Ms(r.P99)} max {Stats.Ms(r.Max)}");
            SplitSummary Split(int i, string key, List<PushSample> samples) =>
                SplitSummary.Of(results[i].Path, samples) with
                {
                    ServerCpuMs = cpu[key].Server / cpu[key].Pushes, BrowserCpuMs = cpu[key].Browser / cpu[key].Pushes,
                };
            var splits = new List<SplitSummary> { Split(0, "hub", hubSplit), Split(1, "status", statusSplit), Split(2, "request", requestSplit) };
            if (two is not null)
            {
                splits.Add(Split(3, "status2", status2Split));
                splits.Add(Split(4, "request2", request2Split));
            }
            foreach (var x in splits)
                Console.WriteLine($"  split {x.Path}: click→out p50 {Stats.Ms(x.ClickToSendP50)}, server p50/p99 {Stats.Ms(x.ServerP50)}/{Stats.Ms(x.ServerP99)}, frame→DOM p50/p99 {Stats.Ms(x.ReceiveToDomP50)}/{Stats.Ms(x.ReceiveToDomP99)}, frames {x.FramesP50:F0}, bytes {x.BytesP50:F0}; CPU per push: server {x.ServerCpuMs:F1} ms, browser {x.BrowserCpuMs:F1} ms");

            var outName = pin ? "latency-pinned" : Name;
            Chart(hub, status, request, outName + "-cdf.png");
            var json = new
            {
                suite = Name, pin, quick, configuration = BenchApp.Configuration, warmup, iterations, rounds, twoNodes,
                loadBefore = load, loadAfter, targetP99Ms = TargetP99Ms, targetRatio = TargetRatio,
                idleServerCpuPercent = idleServer, idleBrowserCpuPercent = idleBrowser,
                results, decomposition, splits, samples = new { hub, status, request, status2, request2, apiPost, apiPostAlone, constant },
            };
            SuiteOutput.Write(outName, json, Markdown([.. results], decomposition, [.. splits], idleServer, idleBrowser, pin, quick, warmup, iterations, rounds, load, loadAfter));
        }
        finally
        {
            if (node2 is not null) await node2.DisposeAsync();
            if (node1 is not null) await node1.DisposeAsync();
            if (redis is not null) await redis.DisposeAsync();
            BenchApp.DeleteDatabase(dbPath);
            BenchApp.DeleteDatabase(sharedPath);
        }
    }

    private static double CpuMs(int? pid) =>
        pid is { } id ? System.Diagnostics.Process.GetProcessById(id).TotalProcessorTime.TotalMilliseconds : 0;

    private static double BrowserCpuMs() =>
        System.Diagnostics.Process.GetProcessesByName("chromium").Sum(p =>
        {
            try { return p.TotalProcessorTime.TotalMilliseconds; }
            catch (InvalidOperationException) { return 0; }
            finally { p.Dispose(); }
        });

    private static async Task<HttpClient> ApiClientAsync(string baseUrl, string login)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { login, password = BenchBrowser.Password });
        response.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return http;
    }

    /// <summary>
    /// Ann (acting, on <c>annUrl</c>) and her friend Ben and the stranger Cara (watching, on <c>otherUrl</c>): the
    /// two timed paths, click in one browser context to text in the other's DOM.
    /// </summary>
    private sealed class Pair
    {
        private const string Incoming = "[aria-label='Incoming requests']";
        private IPage _annDash = null!, _benDash = null!, _annProfile = null!, _caraDash = null!;
        private int _seq;

        public static async Task<Pair> OpenAsync(BenchBrowser browser, string annUrl, string otherUrl)
        {
            var pair = new Pair();
            (_, pair._annDash) = await browser.SignInAsync("ann", annUrl);
            (_, pair._benDash) = await browser.SignInAsync("ben", otherUrl);
            var (annCtx2, _) = await browser.SignInAsync("ann", annUrl);
            pair._annProfile = await annCtx2.NewPageAsync();
            await BenchBrowser.GoInteractiveAsync(pair._annProfile, "/u/cara");
            (_, pair._caraDash) = await browser.SignInAsync("cara", otherUrl);
            // The feed list exists only once Ben has one update; the probe needs it present.
            await pair._annDash.GetByLabel("What's on your mind?").FillAsync("warming up");
            await pair.SaveStatus.ClickAsync();
            await pair._benDash.Locator("[aria-label='Feed']").WaitForAsync(new() { Timeout = 15000 });
            return pair;
        }

        private ILocator SaveStatus => _annDash.GetByRole(AriaRole.Button, new() { Name = "Save status", Exact = true });

        public async Task<PushSample> StatusOnce()
        {
            var text = $"bench status {Guid.NewGuid():N} {++_seq}";
            await _annDash.WaitForFunctionAsync("""() => { const t = document.querySelector(`textarea[aria-label="What's on your mind?"]`); return t && t.value === ''; }""",
                null, new() { Timeout = 10000, PollingInterval = 5 });
            await _annDash.GetByLabel("What's on your mind?").FillAsync(text);
            return await PushProbe.MeasureSplitAsync(_annDash, _benDash, "[aria-label='Feed']", text, () => SaveStatus.ClickAsync());
        }

        public async Task<PushSample> RequestOnce()
        {
            var add = _annProfile.GetByRole(AriaRole.Button, new() { Name = "Add friend Cara Stranger", Exact = true });
            var cancel = _annProfile.GetByRole(AriaRole.Button, new() { Name = "Cancel request to Cara Stranger", Exact = true });
            await add.WaitForAsync(new() { Timeout = 10000 });
            await PushProbe.WaitGoneAsync(_caraDash, Incoming, "Ann Author");
            var ms = await PushProbe.MeasureSplitAsync(_annProfile, _caraDash, Incoming, "Ann Author", () => add.ClickAsync());
            // Cancel (not timed) so the next iteration starts from strangers again.
            await cancel.ClickAsync();
            await PushProbe.WaitGoneAsync(_caraDash, Incoming, "Ann Author");
            return ms;
        }
    }

    /// <summary>The medians (and the server's and B's tails) of the tapped parts of one path's pushes.</summary>
    private sealed record SplitSummary(string Path, int Count, double ClickToSendP50, double ServerP50, double ServerP99,
        double ReceiveToDomP50, double ReceiveToDomP99, double FramesP50, double BytesP50)
    {
        public double ServerCpuMs { get; init; } = double.NaN;
        public double BrowserCpuMs { get; init; } = double.NaN;

        public static SplitSummary Of(string path, IReadOnlyList<PushSample> samples)
        {
            var tapped = samples.Where(x => x.Server is not null).ToList();
            double P(Func<PushSample, double> part, double p) =>
                tapped.Count == 0 ? double.NaN : Stats.Percentile(tapped.Select(part).ToList(), p);
            return new SplitSummary(path, tapped.Count, P(x => x.ClickToSend!.Value, 50), P(x => x.Server!.Value, 50), P(x => x.Server!.Value, 99),
                P(x => x.ReceiveToDom!.Value, 50), P(x => x.ReceiveToDom!.Value, 99), P(x => x.FramesIntoB, 50), P(x => x.BytesIntoB, 50));
        }
    }

    private static void Chart(List<double> hub, List<double> status, List<double> request, string png)
    {
        var plot = new ScottPlot.Plot();
        void Cdf(List<double> values, string label)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            var ys = sorted.Select((_, i) => 100.0 * (i + 1) / sorted.Length).ToArray();
            var line = plot.Add.ScatterLine(sorted, ys);
            line.LegendText = label;
            line.LineWidth = 2;
        }
        Cdf(hub, "raw SignalR hub");
        Cdf(status, "status update → feed");
        Cdf(request, "friend request → incoming list");
        var target = plot.Add.VerticalLine(TargetP99Ms);
        target.LegendText = $"target p99 ({TargetP99Ms} ms)";
        target.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title("Click in A → DOM change in B (cumulative)");
        plot.XLabel("milliseconds");
        plot.YLabel("percent of sends at or below");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(SuiteOutput.PngPath(png), 900, 520);
    }

    private static string Markdown(LatencySummary[] r, LatencySummary[] d, SplitSummary[] splits, double idleServer, double idleBrowser, bool pin, bool quick, int warmup, int iterations, int rounds, string load, string loadAfter)
    {
        var inv = CultureInfo.InvariantCulture;
        var hub = r[0];
        var sb = new StringBuilder();
        sb.AppendLine(pin
            ? "## Push latency with the app on a core of its own (latency --pin)"
            : "## Push latency between two browsers (latency)");
        if (pin)
        {
            sb.AppendLine();
            sb.AppendLine("> **Pinned run:** the app runs on core 0 alone (`taskset -c 0`); Chromium, the Playwright driver and the bench run on core 1, the way the browsers would be on their users' own machines. One node only.");
        }
        sb.AppendLine();
        if (quick) sb.AppendLine("> **Quick smoke run** (`--quick`): too few samples for p99 to mean anything. Run without `--quick` for the real figures.\n");
        var worst = Math.Max(r[1].P99, r[2].P99);
        var ratio = worst / hub.P99;
        sb.AppendLine(string.Create(inv, $"**Headline:** p99 click-to-DOM is {Stats.Ms(r[1].P99)} for a status update ({r[1].P99 / hub.P99:F1}× the raw SignalR hub's {Stats.Ms(hub.P99)}) and {Stats.Ms(r[2].P99)} for a friend request ({r[2].P99 / hub.P99:F1}×), same run, same browser, same clock."));
        sb.AppendLine();
        sb.AppendLine("| path | n | p50 | p95 | p99 | max | p50 ÷ hub | p99 ÷ hub |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var x in r)
            sb.AppendLine(string.Create(inv, $"| {x.Path} | {x.Count} | {Stats.Ms(x.P50)} | {Stats.Ms(x.P95)} | {Stats.Ms(x.P99)} | {Stats.Ms(x.Max)} | {x.P50 / hub.P50:F1}× | {x.P99 / hub.P99:F1}× |"));
        sb.AppendLine();
        sb.AppendLine("Decomposition, same run, measured from an HTTP client in the bench process (no browser):");
        sb.AppendLine();
        sb.AppendLine("| request | n | p50 | p95 | p99 | max |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var x in d)
            sb.AppendLine($"| {x.Path} | {x.Count} | {Stats.Ms(x.P50)} | {Stats.Ms(x.P95)} | {Stats.Ms(x.P99)} | {Stats.Ms(x.Max)} |");
        sb.AppendLine();
        sb.AppendLine("Where each push spends its time, at the sockets (the browsers' WebSockets are tapped: A's click to A's first frame out; that frame to the last frame into B before the text shows, which is the server plus the loopback; that frame to the text in B's DOM), with the frames and bytes B received on the way:");
        sb.AppendLine();
        sb.AppendLine("| path | click → frame out p50 | server p50 | server p99 | frame → DOM p50 | frame → DOM p99 | frames into B | bytes into B | server CPU per push | browser CPU per push |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var x in splits)
            sb.AppendLine(string.Create(inv, $"| {x.Path} | {Stats.Ms(x.ClickToSendP50)} | {Stats.Ms(x.ServerP50)} | {Stats.Ms(x.ServerP99)} | {Stats.Ms(x.ReceiveToDomP50)} | {Stats.Ms(x.ReceiveToDomP99)} | {x.FramesP50:F0} | {x.BytesP50:F0} | {x.ServerCpuMs:F1} ms | {x.BrowserCpuMs:F1} ms |"));
        sb.AppendLine();
        sb.AppendLine("CPU per push: the app process's and every Chromium process's CPU time over each path's rounds (the bench's own Playwright calls included on the browser side), divided by the pushes; for two nodes, both nodes' CPU.");
        sb.AppendLine();
        sb.AppendLine($"![Cumulative latency](../bench/results/{(pin ? "latency-pinned" : "latency")}-cdf.png)");
        sb.AppendLine();
        var metAbs = worst <= TargetP99Ms;
        var metRatio = ratio <= TargetRatio;
        foreach (var x in r.Skip(1).Take(2))
            sb.AppendLine(string.Create(inv, $"**Target** (p99 ≤ {TargetP99Ms} ms and ≤ {TargetRatio}× the raw hub) for {x.Path}: absolute {(x.P99 <= TargetP99Ms ? "**met**" : "**not met**")} ({Stats.Ms(x.P99)}), ratio {(x.P99 / hub.P99 <= TargetRatio ? "**met**" : "**not met**")} ({x.P99 / hub.P99:F1}×).  "));
        if (!metAbs || !metRatio)
        {
            sb.AppendLine();
            var (hs, st) = (splits[0], splits[1]);
            sb.AppendLine(string.Create(inv, $"**Where the gap comes from.** The socket split above says where: of the status push's {Stats.Ms(r[1].P50)} at p50, the browser in A takes {Stats.Ms(st.ClickToSendP50)} to send the click, the change reaches B's socket {Stats.Ms(st.ServerP50)} after A's frame left (the raw hub: {Stats.Ms(hs.ServerP50)}), and B applies it in {Stats.Ms(st.ReceiveToDomP50)}. That server part holds the write (the same post over HTTP: {Stats.Ms(d[1].P50)} at p50 against an HTTP floor of {Stats.Ms(d[0].P50)}), the routing, and the receiving circuit's render of the event's payload; the rest of it is waiting for a core. Each status push costs {st.ServerCpuMs:F1} ms of the app's CPU and {st.BrowserCpuMs:F0} ms of Chromium's (one hub send: {hs.ServerCpuMs:F1} and {hs.BrowserCpuMs:F0} ms; idle, with every page open: {idleServer:F1} % and {idleBrowser:F1} % of a core), on 2 cores. What an app push does beyond the hub's (the sender's page re-renders its editor, feed and toast; the friend's page renders the new item and the bell; Chromium lays out and paints both MudBlazor pages) runs on the same two cores as the push being waited for, so it lands on the critical path, and its tail (p99) is whichever of that work a push queues behind. The hub page renders one line of text."));
        }
        if (r.Length > 3)
        {
            sb.AppendLine();
            sb.AppendLine(string.Create(inv, $"**Two nodes** (Ann's circuit on node 1, Ben's and Cara's on node 2, live events through Redis pub/sub on loopback, both nodes on one SQLite file): status p50 / p99 {Stats.Ms(r[3].P50)} / {Stats.Ms(r[3].P99)} against {Stats.Ms(r[1].P50)} / {Stats.Ms(r[1].P99)} on one node; friend request {Stats.Ms(r[4].P50)} / {Stats.Ms(r[4].P99)} against {Stats.Ms(r[2].P50)} / {Stats.Ms(r[2].P99)}. Both topologies share the same 2 cores, which now run three app processes, Redis and the browser."));
        }
        sb.AppendLine();
        sb.AppendLine("**How it was measured.** The published app (`dotnet publish -c " + BenchApp.Configuration + "`, Production environment, workstation GC, " +
                      "own SQLite file, Bench:Enabled, the status/request rate limits lifted) runs as a separate process; Debian's Chromium (headless) " +
                      "opens one browser context per signed-in user. A records `performance.timeOrigin + performance.now()` in a capturing click " +
                      "listener; B's `MutationObserver` records the same clock when the text appears in the watched element (`[aria-label=Feed]`, " +
                      "`[aria-label='Incoming requests']`, or the hub page's `#received`). Status: Ann types a unique text into \"What's on your mind?\" and clicks " +
                      "\"Save status\" on her dashboard; her friend Ben's dashboard feed must show it. Friend request: Ann clicks \"Add friend Cara Stranger\" " +
                      "on Cara's profile; Cara's dashboard incoming list must show Ann (the request is then cancelled, untimed, and the next send starts clean). " +
                      "Baseline: `/bench/hub-page` with the official `@microsoft/signalr` browser client, WebSockets, a hub method that does `Clients.All.SendAsync`. " +
                      string.Create(inv, $"{warmup} warm-up sends per path, then {iterations} per path in {rounds} interleaved rounds.") + " " +
                      $"Load average before: {load}; after: {loadAfter}.");
        sb.AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- latency` (add `--quick` for a smoke run, `--one-node` to skip the two-node pair, `--pin` for the app on a core of its own and the browser on the other; needs redis-server and taskset).");
        return sb.ToString();
    }
}
