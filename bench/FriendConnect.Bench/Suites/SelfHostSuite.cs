using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FriendConnect.Bench.Browser;
using FriendConnect.Bench.Data;
using FriendConnect.Bench.Shared;
using FriendConnect.Tests.Hosting;
using Microsoft.Playwright;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// The one-VM installation as a self-hoster runs it: the published app as its own process (default settings, so the
/// runtime's default GC), nginx in front with TLS. Measures idle memory, memory per open dashboard through nginx
/// (app and nginx), restart time, and an online backup of the 100k-user database against a plain file copy of it.
/// </summary>
public sealed class SelfHostSuite : ISuite
{
    public string Name => "selfhost";

    private const string Password = "Bench!pass123";

    public sealed record MemoryPoint(int Dashboards, double AppRssMb, double NginxRssMb);

    public async Task RunAsync(string[] args)
    {
        var quick = SuiteOutput.Quick(args);
        int[] steps = quick ? [0, 10, 20] : [0, 20, 40, 60];
        var loadBefore = MachineLoad.Describe();
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fc-bench-selfhost-{Guid.NewGuid():N}")).FullName;
        var settings = new Dictionary<string, string>
        {
            ["Api__RequestsPerMinute"] = "100000000",
            ["SignIn__FailuresPerAddress"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["App__PublicUrl"] = $"https://{Nginx.HostName}",
        };
        var published = await PublishedApp.DirectoryAsync();
        var port = PublishedApp.FreePort();

        // Restart: stop (SIGTERM) and start until healthy, on a database that exists.
        var restarts = new List<double>();
        var app = await AppProcess.StartAsync(data, settings, port);
        for (var i = 0; i < (quick ? 2 : 5); i++)
        {
            await app.DisposeAsync();
            var started = Stopwatch.GetTimestamp();
            app = await AppProcess.StartAsync(data, settings, port);
            restarts.Add(Stats.ElapsedMs(started));
        }

        await using var nginx = await Nginx.StartAsync(port);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idleMb = RssMb(app.ProcessId);

        using var api = nginx.CreateClient();
        // Lighthouse (mobile form factor, its default simulated slow 4G and 4× CPU) on the signed-out pages a visitor meets,
        // while the app is otherwise idle.
        var profileName = $"lena{Guid.NewGuid().ToString("N")[..6]}";
        (await api.PostAsJsonAsync("/api/v1/auth/register", new { userName = profileName, displayName = "Lena Lighthouse", password = Password })).EnsureSuccessStatusCode();
        var lighthouse = new List<(string Path, Dictionary<string, int> Scores, double FcpMs, double LcpMs, double TbtMs)>();
        foreach (var path in new[] { "/", $"/u/{profileName}" })
            if (await LighthouseAsync(app.BaseUrl + path) is { } report)
                lighthouse.Add((path, report.Scores, report.FcpMs, report.LcpMs, report.TbtMs));
        // Dashboards through nginx: each its own signed-in browser context, proven interactive.
        var points = new List<MemoryPoint>();
        var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--renderer-process-limit=4", Nginx.HostResolverRule],
        });
        var contexts = new List<IBrowserContext>();
        foreach (var target in steps)
        {
            while (contexts.Count < target)
            {
                var name = $"host{contexts.Count}x{Guid.NewGuid().ToString("N")[..6]}";
                (await api.PostAsJsonAsync("/api/v1/auth/register", new { userName = name, password = Password })).EnsureSuccessStatusCode();
                var context = await browser.NewContextAsync(new() { BaseURL = nginx.HttpsUrl, IgnoreHTTPSErrors = true });
                var page = await context.NewPageAsync();
                await page.GotoAsync("/Account/Login");
                await page.GetByLabel("Username or e-mail").FillAsync(name);
                await page.GetByLabel("Password").FillAsync(Password);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
                await page.WaitForURLAsync("**/dashboard", new() { Timeout = 60000 });
                await page.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60000 });
                contexts.Add(context);
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
            points.Add(new MemoryPoint(target, RssMb(app.ProcessId), NginxRssMb(nginx.ProcessId)));
            Console.WriteLine($"  {target} dashboards: app {points[^1].AppRssMb:F0} MB, nginx {points[^1].NginxRssMb:F1} MB");
        }
        foreach (var context in contexts) await context.CloseAsync();

        await app.DisposeAsync();
        // The first dashboards also pay for code loaded and compiled once; the slope past them is what each more one costs.
        var appSlope = Slope(points.Skip(1).Select(p => ((double)p.Dashboards, p.AppRssMb)).ToList());
        var nginxSlope = Slope(points.Skip(1).Select(p => ((double)p.Dashboards, p.NginxRssMb)).ToList());

        // Backup of the 100k-user database: the online, consistent backup command against a plain copy of the same file.
        var users = quick ? 10_000 : 100_000;
        var dataset = await DataGenerator.EnsureAsync(users);
        var backupData = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fc-bench-backup-{Guid.NewGuid():N}")).FullName;
        File.Copy(dataset.Path, Path.Combine(backupData, "friendconnect.db"));
        var size = new FileInfo(dataset.Path).Length;
        var copyStarted = Stopwatch.GetTimestamp();
        File.Copy(dataset.Path, Path.Combine(backupData, "plain-copy.db"));
        var copyMs = Stats.ElapsedMs(copyStarted);
        var zip = Path.Combine(backupData, "backup.zip");
        var backupStarted = Stopwatch.GetTimestamp();
        var backup = await PublishedApp.RunAsync("dotnet", [Path.Combine(published, "FriendConnect.Web.dll"), "backup", zip],
            Path.GetTempPath(), TimeSpan.FromMinutes(10), AppProcess.Environment(backupData, PublishedApp.FreePort()));
        var backupMs = Stats.ElapsedMs(backupStarted);
        if (backup.ExitCode != 0) throw new InvalidOperationException(backup.Output);
        var zipSize = new FileInfo(zip).Length;
        var loadAfter = MachineLoad.Describe();

        var md = new StringBuilder();
        md.AppendLine("## One VM, self-hosted (`selfhost`)");
        md.AppendLine();
        md.AppendLine("The published app started as a self-hoster's unit starts it (Production, default runtime settings, data in its own directory), " +
                      "behind nginx with the repository's site file and TLS, all on this machine. Dashboards are signed-in Chromium contexts " +
                      "through nginx, each proven interactive; RSS is read from /proc.");
        md.AppendLine();
        md.AppendLine($"Machine load (1/5/15-min load average) before: {loadBefore}; after: {loadAfter}.");
        md.AppendLine();
        md.AppendLine("| measure | baseline (same run) | result |");
        md.AppendLine("|---|---|---|");
        md.AppendLine($"| idle RSS of the app (started, healthy, 5 s idle) | — | {idleMb:F0} MB |");
        md.AppendLine($"| RSS per open dashboard through nginx: app | 0 dashboards: {points[0].AppRssMb:F0} MB | {appSlope * 1024:F0} KB per dashboard (fit over {string.Join(", ", steps.Skip(1))}; the first {steps[1]} also load and compile code: {points[1].AppRssMb - points[0].AppRssMb:F0} MB) |");
        md.AppendLine($"| RSS per open dashboard through nginx: nginx workers | 0 dashboards: {points[0].NginxRssMb:F1} MB | {nginxSlope * 1024:F0} KB per dashboard |");
        md.AppendLine($"| restart: SIGTERM, start, healthy (p50 of {restarts.Count}) | — | {Stats.Ms(Stats.Percentile(restarts, 50))} (max {Stats.Ms(restarts.Max())}) |");
        md.AppendLine($"| backup of the {users:N0}-user database ({size / 1048576.0:F0} MB) | plain file copy: {Stats.Ms(copyMs)} | {Stats.Ms(backupMs)} as a {zipSize / 1048576.0:F0} MB zip, process start included |");
        md.AppendLine();
        if (lighthouse.Count > 0)
        {
            md.AppendLine("Lighthouse 12.2.3, mobile (simulated slow 4G, 4× CPU slowdown), on the published app, signed out; target ≥ 90:");
            md.AppendLine();
            md.AppendLine("| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var l in lighthouse)
                md.AppendLine($"| `{(l.Path == "/" ? "/" : "/u/{name}")}` | {l.Scores["performance"]} | {l.Scores["accessibility"]} | {l.Scores["best-practices"]} | {l.Scores["seo"]} | {Stats.Ms(l.FcpMs)} | {Stats.Ms(l.LcpMs)} | {Stats.Ms(l.TbtMs)} |");
            md.AppendLine();
        }
        md.AppendLine("| dashboards | app RSS | nginx RSS |");
        md.AppendLine("|---|---|---|");
        foreach (var p in points) md.AppendLine($"| {p.Dashboards} | {p.AppRssMb:F0} MB | {p.NginxRssMb:F1} MB |");
        md.AppendLine();
        md.AppendLine("A plain copy of a live database can miss what is still in its write-ahead log; the backup command reads one consistent " +
                      "snapshot while writers go on (tested in CI) and includes the Data Protection keys, which is what its extra time buys.");
        SuiteOutput.Write(Name, new { loadBefore, loadAfter, idleMb, points, lighthouse = lighthouse.Select(l => new { l.Path, l.Scores, l.FcpMs, l.LcpMs, l.TbtMs }), appKbPerDashboard = appSlope * 1024, nginxKbPerDashboard = nginxSlope * 1024, restartsMs = restarts, users, sizeBytes = size, copyMs, backupMs, zipSize }, md.ToString());
        Directory.Delete(backupData, recursive: true);
    }

    /// <summary>Runs Lighthouse through npx (pinned; Node 20 needs the 12.x line) with Debian's Chromium; null where npx is missing.</summary>
    private static async Task<(Dictionary<string, int> Scores, double FcpMs, double LcpMs, double TbtMs)?> LighthouseAsync(string url)
    {
        var report = Path.Combine(Path.GetTempPath(), $"fc-lighthouse-{Guid.NewGuid():N}.json");
        try
        {
            var run = await PublishedApp.RunAsync("npx", ["--yes", "lighthouse@12.2.3", url, "--quiet", "--output=json", $"--output-path={report}",
                    "--only-categories=performance,accessibility,best-practices,seo", "--chrome-flags=--headless --no-sandbox --disable-gpu"],
                Path.GetTempPath(), TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["CHROME_PATH"] = "/usr/bin/chromium" });
            if (!File.Exists(report))
            {
                Console.WriteLine($"  lighthouse did not run ({run.ExitCode}): {run.Output[..Math.Min(300, run.Output.Length)]}");
                return null;
            }
            var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
            var scores = json["categories"]!.AsObject().ToDictionary(c => c.Key, c => (int)Math.Round((double)c.Value!["score"]! * 100));
            double Audit(string id) => (double)json["audits"]![id]!["numericValue"]!;
            Console.WriteLine($"  lighthouse {url}: {string.Join(", ", scores.Select(s => $"{s.Key} {s.Value}"))}");
            return (scores, Audit("first-contentful-paint"), Audit("largest-contentful-paint"), Audit("total-blocking-time"));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static double RssMb(int pid) => ReadRssKb(pid) / 1024.0;

    // This suite's nginx only: its master and the workers it started (other nginx instances may run on the machine).
    private static double NginxRssMb(int master) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _))
            .Sum(pid =>
            {
                try
                {
                    var id = int.Parse(pid!);
                    var parent = File.ReadLines($"/proc/{id}/status").First(l => l.StartsWith("PPid:")).Split('\t', ' ').Last(p => p.Length > 0);
                    return id == master || parent == master.ToString(CultureInfo.InvariantCulture) ? ReadRssKb(id) : 0;
                }
                catch (Exception e) when (e is IOException or InvalidOperationException) { return 0; }
            }) / 1024.0;

    private static long ReadRssKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var den = points.Sum(p => (p.X - mx) * (p.X - mx));
        return den == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / den;
    }
}
