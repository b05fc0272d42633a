using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Notifications;
using FriendConnect.Tests.Scaling;
using FriendConnect.Web.Scaling;
using Microsoft.Extensions.Logging.Abstractions;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// The live-event bus of one node against the bus of two nodes (Redis pub/sub on loopback), in the same run: push
/// latency to one recipient, and fan-out of one status post to 1,000 and 5,000 recipients held by the other node.
/// </summary>
public sealed class ScaleoutSuite : ISuite
{
    public string Name => "scaleout";

    public sealed record Row(string Case, string Bus, int Samples, double P50, double P95, double Max);

    // What a status post carries to each friend (the router's payload), as it travels between nodes.
    private static readonly LiveEvent Post = LiveEventWire.Deserialize("""
        {"origin":"bench","to":[],"event":{"changes":265,"message":"Ann Example: a status of ordinary length for the bench",
        "notification":{"id":123456,"kind":3,"actor":{"id":"3f2c9a4e-0000-4000-8000-000000000001","userName":"ann","displayName":"Ann Example",
        "statusText":"a status of ordinary length for the bench","statusAt":"2026-11-30T18:00:00Z"},"text":"a status of ordinary length for the bench",
        "createdAt":"2026-11-30T18:00:00Z","isRead":false},"post":{"statusId":98765,"author":{"id":"3f2c9a4e-0000-4000-8000-000000000001",
        "userName":"ann","displayName":"Ann Example","statusText":"a status of ordinary length for the bench","statusAt":"2026-11-30T18:00:00Z"},
        "text":"a status of ordinary length for the bench","createdAt":"2026-11-30T18:00:00Z"}}}
        """u8).Event;

    public async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var sends = quick ? 100 : 600;
        var posts = quick ? 10 : 40;
        var loadBefore = MachineLoad.Describe();
        var rows = new List<Row>();

        await using var redis = await RedisServer.StartAsync();
        var one = new InProcessLiveEvents();
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var options1 = new RealtimeOptions { Redis = redis.ConnectionString, Node = "node1", SigningKey = signingKey };
        var options2 = new RealtimeOptions { Redis = redis.ConnectionString, Node = "node2", SigningKey = signingKey };
        using var connection1 = new RedisConnection(options1, NullLogger<RedisConnection>.Instance);
        using var connection2 = new RedisConnection(options2, NullLogger<RedisConnection>.Instance);
        var node1 = new RedisLiveEvents(connection1, options1, TimeProvider.System, NullLogger<RedisLiveEvents>.Instance);
        var node2 = new RedisLiveEvents(connection2, options2, TimeProvider.System, NullLogger<RedisLiveEvents>.Instance);
        await node1.StartAsync(default);
        await node2.StartAsync(default);

        (string Name, ILiveEventPublisher Publisher, ILiveEventSubscriber Subscriber)[] buses =
        [
            ("one node (in-process)", one, one),
            ("two nodes, recipient on the same node", node1, node1),
            ("two nodes, recipient on the other node (Redis)", node1, node2),
        ];

        foreach (var (name, publisher, subscriber) in buses)
        {
            Console.WriteLine($"scaleout: push latency, {name}");
            rows.Add(await PushLatencyAsync(name, publisher, subscriber, sends));
        }
        foreach (var recipients in quick ? [1000] : new[] { 1000, 5000 })
            foreach (var (name, publisher, subscriber) in buses)
            {
                Console.WriteLine($"scaleout: fan-out to {recipients:N0}, {name}");
                rows.Add(await FanoutAsync(name, publisher, subscriber, recipients, posts));
            }

