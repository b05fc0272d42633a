using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FriendConnect.Bench.Browser;
using FriendConnect.Bench.Data;
using FriendConnect.Bench.Shared;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// Requests per second with wrk against the published app as a separate process on a copy of the 10k-user database:
/// a REST read (anonymous, from the output cache), a visitor's directory page and profile page (static server rendering),
/// and a constant endpoint through the same pipeline (the baseline).
/// </summary>
public sealed partial class ApiSuite : ISuite
{
    public string Name => "api";
    private const double TargetRatio = 0.5;

    public sealed record Endpoint(string Name, string Path, string What);

    public sealed record WrkResult(string Name, string Path, string What, double Rps, double LatencyAvgMs, double P50Ms, double P90Ms,
        double P99Ms, long Requests, long Non2xx, long SocketErrors, double TransferPerSec);

    public async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var duration = quick ? 3 : 10;
        await EnsureWrkAsync();
        var data = await DataGenerator.EnsureAsync(10_000);
        var db = DataGenerator.CopyOf(data, "api-10k");
        var load = MachineLoad.Describe();

        var endpoints = new List<Endpoint>
        {
            new("constant (baseline)", "/bench/constant", "Bench:Enabled minimal endpoint: text \"ok\" through the same middleware pipeline"),
            new("REST read", "/api/v1/users?limit=20", "directory's first 20 users as JSON (UserDirectory.SearchAfterAsync), anonymous: answered from the output cache after the first request (AnonymousReadCache; evicted when a shown person's status, profile, privacy or friendships change)"),
            new("directory page", "/", "a visitor's directory page: static server rendering of Home.razor inside the MudBlazor shell (no circuit), anonymous"),
            new("profile page", $"/u/{data.TypicalUserName}", "a visitor's profile page: static server rendering of Profile.razor (profile, 10 recent updates, 24 friends), anonymous"),
        };
        var results = new List<WrkResult>();
        await using (var app = new BenchApp(db))
        {
            await app.StartAsync(new Dictionary<string, string>
            {
                ["Api__RequestsPerMinute"] = "100000000",
                ["Logging__LogLevel__Default"] = "Error",
            });
            using (var http = new HttpClient())
                foreach (var e in endpoints)
                {
                    var response = await http.GetAsync(app.BaseUrl + e.Path);
                    if (!response.IsSuccessStatusCode)
                        throw new InvalidOperationException($"GET {e.Path} answered {(int)response.StatusCode}");
                }
            foreach (var e in endpoints)
            {
                Console.WriteLine($"api: {e.Path} warm-up");
                await RunWrkAsync(app.BaseUrl + e.Path, quick ? 2 : 5);
                var output = await RunWrkAsync(app.BaseUrl + e.Path, duration);
                var r = Parse(e, output);
                Console.WriteLine($"  {e.Name,-22} {r.Rps,10:N0} req/s  p50 {r.P50Ms:F2} ms  p99 {r.P99Ms:F2} ms  non-2xx {r.Non2xx}");
                results.Add(r);
            }
        }
        var loadAfter = MachineLoad.Describe();
        Directory.CreateDirectory(PerformanceReport.ResultsDir);
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "api.json"),
            JsonSerializer.Serialize(new { quick, durationSeconds = duration, threads = 2, connections = 32, machineLoadBefore = load, machineLoadAfter = loadAfter, results },
                new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "api.md"), Report(results, duration, quick, load, loadAfter));
    }

    private static async Task EnsureWrkAsync()
    {
        if (File.Exists("/usr/bin/wrk") || File.Exists("/usr/local/bin/wrk")) return;
        Console.WriteLine("api: installing wrk (apt-get install -y wrk)");
        using var p = Process.Start(new ProcessStartInfo("apt-get", ["install", "-y", "wrk"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException("wrk is missing and apt-get install -y wrk failed; install it and rerun.");
    }

    private static async Task<string> RunWrkAsync(string url, int seconds)
    {
        var psi = new ProcessStartInfo("wrk", ["-t2", "-c32", $"-d{seconds}s", "--latency", "--timeout", "5s", url])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {stdout}{await p.StandardError.ReadToEndAsync()}");
        return stdout;
    }

    private static WrkResult Parse(Endpoint e, string output)
    {
        double Num(string pattern) => Regex.Match(output, pattern, RegexOptions.Multiline) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        double Latency(string pattern) => Regex.Match(output, pattern, RegexOptions.Multiline) is { Success: true } m
            ? ToMs(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value) : double.NaN;
        var requests = (long)Num(@"^\s*(\d+) requests in");
        var non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } n ? long.Parse(n.Groups[1].Value) : 0;
        var sock = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)") is { Success: true } s
            ? Enumerable.Range(1, 4).Sum(i => long.Parse(s.Groups[i].Value)) : 0;
        var transfer = Regex.Match(output, @"Transfer/sec:\s+([\d.]+)(\w+)") is { Success: true } t
            ? double.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) * t.Groups[2].Value switch { "KB" => 1e3, "MB" => 1e6, "GB" => 1e9, _ => 1 } : double.NaN;
        return new WrkResult(e.Name, e.Path, e.What, Num(@"^Requests/sec:\s+([\d.]+)"), Latency(@"^\s+Latency\s+([\d.]+)(us|ms|s)\b"),
            Latency(@"^\s+50%\s+([\d.]+)(us|ms|s)"), Latency(@"^\s+90%\s+([\d.]+)(us|ms|s)"), Latency(@"^\s+99%\s+([\d.]+)(us|ms|s)"),
            requests, non2xx, sock, transfer);
    }

    private static double? InProcessKeysetMs()
    {
        try
        {
            var path = Path.Combine(PerformanceReport.ResultsDir, "queries.json");
            if (!File.Exists(path)) return null;
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var size in doc.RootElement.GetProperty("sizes").EnumerateArray())
                if (size.GetProperty("Users").GetInt32() == 10_000)
                    foreach (var sc in size.GetProperty("Scenarios").EnumerateArray())
                        if (sc.GetProperty("Name").GetString() == "directory: keyset (API, anonymous)")
                            return sc.GetProperty("P50").GetDouble();
        }
        catch (Exception) { }
        return null;
    }

    private static double ToMs(double value, string unit) => unit switch { "us" => value / 1000, "s" => value * 1000, _ => value };

    private static string Report(List<WrkResult> results, int duration, bool quick, string load, string loadAfter)
    {
        var baseline = results.First(r => r.Path == "/bench/constant");
        var sb = new StringBuilder();
        sb.AppendLine("## HTTP throughput (`api`)");
        sb.AppendLine();
        sb.AppendLine($"`wrk -t2 -c32 -d{duration}s --latency` against FriendConnect.Web published in Release and run as its own process " +
            "(Production environment, workstation GC, `Bench:Enabled`, the API rate limit lifted with `Api__RequestsPerMinute=100000000`) " +
            "on a copy of the generated 10k-user database; each endpoint gets a warm-up run first. wrk and the server share the same " +
            $"{Environment.ProcessorCount} cores, so absolute figures are a floor; the ratio to the constant endpoint measured in the same run is the headline. " +
            $"Target: REST read ≥ {TargetRatio:0.0}× the constant endpoint's requests per second.");
        sb.AppendLine();
        sb.AppendLine($"Machine load (1/5/15-min load average) before: {load}; after: {loadAfter}.{(quick ? " **Quick run: not a measurement of record.**" : "")}");
        sb.AppendLine();
        sb.AppendLine("| endpoint | path | requests/s | × constant | latency avg | p50 | p90 | p99 | requests | errors (non-2xx + socket) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            sb.AppendLine($"| {r.Name} | `GET {r.Path}` | {r.Rps:N0} | {r.Rps / baseline.Rps:F2}× | {Stats.Ms(r.LatencyAvgMs)} | {Stats.Ms(r.P50Ms)} | {Stats.Ms(r.P90Ms)} | {Stats.Ms(r.P99Ms)} | {r.Requests:N0} | {r.Non2xx + r.SocketErrors} |");
        sb.AppendLine();
        var read = results.First(r => r.Path.StartsWith("/api/v1/users"));
        var ratio = read.Rps / baseline.Rps;
        sb.AppendLine(ratio >= TargetRatio
            ? $"Target met: the REST read serves {ratio:F2}× the constant endpoint's rate (target ≥ {TargetRatio:0.0}×)."
            : $"**Target missed**: the REST read serves {ratio:F2}× the constant endpoint's rate (target ≥ {TargetRatio:0.0}×).");
        sb.AppendLine();
        sb.AppendLine("The REST read is an anonymous read answered from the output cache (tagged with the 20 people it shows; a status post, " +
            "a profile, privacy or friendship change of any of them evicts it at once, so a privacy change still takes effect on the very " +
            "next read). Without the cache the same read ran at 0.056–0.075× (one EF Core query, the privacy projection and JSON for 20 users): " +
            "wrk repeats one URL, so this is the hit path; a cache miss costs what it did before.");
        var page = results.First(r => r.Path == "/");
        var profile = results.First(r => r.Path.StartsWith("/u/"));
        sb.AppendLine();
        sb.AppendLine($"A visitor's pages are static server rendering (no circuit, no WebSocket): the directory page runs at {page.Rps / baseline.Rps:F2}× " +
            $"the constant endpoint (0.012× when it was prerendered for a circuit) and a profile at {profile.Rps / baseline.Rps:F2}×. They are not " +
            "output-cached: each response carries its own Content-Security-Policy nonce, and the directory query with its total runs on every render.");
        sb.AppendLine();
        foreach (var r in results) sb.AppendLine($"- {r.Name}: {r.What}.");
        sb.AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- api` (`--quick`: 3-second runs). Installs wrk with apt-get if it is missing.");
        return sb.ToString();
    }
}
