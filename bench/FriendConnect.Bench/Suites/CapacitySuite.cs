using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using FriendConnect.Bench.Browser;
using FriendConnect.Bench.Capacity;
using FriendConnect.Bench.Data;
using FriendConnect.Bench.Shared;
using FriendConnect.Web.Diagnostics;
using Microsoft.Data.Sqlite;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// How many signed-in dashboard circuits this box holds, with the headless circuit client (Capacity/): fidelity against
/// Chromium at N = 200, then a ramp with live status updates between friends until a criterion breaks, then the GC
/// settings compared at one large N. The app runs as its own published process; client and server share the cores.
/// </summary>
public sealed class CapacitySuite : ISuite
{
    public string Name => "capacity";

    private const double P99TargetMs = 200;
    private const double MemoryShare = 0.8;
    private const long MinAvailableBytes = 3L << 30; // the box is shared: never squeeze it below 3 GB available

    public sealed record Fidelity(double HeadlessKbPerCircuit, double BrowserKbPerCircuit, double Ratio, int Circuits, int LiveReceived, double LiveP50Ms, double LiveP99Ms,
        List<CircuitsSuite.Point> HeadlessPoints, List<CircuitsSuite.Point> BrowserPoints, Dictionary<string, int> JsCalls, string Load);
    public sealed record GcConfig(string Key, string Label, Dictionary<string, string> Env);
    public sealed record GcResult(string Key, string Label, StepResult Step);

    private static readonly GcConfig[] GcConfigs =
    [
        new("wks", "workstation, concurrent (background) GC, TieredPGO on: the published app's default (decision 013)", Env(server: false, concurrent: true, pgo: true)),
        new("wks-nonconc", "workstation, non-concurrent", Env(server: false, concurrent: false, pgo: true)),
        new("svr", "server GC (DATAS), concurrent: the Web SDK's default, the published app's before decision 013", Env(server: true, concurrent: true, pgo: true)),
        new("svr-nonconc", "server GC, non-concurrent", Env(server: true, concurrent: false, pgo: true)),
        new("wks-nopgo", "workstation, concurrent, TieredPGO off", Env(server: false, concurrent: true, pgo: false)),
    ];

    private static Dictionary<string, string> Env(bool server, bool concurrent, bool pgo) => new()
    {
        ["DOTNET_gcServer"] = server ? "1" : "0",
        ["DOTNET_gcConcurrent"] = concurrent ? "1" : "0",
        ["DOTNET_TieredPGO"] = pgo ? "1" : "0",
    };

    public async Task RunAsync(string[] args)
    {
        var quick = SuiteOutput.Quick(args);
        string? Arg(string name) => args.FirstOrDefault(a => a.StartsWith($"--{name}="))?[(name.Length + 3)..];
        var steps = Arg("steps")?.Split(',').Select(int.Parse).ToArray()
            ?? (quick ? [100, 250] : [1000, 2500, 5000, 7500, 10_000, 12_500, 15_000, 17_500]);
        var hold = TimeSpan.FromSeconds(int.Parse(Arg("hold") ?? (quick ? "15" : "60"), CultureInfo.InvariantCulture));
        var userCount = int.Parse(Arg("users") ?? (quick ? "1000" : "20000"), CultureInfo.InvariantCulture);
        var gcN = int.Parse(Arg("gc-n") ?? (quick ? "100" : "2500"), CultureInfo.InvariantCulture);
        var gcKeys = Arg("gc")?.Split(',');
        var parts = Arg("parts")?.Split(',') ?? ["fidelity", "ramp", "gc"];
        var budget = TimeSpan.FromMinutes(int.Parse(Arg("budget-minutes") ?? "120", CultureInfo.InvariantCulture));

        var pausedN = int.Parse(Arg("paused-n") ?? (quick ? "100" : "1000"), CultureInfo.InvariantCulture);

        Console.WriteLine($"  open files limit (ulimit -n): {OpenFileLimit()}; load {MachineLoad.Describe()}");
        Fidelity? fidelity = null;
        var ramp = new List<StepResult>();
        var gc = new List<GcResult>();
        PausedResult? paused = null;
        var saved = Parts.Load();

        // Written after every step and phase, before any teardown: a run that hangs or dies later keeps what it measured.
        // Each part keeps its own figures, so a later run of one part leaves the others' in the report.
        void Save()
        {
            var merged = new Parts(quick, hold.TotalSeconds, userCount, gcN, OpenFileLimit(), MemInfo("MemTotal"),
                fidelity ?? saved?.Fidelity, ramp.Count > 0 ? [.. ramp] : saved?.Ramp ?? [], gc.Count > 0 ? [.. gc] : saved?.Gc ?? [],
                paused ?? saved?.Paused);
            if (gc.Count == 0 && saved is not null) merged = merged with { GcN = saved.GcN };
            if (ramp.Count == 0 && saved is not null) merged = merged with { HoldSeconds = saved.HoldSeconds, UserCount = saved.UserCount };
            if (merged.Ramp.Count > 0) Chart(merged.Ramp);
            SuiteOutput.Write(Name, merged, Markdown(merged.Fidelity, merged.Ramp, merged.Gc, merged.GcN, TimeSpan.FromSeconds(merged.HoldSeconds), merged.UserCount, merged.Quick, merged.Paused));
        }

        if (parts.Contains("fidelity"))
        {
            fidelity = await FidelityAsync(quick ? [0, 20, 40] : [0, 100, 200]);
            Save();
        }

        var data = await DataGenerator.EnsureAsync(userCount);
        var users = LoadUsers(data);
        Console.WriteLine($"  {users.Count:N0} people without the two hubs, in friend-graph (breadth-first) order");

        if (parts.Contains("ramp"))
            await RampAsync(data, users, steps.Where(s => s <= users.Count).ToArray(), hold, GcConfigs[0].Env, DateTime.UtcNow + budget, ramp, Save, args.Contains("--keep-going"));

        if (parts.Contains("gc"))
        {
            foreach (var config in GcConfigs.Where(c => gcKeys is null || gcKeys.Contains(c.Key)))
            {
                Console.WriteLine($"  GC: {config.Label} at N = {gcN:N0}");
                var result = new List<StepResult>();
                await RampAsync(data, users, [gcN], hold, config.Env, DateTime.UtcNow + budget, result, () =>
                {
                    gc.Add(new GcResult(config.Key, config.Label, result[^1]));
                    Save();
                });
            }
        }

        if (parts.Contains("paused"))
            await PausedAsync(data, users, Math.Min(pausedN, users.Count), args.Contains("--gcdump"), p => { paused = p; Save(); });

        Save();
    }