        await node1.StopAsync(default);
        await node2.StopAsync(default);
        var loadAfter = MachineLoad.Describe();
        foreach (var r in rows) Console.WriteLine($"  {r.Case,-22} {r.Bus,-50} p50 {Stats.Ms(r.P50),10}  p95 {Stats.Ms(r.P95),10}");
        Directory.CreateDirectory(PerformanceReport.ResultsDir);
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "scaleout.json"),
            JsonSerializer.Serialize(new { quick, sends, posts, machineLoadBefore = loadBefore, machineLoadAfter = loadAfter, rows },
                new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "scaleout.md"), Report(rows, sends, posts, quick, loadBefore, loadAfter));
    }

    /// <summary>One recipient; each send waits for its callback before the next.</summary>
    private static async Task<Row> PushLatencyAsync(string bus, ILiveEventPublisher publisher, ILiveEventSubscriber subscriber, int sends)
    {
        var userId = Guid.NewGuid().ToString();
        TaskCompletionSource<long>? arrived = null;
        using var subscription = subscriber.Subscribe(userId, _ =>
        {
            arrived?.TrySetResult(Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        });
        var samples = new List<double>();
        for (var i = 0; i < sends + 30; i++)
        {
            arrived = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sent = Stopwatch.GetTimestamp();
            await publisher.PublishAsync([userId], Post);
            var at = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (i >= 30) samples.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
        }
        return MakeRow("push, 1 recipient", bus, samples);
    }

    /// <summary>One event to every recipient; from publish to the last recipient's callback.</summary>
    private static async Task<Row> FanoutAsync(string bus, ILiveEventPublisher publisher, ILiveEventSubscriber subscriber, int recipients, int posts)
    {
        var ids = Enumerable.Range(0, recipients).Select(_ => Guid.NewGuid().ToString()).ToList();
        var remaining = 0;
        TaskCompletionSource<long>? done = null;
        var subscriptions = ids.Select(id => subscriber.Subscribe(id, _ =>
        {
            if (Interlocked.Decrement(ref remaining) == 0) done?.TrySetResult(Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        })).ToList();
        try
        {
            var samples = new List<double>();
            for (var i = 0; i < posts + 5; i++)
            {
                done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref remaining, recipients);
                var sent = Stopwatch.GetTimestamp();
                await publisher.PublishAsync(ids, Post);
                var at = await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
                if (i >= 5) samples.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
            }
            return MakeRow($"fan-out, {recipients:N0} recipients", bus, samples);
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    private static Row MakeRow(string @case, string bus, List<double> ms) =>
        new(@case, bus, ms.Count, Stats.Percentile(ms, 50), Stats.Percentile(ms, 95), ms.Max());

    private static string Report(List<Row> rows, int sends, int posts, bool quick, string loadBefore, string loadAfter)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Two nodes against one (`scaleout`)");
        sb.AppendLine();
        sb.AppendLine("The live-event bus of one node (`InProcessLiveEvents`) against the bus of two nodes (`RedisLiveEvents`, two " +
            "connections to one redis-server on loopback, in one process), measured in the same run with the payload a status post " +
            "carries (the post and the notification, each with the author's summary). \"Push\" is one recipient, each send waiting " +
            $"for its callback ({sends} sends after 30 warm-up); \"fan-out\" is one event to every recipient, from the publish call to " +
            $"the last callback ({posts} posts after 5 warm-up). Callbacks only record the time: the render and the database write are " +
            "the same on one node or two, and the fanout and latency suites measure them. On two nodes the sender's own node still " +
            "delivers in-process; only recipients on the other node pay for Redis (serialize, publish, receive, deserialize once per " +
            "event, not per recipient). In-process the callback runs inside the publish call (well under a microsecond), so a ratio " +
            "against one node is large by construction: the absolute cost of reaching the other node is what to read, beside the " +
            "milliseconds the save and the render take (fanout and latency suites).");
        sb.AppendLine();
        sb.AppendLine($"Machine load (1/5/15-min load average) before: {loadBefore}; after: {loadAfter}. The machine is shared with other " +
            $"builds and test runs, so absolute times are noisy; the ratio within one run is the figure.{(quick ? " **Quick run: not a measurement of record.**" : "")}");
        sb.AppendLine();
        sb.AppendLine("| case | bus | samples | p50 | p95 | max | p50 ÷ one node |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var baseline = rows.First(b => b.Case == r.Case && b.Bus.StartsWith("one node", StringComparison.Ordinal));
            sb.AppendLine($"| {r.Case} | {r.Bus} | {r.Samples} | {Stats.Ms(r.P50)} | {Stats.Ms(r.P95)} | {Stats.Ms(r.Max)} | {r.P50 / Math.Max(1e-6, baseline.P50):F1}× |");
        }
        sb.AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- scaleout` (`--quick`: 100 sends, 1,000 recipients). Needs redis-server.");
        return sb.ToString();
    }
}
