using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using FriendConnect.Bench.Browser;
using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Statuses;
using FriendConnect.Web.Diagnostics;
using Microsoft.Playwright;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// Server memory per connected, signed-in circuit: N pages open (each its own browser context, each proven interactive),
/// then the server's managed heap after a forced full compacting GC, for the dashboard, the directory and two baselines
/// (an empty interactive page with no layout, and the app's own layout around an empty body). Slope by least squares.
/// </summary>
public sealed class CircuitsSuite : ISuite
{
    public string Name => "circuits";

    private const double TargetBytesPerDashboardCircuit = 600 * 1024;
    private const double TargetBytesPerDirectoryCircuit = 400 * 1024;
    private const int WarmPages = 4;

    internal sealed record Kind(string Key, string Label, string Path);

    internal static readonly Kind[] Kinds =
    [
        new("empty", "empty interactive page, no layout (`/bench/empty`, baseline)", "/bench/empty"),
        new("shell", "app layout around an empty body (`/bench/shell`)", "/bench/shell"),
        new("dashboard", "dashboard (`/dashboard`)", "/dashboard"),
        new("directory", "directory (`/`, 20 rows of plain table markup, one `RelationActions` for their buttons)", "/"),
        new("paused", "dashboard tabs paused (`Blazor.pauseCircuit()`, state kept for resume)", "/dashboard"),
    ];

    private static bool gcdump;

    public sealed record Point(int N, long HeapBytes, long WorkingSetBytes);
    public sealed record Fit(double Slope, double Intercept, double R2);
    public sealed record KindResult(string Key, string Label, string Path, List<Point> Points, Fit Heap, Fit WorkingSet, double OpenSecondsPerPage);

    public async Task RunAsync(string[] args)
    {
        var quick = SuiteOutput.Quick(args);
        int[] ns = quick ? [0, 10, 20, 40] : [0, 50, 100, 200];
        // --max-n=100: fewer pages where Chromium is heavy on the bench machine; the slope needs N = 0 and at least two more.
        if (args.FirstOrDefault(a => a.StartsWith("--max-n=")) is { } cap)
        {
            var max = int.Parse(cap["--max-n=".Length..], CultureInfo.InvariantCulture);
            ns = ns.Where(n => n <= max).Append(max).Distinct().ToArray();
        }
        var dbPath = Path.Combine(Path.GetTempPath(), $"fc-bench-circuits-{Guid.NewGuid():N}.db");
        var results = new List<KindResult>();
        var loads = new List<string>();
        try
        {
            await SeedAsync(dbPath);
            // Every kind by default: the shell is what splits a page's cost into layout and page, "paused" what a hidden tab keeps.
            var only = args.FirstOrDefault(a => a.StartsWith("--kinds="))?["--kinds=".Length..].Split(',');
            gcdump = args.Contains("--gcdump");
            foreach (var kind in Kinds.Where(k => only is null || only.Contains(k.Key)))
            {
                loads.Add(await SuiteOutput.WaitForQuietMachineAsync(maxWait: TimeSpan.FromSeconds(quick ? 0 : 15)));
                results.Add(await MeasureKindAsync(dbPath, kind, ns));
            }
        }
        finally
        {
            BenchApp.DeleteDatabase(dbPath);
        }
        if (results.All(r => r.Key != "empty") || results.All(r => r.Key != "dashboard"))
        {
            Console.WriteLine("  (partial run with --kinds: no report written)");
            return;
        }
        Chart(results);
        var json = new { suite = Name, quick, configuration = BenchApp.Configuration, gc = "workstation", ns, warmPages = WarmPages, loads, results };
        SuiteOutput.Write(Name, json, Markdown(results, quick, ns, loads));
    }

    /// <summary>Dora has 30 friends who each posted (a full 20-item feed, 10 friends on the first page) and 3 waiting requests.</summary>
    internal static async Task SeedAsync(string dbPath)
    {
        var people = new List<(string, string)> { ("dora", "Dora Dashboard") };
        for (var i = 0; i < 36; i++) people.Add(($"friend{i:D2}", $"Friend Number {i:D2}"));
        var users = await BenchBrowser.SeedAsync(dbPath, people, Enumerable.Range(1, 30).Select(i => (0, i)));
        await using var domain = await BenchDomain.OpenAsync(dbPath);
        var statuses = domain.Get<StatusService>();
        for (var i = 1; i < users.Count; i++)
        {
            var posted = await statuses.PostAsync(users[i].Id, $"Status number {i} from {users[i].DisplayName}: out walking the dog, back soon.");
            if (!posted.Succeeded) throw new InvalidOperationException(posted.Error!.Message);
        }
        var friendships = domain.Get<FriendshipService>();
        for (var i = 31; i < 34; i++) await friendships.SendRequestAsync(users[i].Id, users[0].Id);
    }