    public sealed record Parts(bool Quick, double HoldSeconds, int UserCount, int GcN, string OpenFileLimit, double MemTotal,
        Fidelity? Fidelity, List<StepResult> Ramp, List<GcResult> Gc, PausedResult? Paused = null)
    {
        public static Parts? Load()
        {
            var path = Path.Combine(PerformanceReport.ResultsDir, "capacity.json");
            if (!File.Exists(path)) return null;
            try { return System.Text.Json.JsonSerializer.Deserialize<Parts>(File.ReadAllText(path), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)); }
            catch (System.Text.Json.JsonException) { return null; }
        }
    }

    // ---- fidelity: the headless client against Chromium, same app, same page, same user ----

    private static async Task<Fidelity> FidelityAsync(int[] ns)
    {
        var dbPath = Path.Combine(Path.GetTempPath(), $"fc-bench-capacity-fidelity-{Guid.NewGuid():N}.db");
        try
        {
            await CircuitsSuite.SeedAsync(dbPath);
            var load = MachineLoad.Describe();
            var dashboard = CircuitsSuite.Kinds.Single(k => k.Key == "dashboard");
            Console.WriteLine("  fidelity: Chromium");
            var browser = await CircuitsSuite.MeasureKindAsync(dbPath, dashboard, ns);
            Console.WriteLine("  fidelity: headless client");
            await using var app = new BenchApp(dbPath);
            await app.StartAsync();
            using var http = NewHttp(app.BaseUrl);
            var cookie = await BenchSessions.SignInAsync(http, "dora");
            var stats = new CircuitStats();
            var circuits = new List<HeadlessCircuit>();
            async Task OpenAsync(int count) => circuits.AddRange(await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            {
                await Gate.WaitAsync();
                try { return await HeadlessCircuit.OpenAsync(http, new Uri(new Uri(app.BaseUrl), "/dashboard"), cookie, "fc-interactive", stats); }
                finally { Gate.Release(); }
            })));
            await OpenAsync(4); // the same warm pages the browser measurement keeps open
            var points = new List<CircuitsSuite.Point>();
            foreach (var n in ns)
            {
                await OpenAsync(n - (circuits.Count - 4));
                await Task.Delay(1000);
                await http.GetFromJsonAsync<BenchHeap>("/bench/heap");
                var heap = (await http.GetFromJsonAsync<BenchHeap>("/bench/heap"))!;
                points.Add(new CircuitsSuite.Point(n, heap.ManagedHeapBytes, heap.WorkingSetBytes));
                Console.WriteLine($"    N = {n,3}: heap {heap.ManagedHeapBytes / 1048576.0:F1} MB, working set {heap.WorkingSetBytes / 1048576.0:F0} MB");
            }
            var fit = CircuitsSuite.LeastSquares(points.Select(p => ((double)p.N, (double)p.HeapBytes)).ToList());

            // A live status update from one of Dora's friends reaches every one of her circuits as a render batch.
            var text = $"Fidelity check {Guid.NewGuid():N}"[..30];
            var waits = circuits.Select(c => c.WaitForTextAsync(text)).ToList();
            var posted = await BenchSessions.PostStatusAsync(http, "friend01", text);
            var received = new List<double>();
            foreach (var w in waits)
            {
                try { received.Add(Stopwatch.GetElapsedTime(posted.StartedTimestamp, await w.WaitAsync(TimeSpan.FromSeconds(30))).TotalMilliseconds); }
                catch (TimeoutException) { }
            }
            Console.WriteLine($"    live update: {received.Count}/{circuits.Count} circuits received it; errors {stats.ErrorCount}");
            foreach (var c in circuits) await c.DisposeAsync();
            return new Fidelity(fit.Slope / 1024, browser.Heap.Slope / 1024, fit.Slope / browser.Heap.Slope, circuits.Count, received.Count,
                Stats.Percentile(received, 50), Stats.Percentile(received, 99), points, browser.Points,
                stats.JsCalls.OrderByDescending(kv => kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value), load);
        }
        finally
        {
            BenchApp.DeleteDatabase(dbPath);
        }
    }

    private static readonly SemaphoreSlim Gate = new(8);

    // ---- the ramp ----

    /// <summary>Adds each step to <paramref name="results"/> and calls <paramref name="save"/> before the next one starts and before any teardown.</summary>
    private static async Task RampAsync(Dataset data, List<LoadUser> users, int[] steps, TimeSpan hold, Dictionary<string, string> env, DateTime deadline,
        List<StepResult> results, Action save, bool keepGoing = false)
    {
        var dbPath = DataGenerator.CopyOf(data, "capacity");
        var memoryLimit = MemInfo("MemTotal") * MemoryShare;
        var app = new BenchApp(dbPath);
        using var http = NewHttp(app.BaseUrl);
        var load = new CapacityLoad(http, new Uri(app.BaseUrl), users);
        try
        {
            await app.StartAsync(env);
            load.StartPosting();
            foreach (var target in steps)
            {
                Console.WriteLine($"  step {target:N0}: signing in, then opening circuits (load {MachineLoad.Describe()})");
                await load.SignInAsync(target);
                load.TakeWindow(); // the step's window starts with its ramp
                var errorsBefore = load.Stats.ErrorCount;
                var started = Stopwatch.GetTimestamp();
                var stop = await load.OpenUpToAsync(target, parallel: 8, guard: () =>
                    MemInfo("MemAvailable") < MinAvailableBytes ? $"the box had under {MinAvailableBytes >> 30} GB available"
                    : DateTime.UtcNow > deadline ? "the run's time budget (--budget-minutes) ran out" : null);
                Console.WriteLine($"    {load.Open:N0} open after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s; holding {hold.TotalSeconds:F0} s");
                var step = await load.MeasureStepAsync(target, hold, errorsBefore, stop);
                results.Add(step);
                save();
                Console.WriteLine($"    server: circuits {step.ServerCircuits:N0}, heap {step.ManagedHeapAfterGcBytes / 1048576.0:F0} MB after GC, RSS {step.WorkingSetBytes / 1048576.0:F0} MB, " +
                                  $"CPU {step.ServerCpuPercent:F0} %, GC pause p99 {step.GcPauseP99Ms:F1} ms; client CPU {step.ClientCpuPercent:F0} %; " +
                                  $"latency p50/p99 {CapacityLoad.Format(step.LatencyP50Ms)}/{CapacityLoad.Format(step.LatencyP99Ms)} ms over {step.Samples} ({step.Posts} posts, {step.Missed} missed); " +
                                  $"open p50/p99 {CapacityLoad.Format(step.OpenP50Ms)}/{CapacityLoad.Format(step.OpenP99Ms)} ms; errors {step.CircuitErrors}");
                foreach (var e in load.Stats.FirstErrors.Take(3)) Console.WriteLine($"      error: {e}");
                Console.WriteLine("      JS calls so far: " + string.Join(", ", load.Stats.JsCalls.OrderByDescending(kv => kv.Value).Take(12).Select(kv => $"{kv.Key} ×{kv.Value}")));
                if (step.StoppedBecause is not null) break;
                if (!step.Holds(P99TargetMs, memoryLimit) && !keepGoing)
                {
                    Console.WriteLine("    the criteria no longer hold: the ramp stops here");
                    break;
                }
            }
        }
        finally
        {
            await TearDownAsync(app, load, dbPath);
        }
    }

    /// <summary>The app process is killed first, so closing thousands of client connections cannot wait on a busy server.</summary>
    private static async Task TearDownAsync(BenchApp app, CapacityLoad load, string dbPath)
    {
        Console.WriteLine($"  teardown: stopping the app, then closing {load.Open:N0} client connections (bounded)");
        await app.StopAsync();
        await load.DisposeAsync();
        BenchApp.DeleteDatabase(dbPath);
    }

    // ---- paused tabs: what the server holds for N paused tabs compared with N live ones ----

    public sealed record PausedPhase(string Phase, int ClientCircuits, int ServerCircuits, long ManagedHeapBytes, long WorkingSetBytes, double SettleSeconds, string Load);

    public sealed record PausedResult(int N, List<PausedPhase> Phases, double TabStateKbMean, double TabStateKbMax, int PausedToTab, int PausedToServer,
        int Resumed, long Errors, double? OpenP50Ms, double? ResumeP50Ms)
    {
        public PausedPhase? Baseline => Phases.FirstOrDefault(p => p.Phase == PausedPhases.Baseline);
        public double? KbPerTab(string phase) => Phases.FirstOrDefault(p => p.Phase == phase) is { } p && Baseline is { } b ? (p.ManagedHeapBytes - b.ManagedHeapBytes) / 1024.0 / N : null;
        public double? RssKbPerTab(string phase) => Phases.FirstOrDefault(p => p.Phase == phase) is { } p && Baseline is { } b ? (p.WorkingSetBytes - b.WorkingSetBytes) / 1024.0 / N : null;
    }

    public static class PausedPhases
    {
        public const string Baseline = "no circuits";
        public const string Live = "live";
        public const string PausedToTab = "paused, state kept by the tab";
        public const string Resumed = "resumed";
        public const string PausedToServer = "paused, state kept by the server";
    }

    /// <summary>
    /// One app process: a baseline with no circuits, N live dashboards, the same N paused the way app.js pauses a hidden
    /// tab (the state goes to the tab), resumed from that state, and paused again with the tab declining the state so the
    /// server keeps it (what it does when the push fails, and for a tab that vanished without pausing). Each figure is the
    /// managed heap after a forced full GC once the server reports the expected number of circuits.
    /// </summary>
    private static async Task PausedAsync(Dataset data, List<LoadUser> users, int n, bool gcdump, Action<PausedResult> save)
    {
        var dbPath = DataGenerator.CopyOf(data, "capacity-paused");
        var app = new BenchApp(dbPath);
        using var http = NewHttp(app.BaseUrl);
        var load = new CapacityLoad(http, new Uri(app.BaseUrl), users);
        var phases = new List<PausedPhase>();
        var tabState = new List<int>();
        int toTab = 0, toServer = 0, resumed = 0;
        double? openP50 = null, resumeP50 = null;
        PausedResult Result() => new(n, [.. phases], tabState.Count == 0 ? 0 : tabState.Average() / 1024, tabState.Count == 0 ? 0 : tabState.Max() / 1024.0,
            toTab, toServer, resumed, load.Stats.ErrorCount, openP50, resumeP50);
        async Task Phase(string name, int expected)
        {
            var settled = await WaitForServerCircuitsAsync(http, expected, TimeSpan.FromMinutes(10));
            await http.GetFromJsonAsync<BenchHeap>("/bench/heap");
            var heap = (await http.GetFromJsonAsync<BenchHeap>("/bench/heap"))!;
            var runtime = (await http.GetFromJsonAsync<BenchRuntime>("/bench/runtime"))!;
            phases.Add(new PausedPhase(name, load.Open, runtime.OpenCircuits, heap.ManagedHeapBytes, heap.WorkingSetBytes, settled, MachineLoad.Describe()));
            Console.WriteLine($"    {name}: client {load.Open:N0}, server {runtime.OpenCircuits:N0} circuits (settled in {settled:F0} s); heap {heap.ManagedHeapBytes / 1048576.0:F1} MB, RSS {heap.WorkingSetBytes / 1048576.0:F0} MB; errors {load.Stats.ErrorCount}; load {MachineLoad.Describe()}");
            save(Result());
            // One dump per process: a second one from the same process comes back without type names.
            if (gcdump && name == PausedPhases.PausedToTab && app.ProcessId is { } pid) await HeapTypesAsync(pid, name);
        }
        double? P50() => load.TakeWindow().OpenMs is { Count: > 0 } ms ? Stats.Percentile(ms, 50) : null;
        try
        {
            await app.StartAsync(GcConfigs[0].Env);
            Console.WriteLine($"  paused: {n:N0} dashboards, load {MachineLoad.Describe()}");
            await load.SignInAsync(n);
            // Warm-up: a few dashboards open and pause once, so the baseline has the page's and the pause's code and caches loaded.
            await load.OpenUpToAsync(8, 8, () => null);
            await load.PauseAllAsync(keepStateInTab: true, parallel: 8);
            load.TakeWindow();
            await Phase(PausedPhases.Baseline, 0);

            await load.OpenUpToAsync(n, parallel: 8, guard: () => MemInfo("MemAvailable") < MinAvailableBytes ? "the box had under 3 GB available" : null);
            openP50 = P50();
            await Phase(PausedPhases.Live, load.Open);

            var paused = await load.PauseAllAsync(keepStateInTab: true, parallel: 16);
            toTab = paused.Count(p => p is { HeldByTab: true });
            tabState.AddRange(paused.Where(p => p is not null).Select(p => p!.StateChars));
            await Phase(PausedPhases.PausedToTab, 0);

            await load.ResumeAllAsync(paused, parallel: 8);
            resumed = load.Open;
            resumeP50 = P50();
            await Phase(PausedPhases.Resumed, load.Open);

            var declined = await load.PauseAllAsync(keepStateInTab: false, parallel: 16);
            toServer = declined.Count(p => p is { HeldByTab: false });
            await Phase(PausedPhases.PausedToServer, 0);
        }
        finally
        {
            await TearDownAsync(app, load, dbPath);
        }
    }

    /// <summary>
    /// With --gcdump: the server heap's largest types once the tabs are paused (dotnet-gcdump, from ~/.dotnet/tools or the PATH),
    /// appended to bench/results/capacity.paused-heap.txt, so what a paused tab still holds can be named.
    /// </summary>
    private static async Task HeapTypesAsync(int pid, string phase)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var tool = Path.Combine(home, ".dotnet", "tools", "dotnet-gcdump");
        if (!File.Exists(tool)) tool = "dotnet-gcdump";
        var dump = Path.Combine(Path.GetTempPath(), $"capacity-paused-{pid}-{Guid.NewGuid():N}.gcdump");
        var path = Path.Combine(PerformanceReport.ResultsDir, "capacity.paused-heap.txt");
        try
        {
            await RunToolAsync(tool, ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", dump]);
            var report = await RunToolAsync(tool, ["report", dump]);
            var lines = report.Split('\n').Take(70);
            await File.AppendAllTextAsync(path, $"== {phase} ({DateTime.UtcNow:u}, load {MachineLoad.Describe()}) ==\n{string.Join('\n', lines)}\n\n");
            Console.WriteLine($"    heap types at '{phase}' appended to bench/results/capacity.paused-heap.txt");
        }
        catch (Exception ex)
        {
            Console.WriteLine($"    gcdump at '{phase}' failed: {ex.Message}");
        }
        finally
        {
            File.Delete(dump);
        }
    }

    private static async Task<string> RunToolAsync(string tool, string[] arguments)
    {
        var psi = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { process.Kill(); throw new TimeoutException($"{tool} {arguments[0]} took over 5 minutes"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {arguments[0]} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static async Task<double> WaitForServerCircuitsAsync(HttpClient http, int expected, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while ((await http.GetFromJsonAsync<BenchRuntime>("/bench/runtime"))!.OpenCircuits != expected)
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                Console.WriteLine($"    the server still reports circuits other than {expected} after {limit.TotalMinutes:F0} minutes; measuring anyway");
                break;
            }
            await Task.Delay(250);
        }
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Everyone but the two hubs, breadth-first over the friend graph from the typical user, so online people have online friends at every N.</summary>
    private static List<LoadUser> LoadUsers(Dataset data)
    {
        var ids = new List<(string Id, string Name)>();
        var friends = new Dictionary<string, List<string>>();
        using (var conn = new SqliteConnection($"Data Source={data.Path};Mode=ReadOnly;Pooling=False"))
        {
            conn.Open();
            using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = """SELECT "Id", "UserName" FROM "AspNetUsers" ORDER BY "Id" """;
                using var r = cmd.ExecuteReader();
                while (r.Read()) ids.Add((r.GetString(0), r.GetString(1)));
            }
            using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = """SELECT "UserId", "FriendId" FROM "Friendships" """;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    var u = r.GetString(0);
                    if (!friends.TryGetValue(u, out var list)) friends[u] = list = [];
                    list.Add(r.GetString(1));
                }
            }
        }
        var hubs = new HashSet<string?> { data.Hub5000Id, data.Hub1000Id };
        var order = new List<string>();
        var seen = new HashSet<string>(hubs.OfType<string>());
        var queue = new Queue<string>();
        foreach (var start in new[] { data.TypicalUserId }.Concat(ids.Select(i => i.Id)))
        {
            if (!seen.Add(start)) continue;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var u = queue.Dequeue();
                order.Add(u);
                foreach (var f in friends.GetValueOrDefault(u) ?? [])
                    if (seen.Add(f)) queue.Enqueue(f);
            }
        }
        var index = order.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var names = ids.ToDictionary(i => i.Id, i => i.Name);
        return order.Select(id => new LoadUser(id, names[id],
            (friends.GetValueOrDefault(id) ?? []).Where(index.ContainsKey).Select(f => index[f]).ToArray())).ToList();
    }

    private static HttpClient NewHttp(string baseUrl) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 64,
    })
    { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };

    private static double MemInfo(string key)
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith(key + ":"));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files"));
            return string.Join(" / ", line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2)) + " (soft / hard)";
        }
        catch { return "n/a"; }
    }

    // ---- output ----

    private static void Chart(List<StepResult> ramp)
    {
        var plot = new ScottPlot.Plot();
        var xs = ramp.Select(s => (double)s.Circuits).ToArray();
        var rss = plot.Add.Scatter(xs, ramp.Select(s => s.WorkingSetBytes / 1073741824.0).ToArray());
        rss.LegendText = "server RSS, GB";
        rss.LineWidth = 2;
        var heap = plot.Add.Scatter(xs, ramp.Select(s => s.ManagedHeapAfterGcBytes / 1073741824.0).ToArray());
        heap.LegendText = "managed heap after full GC, GB";
        heap.LineWidth = 2;
        var p99 = plot.Add.Scatter(xs, ramp.Select(s => s.LatencyP99Ms ?? 0).ToArray());
        p99.LegendText = "post → friend's render batch p99, ms (right)";
        p99.Axes.YAxis = plot.Axes.Right;
        p99.LineWidth = 2;
        p99.LinePattern = ScottPlot.LinePattern.Dashed;
        var target = plot.Add.HorizontalLine(P99TargetMs);
        target.Axes.YAxis = plot.Axes.Right;
        target.LegendText = "200 ms bar (right)";
        plot.Title("Signed-in dashboard circuits on one 2-core box: memory and live-update latency");
        plot.XLabel("open circuits (headless client)");
        plot.YLabel("GB");
        plot.Axes.Right.Label.Text = "ms";
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(SuiteOutput.PngPath("capacity.png"), 900, 520);
    }

    private static string Markdown(Fidelity? fidelity, List<StepResult> ramp, List<GcResult> gc, int gcN, TimeSpan hold, int userCount, bool quick, PausedResult? paused)
    {
        var inv = CultureInfo.InvariantCulture;
        string Gb(double b) => string.Create(inv, $"{b / 1073741824.0:F2} GB");
        string Ms(double? ms) => CapacityLoad.Format(ms);
        var memoryLimit = MemInfo("MemTotal") * MemoryShare;
        var holding = ramp.Where(s => s.Holds(P99TargetMs, memoryLimit)).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("## Capacity: signed-in dashboard circuits on one box (capacity)");
        sb.AppendLine();
        if (quick) sb.AppendLine("> **Quick smoke run** (`--quick`): small N, short holds. Run without `--quick` for the ceiling.\n");
        if (ramp.Count > 0)
        {
            var last = ramp[^1];
            var ceiling = holding.Count > 0 ? holding[^1].Circuits : 0;
            var why = last.Holds(P99TargetMs, memoryLimit) ? "the last step tried still held" : WhyNot(last, memoryLimit);
            sb.AppendLine(string.Create(inv, $"**Headline:** the ceiling measured on this 2-core box is **{ceiling:N0} signed-in dashboard circuits** (target ≥ 10,000: **{(ceiling >= 10_000 ? "met" : "not met")}**); at {last.Circuits:N0}: {why}."));
            sb.AppendLine();
            sb.AppendLine("| circuits (server) | managed heap after GC | RSS | server CPU | client CPU | GC pause p99 / max (count) | post → batch p50 / p99 (samples, posts, missed) | open a circuit p50 / p99 | errors | load |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var s in ramp)
                sb.AppendLine(string.Create(inv, $"| {s.Circuits:N0} ({s.ServerCircuits:N0}) | {Gb(s.ManagedHeapAfterGcBytes)} | {Gb(s.WorkingSetBytes)} | {s.ServerCpuPercent:F0} % | {s.ClientCpuPercent:F0} % | {s.GcPauseP99Ms:F1} / {s.GcPauseMaxMs:F0} ms ({s.GcPauses}) | {Ms(s.LatencyP50Ms)} / {Ms(s.LatencyP99Ms)} ms ({s.Samples}, {s.Posts}, {s.Missed}) | {Ms(s.OpenP50Ms)} / {Ms(s.OpenP99Ms)} ms | {s.CircuitErrors} | {s.Load} |"));
            sb.AppendLine();
            var loads = ramp.Select(s => double.TryParse(s.Load.Split(' ')[0], NumberStyles.Float, inv, out var l) ? l : 0).ToList();
            if (loads.Max() > 2 * Environment.ProcessorCount)
            {
                sb.AppendLine(string.Create(inv, $"> **The box was overloaded during this run** (1-minute load {loads.Min():F0}–{loads.Max():F0} on {Environment.ProcessorCount} cores, from other builds and tests): the server process got a small share of a core, so the latencies, open times and GC pauses above measure the queue for the CPU more than the app, and the ceiling above is what this loaded box held, not what an idle one holds. The memory figures do not depend on the load."));
                sb.AppendLine();
            }
            var last2 = ramp[^1];
            if (last2.ServerCpuSecondsTotal > 0)
            {
                sb.AppendLine(string.Create(inv, $"CPU the server spent, start-up included, up to {last2.Circuits:N0} open circuits: {last2.ServerCpuSecondsTotal:F0} s, about **{last2.ServerCpuSecondsTotal / last2.Circuits * 1000:F0} ms per circuit opened** (a prerendered GET plus the interactive render) plus the live updates; at that cost two idle cores open about {2 * last2.Circuits / last2.ServerCpuSecondsTotal:F0} circuits a second."));
                sb.AppendLine();
            }
            sb.AppendLine("![Circuits vs memory and latency](../bench/results/capacity.png)");
            sb.AppendLine();
            if (ramp.Count >= 2)
            {
                var a = ramp[0];
                var b = ramp[^1];
                var perCircuitRss = (b.WorkingSetBytes - a.WorkingSetBytes) / (double)(b.Circuits - a.Circuits);
                var perCircuitHeap = (b.ManagedHeapAfterGcBytes - a.ManagedHeapAfterGcBytes) / (double)(b.Circuits - a.Circuits);
                sb.AppendLine(string.Create(inv, $"Between {a.Circuits:N0} and {b.Circuits:N0} circuits each one added {perCircuitHeap / 1024:F0} KB of managed heap and {perCircuitRss / 1024:F0} KB of RSS; 80 % of this box's memory ({Gb(memoryLimit)}) would hold about {(memoryLimit - a.WorkingSetBytes) / perCircuitRss + a.Circuits:N0} at that rate."));
                sb.AppendLine();
            }
        }
        if (gc.Count > 0)
        {
            sb.AppendLine(string.Create(inv, $"**GC settings at N = {gcN:N0}** (each a fresh app process, the same people and posts, {hold.TotalSeconds:F0} s hold):"));
            sb.AppendLine();
            sb.AppendLine("| settings | circuits | managed heap after GC | RSS (per circuit, base included) | server CPU | GC pause p99 / max (count) | post → batch p50 / p99 | open p50 / p99 | errors | load |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var g in gc)
            {
                var s = g.Step;
                var label = GcConfigs.FirstOrDefault(c => c.Key == g.Key)?.Label ?? g.Label;
                sb.AppendLine(string.Create(inv, $"| {label} | {s.Circuits:N0} | {Gb(s.ManagedHeapAfterGcBytes)} | {Gb(s.WorkingSetBytes)} ({s.WorkingSetBytes / 1024.0 / Math.Max(1, s.Circuits):F0} KB) | {s.ServerCpuPercent:F0} % | {s.GcPauseP99Ms:F1} / {s.GcPauseMaxMs:F0} ms ({s.GcPauses}) | {Ms(s.LatencyP50Ms)} / {Ms(s.LatencyP99Ms)} ms | {Ms(s.OpenP50Ms)} / {Ms(s.OpenP99Ms)} ms | {s.CircuitErrors} | {s.Load} |"));
            }
            sb.AppendLine();
        }
        if (paused?.Baseline is { } baseline)
        {
            sb.AppendLine(PausedMarkdown(paused, baseline));
            sb.AppendLine();
        }
        if (fidelity is not null)
        {
            sb.AppendLine(string.Create(inv, $"**Fidelity of the headless client.** Dora's dashboard (the `circuits` suite's data), N = {string.Join(", ", fidelity.HeadlessPoints.Select(p => p.N))}, the same app build, measured in this run: headless **{fidelity.HeadlessKbPerCircuit:F0} KB** of managed heap per circuit, Chromium **{fidelity.BrowserKbPerCircuit:F0} KB** ({fidelity.Ratio:P0}; within 15 %: **{(Math.Abs(fidelity.Ratio - 1) <= 0.15 ? "yes" : "no")}**). A status posted by one of her friends reached **{fidelity.LiveReceived} of {fidelity.Circuits}** open headless circuits as a render batch (p50 {Ms(fidelity.LiveP50Ms)} ms, p99 {Ms(fidelity.LiveP99Ms)} ms, all fanned out at once). Load: {fidelity.Load}."));
            sb.AppendLine();
            sb.AppendLine("JS interop calls the page made per run (answered like a browser would): " + string.Join(", ", fidelity.JsCalls.Select(kv => $"`{kv.Key}` ×{kv.Value}")) + ".");
            sb.AppendLine();
        }
        sb.AppendLine(string.Create(inv, $"**How it was measured.** The published app (`dotnet publish -c {BenchApp.Configuration}`, Production, Bench:Enabled) runs as its own process on a copy of the generated {userCount:N0}-person database (seed 42; the two hubs with 5,000 and 1,000 friends are left out: the `fanout` suite measures them). "));
        sb.AppendLine("The headless client (bench/FriendConnect.Bench/Capacity) does what blazor.web.js does: it GETs `/dashboard` with the person's cookie, reads the `<!--Blazor:{…}-->` server markers and the persisted state, connects to `/_blazor` over WebSockets with the blazorpack protocol, calls `StartCircuit`, waits for the renderer to attach, sends `UpdateRootComponents` with the markers, acknowledges every render batch and answers every JS interop call; a circuit counts as open when the batch carrying `fc-interactive` (rendered only once interactive) arrives. " +
                      "Cookies come from `POST /bench/sign-in/{name}` (Identity's cookie sign-in without the password hash), all made before the step's circuits are timed. People are opened in breadth-first order over the friend graph, so online people have online friends at every N. " +
                      string.Create(inv, $"While the ramp runs, 1 % of the connected people post a status each minute (`/bench/post-status`, StatusService); each online friend's circuit waits for the render batch whose bytes carry the text. Latency = the server's Stopwatch at the start of `PostAsync` (the save included) → the client's Stopwatch when the batch arrived (CLOCK_MONOTONIC, shared by both processes). Each step holds {hold.TotalSeconds:F0} s after its last circuit opened; server figures come from `/bench/runtime` (GC pauses from the runtime's own suspend/restart events, CPU from the process) and `/bench/heap` (forced full GC, last, so its pause is not counted). ") +
                      string.Create(inv, $"The ceiling is the largest N with post → batch p99 ≤ {P99TargetMs:F0} ms, no circuit errors or missed updates, and server RSS ≤ 80 % of the box's memory; the ramp also stops if the shared box falls under 3 GB available. ") +
                      "Client and server share the 2 cores: the client's CPU is in the table, and whatever it uses is taken from the server, so the ceiling is a lower bound for a server with the cores to itself.");
        sb.AppendLine();
        sb.AppendLine("Reproduce: `ulimit -n 65536; dotnet run -c Release --project bench/FriendConnect.Bench -- capacity` (`--parts=fidelity,ramp,gc`, `--steps=…`, `--hold=60`, `--gc-n=…`, `--quick`). Each circuit holds one socket in the client and one in the server, so the open-files limit must exceed the largest N.");
        return sb.ToString();
    }

    private static string PausedMarkdown(PausedResult paused, PausedPhase baseline)
    {
        var inv = CultureInfo.InvariantCulture;
        string Kb(double? kb) => kb is { } v ? v.ToString(Math.Abs(v) < 10 ? "F1" : "F0", inv) + " KB" : "—";
        var sb = new StringBuilder();
        var live = paused.KbPerTab(PausedPhases.Live);
        var toTab = paused.KbPerTab(PausedPhases.PausedToTab);
        var toServer = paused.KbPerTab(PausedPhases.PausedToServer);
        sb.AppendLine(string.Create(inv, $"**{paused.N:N0} paused tabs compared with {paused.N:N0} live ones** (one app process, the headless client; managed heap after a forced full GC, minus the same process with no circuits): a live dashboard holds **{Kb(live)}** of managed heap, a tab paused the way app.js pauses it holds **{Kb(toTab)}** (the server pushed its state to the tab: {Kb(paused.TabStateKbMean)} on average, {Kb(paused.TabStateKbMax)} at most, kept by the tab for its resume), and a paused tab whose state the server keeps (the push declined; also where a tab that vanished without pausing ends up) **{Kb(toServer)}**, for `Circuits:PausedStateRetention`."));
        sb.AppendLine();
        sb.AppendLine("| phase | client tabs open | server circuits | managed heap after GC | per tab vs no circuits | RSS | RSS per tab vs no circuits | settled in | load |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var p in paused.Phases)
        {
            var perTab = p == baseline ? "—" : Kb(paused.KbPerTab(p.Phase));
            var rssPerTab = p == baseline ? "—" : Kb(paused.RssKbPerTab(p.Phase));
            sb.AppendLine(string.Create(inv, $"| {p.Phase} | {p.ClientCircuits:N0} | {p.ServerCircuits:N0} | {p.ManagedHeapBytes / 1048576.0:F1} MB | {perTab} | {p.WorkingSetBytes / 1048576.0:F0} MB | {rssPerTab} | {p.SettleSeconds:F0} s | {p.Load} |"));
        }
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"Paused with the state in the tab: {paused.PausedToTab:N0}; resumed from it: {paused.Resumed:N0} (each resumed dashboard rendered again, `fc-interactive` in a batch); paused with the state left to the server: {paused.PausedToServer:N0}; client errors {paused.Errors}. Open p50 {CapacityLoad.Format(paused.OpenP50Ms)} ms, resume p50 {CapacityLoad.Format(paused.ResumeP50Ms)} ms (CPU-bound on this shared box; memory figures barely depend on the load). RSS after a pause stays near its peak: the GC keeps freed segments committed for a while, so the managed heap is the figure that shows what a paused tab holds."));
        sb.AppendLine();
        sb.AppendLine("How: `PauseCircuit` on the hub, as `Blazor.pauseCircuit()` does; the server persists the root components and application state, pushes them with `JS.SavePersistedState` (the tab answers true and keeps them, or false so the server keeps them in memory), disposes the circuit, and the tab closes its connection. Resume is `ResumeCircuit` with the old circuit's id and the kept state, then the page's markers added again. Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- capacity --parts=paused --paused-n=1000`.");
        return sb.ToString();
    }

    private static string WhyNot(StepResult s, double memoryLimit)
    {
        var reasons = new List<string>();
        if (s.StoppedBecause is not null) reasons.Add($"stopped: {s.StoppedBecause}");
        if (s.CircuitErrors > 0) reasons.Add($"{s.CircuitErrors} circuit errors");
        if (s.Missed > 0) reasons.Add($"{s.Missed} live updates missed");
        if (s.LatencyP99Ms > P99TargetMs) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"p99 {s.LatencyP99Ms:F0} ms > {P99TargetMs:F0} ms"));
        if (s.WorkingSetBytes > memoryLimit) reasons.Add("RSS over 80 % of memory");
        return string.Join(", ", reasons);
    }
}
