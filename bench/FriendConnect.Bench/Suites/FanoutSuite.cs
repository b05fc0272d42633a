using System.Threading.Channels;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FriendConnect.Bench.Data;
using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// One status update to 1,000 and 5,000 online friends through the real StatusService and the in-process live-event bus:
/// the save (status row + every friend's notification row, one transaction) and the fan-out after the commit.
/// </summary>
public sealed class FanoutSuite : ISuite
{
    private const int WarmUpPosts = 15;

    public string Name => "fanout";

    private static readonly Dictionary<int, double> TargetMs = new() { [1000] = 20, [5000] = 100 };

    public sealed record Row(string Name, string What, int Samples, double P50, double P95, double Max);
    public sealed record Group(int Friends, string Mode, List<Row> Rows);

    public async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var posts = quick ? 8 : 40;
        var data = await DataGenerator.EnsureAsync(10_000);
        var path = DataGenerator.CopyOf(data, "fanout-10k");
        var load = MachineLoad.Describe();
        var commits = new CommitClock();
        var groups = new List<Group>();
        await using (var domain = await BenchDomain.OpenAsync(path, commits))
        {
            var statuses = domain.Get<StatusService>();
            var notifications = domain.Get<NotificationService>();
            var live = domain.Get<ILiveEventSubscriber>();
            var bus = domain.Get<ILiveEventPublisher>();
            var dbFactory = domain.Get<IDbContextFactory<FriendConnectDbContext>>();

            var hubs = new List<(int Friends, string Id)> { (1000, data.Hub1000Id!) };
            if (!quick) hubs.Add((5000, data.Hub5000Id!));
            foreach (var (friendCount, hubId) in hubs)
            {
                List<string> friendIds;
                await using (var db = await dbFactory.CreateDbContextAsync())
                    friendIds = await db.Friendships.Where(f => f.UserId == hubId).Select(f => f.FriendId).ToListAsync();
                if (friendIds.Count != friendCount) throw new InvalidOperationException($"hub has {friendIds.Count} friends, expected {friendCount}");

                foreach (var reload in new[] { false, true })
                {
                    var mode = reload ? "each callback reloads the unread count" : "each callback records a timestamp";
                    Console.WriteLine($"fanout: {friendCount:N0} friends, {mode}");
                    var rows = new List<Row>();
                    long lastCallback = 0;
                    var calls = 0;
                    void Stamp()
                    {
                        var now = Stopwatch.GetTimestamp();
                        long seen;
                        do seen = Interlocked.Read(ref lastCallback); while (now > seen && Interlocked.CompareExchange(ref lastCallback, now, seen) != seen);
                        Interlocked.Increment(ref calls);
                    }
                    // A circuit's bell as the app has it (LiveSession): the publisher only drops the event into the circuit's
                    // inbox; the circuit's own loop then reloads the count from the database. Publishers never wait for it.
                    var inboxes = new List<Channel<LiveEvent>>();
                    var pumps = new List<Task>();
                    Func<LiveEvent, Task> Handler(string friendId)
                    {
                        if (!reload) return e => { Stamp(); return Task.CompletedTask; };
                        var inbox = Channel.CreateUnbounded<LiveEvent>(new UnboundedChannelOptions { SingleReader = true });
                        inboxes.Add(inbox);
                        pumps.Add(Task.Run(async () =>
                        {
                            await foreach (var _ in inbox.Reader.ReadAllAsync())
                            {
                                await notifications.GetUnreadCountAsync(friendId);
                                Stamp();
                            }
                        }));
                        return e => { inbox.Writer.TryWrite(e); return Task.CompletedTask; };
                    }
                    async Task AllStampedAsync(int expected)
                    {
                        while (Volatile.Read(ref calls) < expected) await Task.Delay(1);
                    }

                    // Baseline: the same number of callbacks of the same kind, invoked directly.
                    var handlers = friendIds.Select(Handler).ToList();
                    var ev = new LiveEvent(LiveChange.Notifications | LiveChange.Feed | LiveChange.Friends, "x");
                    var baseline = new List<double>();
                    var noop = friendIds.Select(_ => (Func<LiveEvent, Task>)(e => Task.CompletedTask)).ToList();
                    var noopTimes = new List<double>();
                    for (var i = 0; i < posts + 5; i++)
                    {
                        var t = Stopwatch.GetTimestamp();
                        await Task.WhenAll(noop.Select(h => h(ev)));
                        if (i >= 5) noopTimes.Add(Stats.ElapsedMs(t));
                        Interlocked.Exchange(ref calls, 0);
                        t = Stopwatch.GetTimestamp();
                        await Task.WhenAll(handlers.Select(h => h(ev)));
                        await AllStampedAsync(friendCount);
                        if (i >= 5) baseline.Add(Stats.ElapsedMs(t));
                    }
                    rows.Add(MakeRow("baseline: no-op callbacks, Task.WhenAll", $"{friendCount:N0} callbacks that do nothing, invoked directly", noopTimes));
                    rows.Add(MakeRow("baseline: the same callbacks, Task.WhenAll", $"{friendCount:N0} of this mode's callbacks, invoked directly (no bus, no database write)", baseline));

                    var subscriptions = friendIds.Select(id => live.Subscribe(id, Handler(id))).ToList();
                    try
                    {
                        var busTimes = new List<double>();
                        for (var i = 0; i < posts + 5; i++)
                        {
                            Interlocked.Exchange(ref calls, 0);
                            var t = Stopwatch.GetTimestamp();
                            await bus.PublishAsync(friendIds, ev);
                            await AllStampedAsync(friendCount);
                            if (i >= 5) busTimes.Add(Stats.ElapsedMs(t));
                        }
                        rows.Add(MakeRow("bus publish only", "InProcessLiveEvents.PublishAsync to the online friends, no database write", busTimes));

                        var save = new List<double>();
                        var fan = new List<double>();
                        var total = new List<double>();
                        for (var i = 0; i < posts + WarmUpPosts; i++)
                        {
                            Interlocked.Exchange(ref calls, 0);
                            Interlocked.Exchange(ref lastCallback, 0);
                            var t0 = Stopwatch.GetTimestamp();
                            var result = await statuses.PostAsync(hubId, $"fan-out {friendCount} {(reload ? "reload" : "stamp")} post {i}");
                            var t2 = Stopwatch.GetTimestamp();
                            if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Message)));
                            await AllStampedAsync(friendCount);
                            if (calls != friendCount) throw new InvalidOperationException($"{calls} callbacks ran, expected {friendCount}");
                            if (i < WarmUpPosts) continue;   // warm-up: the first case otherwise times tier-0 code
                            var commit = commits.LastCommit;
                            save.Add(Stopwatch.GetElapsedTime(t0, commit).TotalMilliseconds);
                            fan.Add(Stopwatch.GetElapsedTime(commit, Interlocked.Read(ref lastCallback)).TotalMilliseconds);
                            total.Add(Stopwatch.GetElapsedTime(t0, Math.Max(t2, lastCallback)).TotalMilliseconds);
                        }
                        rows.Add(MakeRow("post: save", "StatusService.PostAsync up to its commit: checks, the status row, the author's row, one notification row", save));
                        rows.Add(MakeRow("post: fan-out", "from the commit to the last friend's callback having run (the bell: its reload done)", fan));
                        rows.Add(MakeRow("post: save + fan-out", "PostAsync called → last callback done", total));
                    }
                    finally
                    {
                        subscriptions.ForEach(s => s.Dispose());
                        inboxes.ForEach(inbox => inbox.Writer.Complete());
                        await Task.WhenAll(pumps);
                    }
                    foreach (var r in rows) Console.WriteLine($"  {r.Name,-45} p50 {Stats.Ms(r.P50),10}  p95 {Stats.Ms(r.P95),10}");
                    groups.Add(new Group(friendCount, mode, rows));
                }
            }
        }
        var loadAfter = MachineLoad.Describe();
        Directory.CreateDirectory(PerformanceReport.ResultsDir);
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "fanout.json"),
            JsonSerializer.Serialize(new { quick, posts, machineLoadBefore = load, machineLoadAfter = loadAfter, targetsMs = TargetMs, groups },
                new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "fanout.md"), Report(groups, posts, quick, load, loadAfter));
        Plot(groups);
    }

    private static Row MakeRow(string name, string what, List<double> ms) =>
        new(name, what, ms.Count, Stats.Percentile(ms, 50), Stats.Percentile(ms, 95), ms.Max());

    private static string Report(List<Group> groups, int posts, bool quick, string load, string loadAfter)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Status fan-out (`fanout`)");
        sb.AppendLine();
        sb.AppendLine("A user whose friends are all online posts a status through the real `StatusService.PostAsync`, on a copy of the " +
            "10k-user database (the generator's hubs with exactly 1,000 and 5,000 friends). Every friend has one subscription on the " +
            "DI container's `ILiveEventSubscriber` (the in-process bus the circuits use). Two kinds of callback: the minimum a circuit " +
            "does (record a timestamp), and a notification bell that reloads the unread count from `NotificationService`, " +
            "through a per-friend inbox drained by its own loop as the app's `LiveSession` does. \"Save\" ends at the transaction's commit (a `DbTransactionInterceptor` " +
            "notes the moment); \"fan-out\" runs from the commit to the last callback. " +
            $"{posts} posts per case after {WarmUpPosts} warm-up posts (enough for the JIT's tiering to settle, so the first case is not slower for running first). Baselines: the same number of no-op callbacks, and of this mode's callbacks, invoked directly with `Task.WhenAll`.");
        sb.AppendLine();
        sb.AppendLine($"Machine load (1/5/15-min load average) before: {load}; after: {loadAfter}.{(quick ? " **Quick run: not a measurement of record.**" : "")}");
        sb.AppendLine();
        sb.AppendLine("| friends | callbacks | save p50 / p95 | fan-out p50 / p95 | save + fan-out p50 / p95 | no-op baseline p95 | fan-out ÷ same-callbacks baseline (p50) | target | |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var g in groups)
        {
            Row R(string n) => g.Rows.First(r => r.Name == n);
            var total = R("post: save + fan-out");
            var target = TargetMs[g.Friends];
            sb.AppendLine($"| {g.Friends:N0} | {(g.Mode.Contains("reload") ? "reload unread count" : "record timestamp")} | {Stats.Ms(R("post: save").P50)} / {Stats.Ms(R("post: save").P95)} | " +
                $"{Stats.Ms(R("post: fan-out").P50)} / {Stats.Ms(R("post: fan-out").P95)} | {Stats.Ms(total.P50)} / {Stats.Ms(total.P95)} | " +
                $"{Stats.Ms(R("baseline: no-op callbacks, Task.WhenAll").P95)} | {R("post: fan-out").P50 / Math.Max(1e-6, R("baseline: the same callbacks, Task.WhenAll").P50):F1}× | ≤ {target} ms | " +
                $"{(g.Mode.Contains("reload") ? "(not the target's measure)" : total.P95 <= target ? "met" : "**missed**")} |");
        }
        sb.AppendLine();
        sb.AppendLine("Reading the figures: the targets (issue 10: save + fan-out ≤ 20 ms at 1,000 online friends, ≤ 100 ms at " +
            "5,000, p95) apply to the minimal callback: what the save and the bus must deliver before any page does its own " +
            "work. The \"reload unread count\" rows show what a notification bell that re-queried the database would add when " +
            "every friend's circuit does so at once; the app's bell no longer does (it counts from the event), and either way the " +
            "publisher does not wait for it: each circuit has its own inbox (LiveSession), so the save is the same in both modes. " +
            "A post writes the status row, the author's row and one notification row whatever the friend count: who is notified " +
            "is decided when they read (decision 008), and friends lists are ordered from the friends' own rows (decision 011). " +
            "Figures of earlier designs on this machine: one notification row per friend, 47.3 / 51.0 ms at 1,000 friends " +
            "(load ≈ 2.5); one row per status but the status time copied onto each friendship row, 31.2 / 44.5 ms at 1,000 and " +
            "62.1 / 65.0 ms at 5,000 (load 0.3–2.1, 30 November).");
        sb.AppendLine("![fan-out](../bench/results/fanout.png)");
        sb.AppendLine();
        foreach (var g in groups)
        {
            sb.AppendLine($"### {g.Friends:N0} friends online, {g.Mode}");
            sb.AppendLine();
            sb.AppendLine("| step | what | samples | p50 | p95 | max |");
            sb.AppendLine("|---|---|---|---|---|---|");
            foreach (var r in g.Rows)
                sb.AppendLine($"| {r.Name} | {r.What} | {r.Samples} | {Stats.Ms(r.P50)} | {Stats.Ms(r.P95)} | {Stats.Ms(r.Max)} |");
            sb.AppendLine();
        }
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- fanout` (`--quick`: 1,000 friends, 8 posts).");
        return sb.ToString();
    }

    private static void Plot(List<Group> groups)
    {
        var plot = new ScottPlot.Plot();
        string[] steps = ["post: save", "post: fan-out"];
        var palette = new ScottPlot.Palettes.Category10();
        var ticks = new List<ScottPlot.Tick>();
        for (var k = 0; k < groups.Count; k++)
        {
            var g = groups[k];
            double bottom = 0;
            for (var s = 0; s < steps.Length; s++)
            {
                var value = g.Rows.First(r => r.Name == steps[s]).P50;
                var bar = plot.Add.Bar(new ScottPlot.Bar { Position = k, ValueBase = bottom, Value = bottom + value, FillColor = palette.GetColor(s) });
                bottom += value;
            }
            ticks.Add(new ScottPlot.Tick(k, $"{g.Friends:N0}, {(g.Mode.Contains("reload") ? "reload" : "stamp")}"));
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.YLabel("p50 (ms): save (blue) + fan-out (orange)");
        plot.Title("Status post to online friends");
        plot.SavePng(Path.Combine(PerformanceReport.ResultsDir, "fanout.png"), 900, 550);
    }
}