    internal static async Task<KindResult> MeasureKindAsync(string dbPath, Kind kind, int[] ns)
    {
        Console.WriteLine($"  {kind.Key}: fresh app process");
        await using var app = new BenchApp(dbPath);
        await app.StartAsync();
        // Many pages share a few renderer processes: the server's circuits are the same, the browser's CPU and RAM are not.
        await using var browser = await BenchBrowser.LaunchAsync(app.BaseUrl, "--renderer-process-limit=4");
        var (signedIn, _) = await browser.SignInAsync("dora");
        var state = await signedIn.StorageStateAsync();
        await signedIn.CloseAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };

        // Pages share a few contexts (same cookies): every page is still its own circuit on the server, and the browser
        // compiles blazor.web.js and MudBlazor.min.js once per context instead of once per page.
        var contexts = new List<IBrowserContext>();
        for (var i = 0; i < 4; i++)
        {
            var context = await browser.NewContextAsync(state);
            // Styles, fonts and images only cost the browser CPU; the circuit (what is measured) does not depend on them.
            await context.RouteAsync("**/*", route =>
                route.Request.ResourceType is "stylesheet" or "image" or "font" ? route.AbortAsync() : route.ContinueAsync());
            contexts.Add(context);
        }
        var pages = new List<IPage>();
        async Task OpenAsync(int count)
        {
            using var gate = new SemaphoreSlim(6);
            var first = pages.Count;
            var opened = await Task.WhenAll(Enumerable.Range(first, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var page = await contexts[i % contexts.Count].NewPageAsync();
                    await BenchBrowser.GoInteractiveAsync(page, kind.Path);
                    if (kind.Path == "/dashboard" && !page.Url.Contains("/dashboard"))
                        throw new InvalidOperationException($"Expected {kind.Path}, landed on {page.Url}");
                    return page;
                }
                finally
                {
                    gate.Release();
                }
            }));
            // Paused tabs: each page hands its circuit back (the server persists its state and disposes the circuit).
            if (kind.Key == "paused" && pages.Count >= WarmPages)
                foreach (var page in opened)
                    if (!await page.EvaluateAsync<bool>("() => Blazor.pauseCircuit()"))
                        throw new InvalidOperationException("Blazor.pauseCircuit() refused to pause.");
            pages.AddRange(opened);
        }

        // Warm pages stay open throughout: JIT, caches and first-use statics are paid before N = 0 and add only a constant.
        await OpenAsync(WarmPages);
        var points = new List<Point>();
        var openedSeconds = 0.0;
        var openedPages = 0;
        foreach (var n in ns)
        {
            var more = n - (pages.Count - WarmPages);
            if (more > 0)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await OpenAsync(more);
                openedSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                openedPages += more;
            }
            await Task.Delay(1000); // let the last renders and acks settle
            await http.GetFromJsonAsync<BenchHeap>("/bench/heap");
            var heap = (await http.GetFromJsonAsync<BenchHeap>("/bench/heap"))!;
            points.Add(new Point(n, heap.ManagedHeapBytes, heap.WorkingSetBytes));
            Console.WriteLine($"    N = {n,3}: heap {heap.ManagedHeapBytes / 1048576.0:F1} MB, working set {heap.WorkingSetBytes / 1048576.0:F0} MB");
        }
        if (gcdump && app.ProcessId is { } pid) await GcDumpAsync(pid, kind.Key);
        foreach (var context in contexts) await context.CloseAsync();

        var heapFit = LeastSquares(points.Select(p => ((double)p.N, (double)p.HeapBytes)).ToList());
        var wsFit = LeastSquares(points.Select(p => ((double)p.N, (double)p.WorkingSetBytes)).ToList());
        Console.WriteLine($"    slope: heap {heapFit.Slope / 1024:F0} KB/circuit (R² {heapFit.R2:F3}), working set {wsFit.Slope / 1024:F0} KB/circuit; {openedSeconds / Math.Max(1, openedPages):F2} s per page opened");
        return new KindResult(kind.Key, kind.Label, kind.Path, points, heapFit, wsFit, openedPages == 0 ? 0 : openedSeconds / openedPages);
    }

    /// <summary>--gcdump: which types the circuits keep, via dotnet-gcdump (a global tool) at the largest N.</summary>
    private static async Task GcDumpAsync(int pid, string key)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        // Dumps are tens of MB: they go to the temp folder, not bench/results.
        var dir = Path.Combine(Path.GetTempPath(), "fc-gcdump");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"circuits-{key}.gcdump");
        foreach (var arguments in new[] { new[] { "collect", "-p", pid.ToString(), "-o", file }, new[] { "report", file } })
        {
            var psi = new System.Diagnostics.ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-gcdump", arguments) { RedirectStandardOutput = true };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (arguments[0] == "report")
                await File.WriteAllTextAsync(Path.Combine(dir, $"circuits-{key}-gcdump.txt"), output);
        }
        Console.WriteLine($"    gcdump report: {Path.Combine(dir, $"circuits-{key}-gcdump.txt")}");
    }

    public static Fit LeastSquares(IReadOnlyList<(double X, double Y)> points)
    {
        var n = points.Count;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        var sxy = points.Sum(p => (p.X - mx) * (p.Y - my));
        var slope = sxx == 0 ? 0 : sxy / sxx;
        var intercept = my - slope * mx;
        var ssTot = points.Sum(p => (p.Y - my) * (p.Y - my));
        var ssRes = points.Sum(p => Math.Pow(p.Y - (intercept + slope * p.X), 2));
        return new Fit(slope, intercept, ssTot == 0 ? 1 : 1 - ssRes / ssTot);
    }

    private static void Chart(List<KindResult> results)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var color = palette.GetColor(i);
            var xs = r.Points.Select(p => (double)p.N).ToArray();
            var ys = r.Points.Select(p => p.HeapBytes / 1048576.0).ToArray();
            var dots = plot.Add.ScatterPoints(xs, ys);
            dots.Color = color;
            dots.MarkerSize = 8;
            var maxN = xs.Max();
            var line = plot.Add.Line(0, r.Heap.Intercept / 1048576.0, maxN, (r.Heap.Intercept + r.Heap.Slope * maxN) / 1048576.0);
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = $"{r.Key}: {r.Heap.Slope / 1024:F0} KB/circuit";
        }
        plot.Title("Server managed heap vs open signed-in pages (after full GC)");
        plot.XLabel("open interactive pages (circuits)");
        plot.YLabel("managed heap, MB");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(SuiteOutput.PngPath("circuits-heap.png"), 900, 520);
    }

    private static string Markdown(List<KindResult> results, bool quick, int[] ns, List<string> loads)
    {
        var inv = CultureInfo.InvariantCulture;
        string Kb(double bytes) => string.Create(inv, $"{bytes / 1024:F0} KB");
        string Mb(double bytes) => string.Create(inv, $"{bytes / 1048576:F2} MB");
        var empty = results.First(r => r.Key == "empty");
        var dash = results.First(r => r.Key == "dashboard");
        var sb = new StringBuilder();
        sb.AppendLine("## Memory per signed-in circuit (circuits)");
        sb.AppendLine();
        if (quick) sb.AppendLine("> **Quick smoke run** (`--quick`, N ≤ 40): fits over fewer than 100 pages are not meaningful. Run without `--quick`.\n");
        sb.AppendLine(string.Create(inv, $"**Headline:** a signed-in dashboard circuit keeps **{Kb(dash.Heap.Slope)}** of managed heap, {dash.Heap.Slope / empty.Heap.Slope:F1}× an empty interactive page in the same app ({Kb(empty.Heap.Slope)}); target ≤ 600 KB: **{(dash.Heap.Slope <= TargetBytesPerDashboardCircuit ? "met" : "not met")}**."));
        sb.AppendLine();
        sb.AppendLine("| page | heap per circuit (slope) | × empty | R² | working set per circuit | heap at N = " + string.Join(" / ", ns) + " |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in results)
            sb.AppendLine(string.Create(inv, $"| {r.Label} | {Kb(r.Heap.Slope)} | {r.Heap.Slope / empty.Heap.Slope:F1}× | {r.Heap.R2:F3} | {Mb(r.WorkingSet.Slope)} | {string.Join(" / ", r.Points.Select(p => $"{p.HeapBytes / 1048576.0:F1}"))} MB |"));
        sb.AppendLine();
        sb.AppendLine("![Heap vs open circuits](../bench/results/circuits-heap.png)");
        sb.AppendLine();
        var totalRam = TotalMemoryBytes();
        var baseWs = dash.WorkingSet.Intercept;
        var usable = totalRam * 0.8 - baseWs;
        var byWs = dash.WorkingSet.Slope > 0 ? usable / dash.WorkingSet.Slope : double.NaN;
        var byHeap = usable / dash.Heap.Slope;
        sb.AppendLine(string.Create(inv, $"**Density (extrapolated, not measured):** with 80 % of this machine's {totalRam / 1073741824.0:F0} GB for the server process, and the working-set slope ({Mb(dash.WorkingSet.Slope)} per dashboard circuit) as the real cost, one node would hold about **{byWs:N0} signed-in dashboard circuits** (about {byHeap:N0} if only the managed heap counted). That is a straight-line extrapolation from N ≤ {ns.Max()}; browsers are not part of it, and CPU for live re-renders (2 cores) will bind earlier than memory when those users are active."));
        sb.AppendLine();
        var shell = results.FirstOrDefault(r => r.Key == "shell");
        var directory = results.FirstOrDefault(r => r.Key == "directory");
        var paused = results.FirstOrDefault(r => r.Key == "paused");
        if (directory is not null)
            sb.AppendLine(string.Create(inv, $"Directory: **{Kb(directory.Heap.Slope)}** per circuit; target ≤ 400 KB: **{(directory.Heap.Slope <= TargetBytesPerDirectoryCircuit ? "met" : "not met")}**. A visitor's directory and profiles open no circuit at all (static server rendering), so this is what a signed-in reader of the directory costs."));
        sb.AppendLine();
        if (shell is null)
            sb.AppendLine("(Run without `--kinds` to add the app's layout around an empty body, `/bench/shell`, and split each page's cost into layout + page.)");
        else
        {
            sb.AppendLine("**Where the memory goes** (per circuit, each row the difference of two measured kinds):");
            sb.AppendLine();
            sb.AppendLine("| part | heap per circuit |");
            sb.AppendLine("|---|---|");
            sb.AppendLine(string.Create(inv, $"| Blazor circuit itself (empty interactive page, no layout) | {Kb(empty.Heap.Slope)} |"));
            sb.AppendLine(string.Create(inv, $"| app layout: the three MudBlazor providers, plain-markup app bar and drawer, nav menu, bell, quick status button, account menu button, live session | {Kb(shell.Heap.Slope - empty.Heap.Slope)} |"));
            sb.AppendLine(string.Create(inv, $"| dashboard's own components: status composer (`MudTextField`), feed of 20 plain rows, requests, suggestions and 10 friends as plain rows with one `RelationActions` per list, plain pagination | {Kb(dash.Heap.Slope - shell.Heap.Slope)} |"));
            if (directory is not null)
                sb.AppendLine(string.Create(inv, $"| directory's own components: 20 plain table rows and one `RelationActions` for their buttons | {Kb(directory.Heap.Slope - shell.Heap.Slope)} |"));
            sb.AppendLine();
            sb.AppendLine("A component costs about 4 KB of heap (two render-tree buffers, an attribute-name dictionary per buffer when it " +
                          "splats attributes, and its parameters; `--gcdump` shows the types), and a `MudButton` is three (button, element, icon). " +
                          "So rows are plain markup with MudBlazor's CSS classes, and each list has one `RelationActions` that renders every row's " +
                          "friend actions as plain buttons and runs them. The layout keeps MudBlazor's providers (dialogs, snackbars, popovers) and " +
                          "renders the rest as plain markup: the drawer opens and closes in the browser, the account menu's `MudMenu` is created " +
                          "on its first opening, and `MudThemeProvider`'s 12,000-character style sheet is rendered once for the app " +
                          "(`AppTheme.StylesAsync`) instead of once per circuit. What remains per page is mostly its own render tree " +
                          "(the frames of 20 rows) and the text of the rows.");
        }
        sb.AppendLine();
        if (paused is not null)
            sb.AppendLine(string.Create(inv, $"**Paused vs live tabs:** a dashboard tab that paused its circuit (`Blazor.pauseCircuit()`, what a tab hidden for `Circuits:PauseHiddenAfter` does) keeps **{Kb(paused.Heap.Slope)}** of heap on the server (R² {paused.Heap.R2:F2}: small next to the run's noise) (its persisted state, held for `Circuits:PausedStateRetention`), against {Kb(dash.Heap.Slope)} while live: {dash.Heap.Slope / Math.Max(1, paused.Heap.Slope):F0}× less. Measured over N = {string.Join(", ", ns)} tabs (the browser's memory, not the server, limits how many pages one bench machine can open)."));
        sb.AppendLine();
        sb.AppendLine("**How it was measured.** The published app (`dotnet publish -c " + BenchApp.Configuration + "`, Production, workstation GC, Bench:Enabled) runs as its own process, " +
                      "restarted for each page kind. Dora (30 friends who each posted, 3 waiting requests) signs in once through the login form; her cookies " +
                      "(StorageState) open every page, spread over 4 Chromium contexts (every page is its own circuit), each proven interactive (`#fc-interactive`, rendered only once the circuit is live). " +
                      string.Create(inv, $"{WarmPages} warm pages stay open throughout (a constant, so they do not change the slope). At each N the bench calls `GET /bench/heap` twice ") +
                      "(`GC.Collect` forced, blocking, compacting; then `GC.GetTotalMemory(true)` and the working set) and keeps the second. Slope = least squares over N = " +
                      string.Join(", ", ns) + $". Load average before each kind: {string.Join("; ", loads)}.");
        sb.AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- circuits` (add `--quick` for a smoke run, `--max-n=100` to open at most 100 pages per kind).");
        return sb.ToString();
    }

    private static double TotalMemoryBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:"));
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch
        {
            return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        }
    }
}
