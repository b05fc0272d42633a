using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using FriendConnect.Bench.Shared;
using FriendConnect.Web.Diagnostics;

namespace FriendConnect.Bench.Capacity;

/// <summary>A signed-in person the load opens a dashboard for, and which of the others are their friends.</summary>
public sealed record LoadUser(string Id, string UserName, int[] Friends);

/// <summary>One step of the ramp: what the server, the client and the people's live updates looked like at N circuits.</summary>
public sealed record StepResult(
    int Circuits, int ServerCircuits, double HoldSeconds,
    long ManagedHeapAfterGcBytes, long HeapSizeBytes, long WorkingSetBytes,
    double ServerCpuPercent, double ClientCpuPercent, double GcPauseP99Ms, double GcPauseMaxMs, int GcPauses, double PauseTotalMs,
    int Posts, int Samples, int Missed, double? LatencyP50Ms, double? LatencyP99Ms, double? LatencyMaxMs,
    double? OpenP50Ms, double? OpenP99Ms, long CircuitErrors, long ClientWorkingSetBytes, string Load, string? StoppedBecause, double ServerCpuSecondsTotal = 0)
{
    public bool Holds(double p99TargetMs, double memoryLimitBytes) =>
        StoppedBecause is null && CircuitErrors == 0 && Missed == 0 && (LatencyP99Ms ?? 0) <= p99TargetMs && WorkingSetBytes <= memoryLimitBytes;
}

/// <summary>
/// Keeps N headless dashboard circuits open against one app process while 1 % of the connected people post a status
/// each minute; every online friend's circuit waits for the batch that carries the text (server post → batch received).
/// </summary>
public sealed class CapacityLoad(HttpClient http, Uri baseUri, IReadOnlyList<LoadUser> users) : IAsyncDisposable
{
    public const string Page = "/dashboard";
    private readonly HeadlessCircuit?[] _circuits = new HeadlessCircuit?[users.Count];
    private readonly string?[] _cookies = new string?[users.Count];
    private readonly ConcurrentBag<double> _latencies = [];
    private readonly ConcurrentBag<double> _openMs = [];
    private readonly Random _random = new(11);
    private int _open, _posts, _missed, _openFailures;
    private CancellationTokenSource? _posting;
    private Task? _poster;

    public CircuitStats Stats { get; } = new();
    public int Open => Volatile.Read(ref _open);

    /// <summary>Cookies for the next people, made before their circuits are timed.</summary>
    public async Task SignInAsync(int upTo, int parallel = 8)
    {
        await Parallel.ForAsync(0, upTo, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            _cookies[i] ??= await BenchSessions.SignInAsync(http, users[i].UserName, ct);
        });
    }

    /// <summary>Opens circuits until <paramref name="target"/> are open; stops early if <paramref name="guard"/> says so.</summary>
    public async Task<string?> OpenUpToAsync(int target, int parallel, Func<string?> guard)
    {
        string? stop = null;
        var from = Open;
        await Parallel.ForAsync(from, target, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            if (Volatile.Read(ref stop) is not null) return;
            if (i % 100 == 0 && guard() is { } reason) { Volatile.Write(ref stop, reason); return; }
            try
            {
                var circuit = await HeadlessCircuit.OpenAsync(http, new Uri(baseUri, Page), _cookies[i]!, "fc-interactive", Stats, TimeSpan.FromSeconds(120), ct);
                _circuits[i] = circuit;
                _openMs.Add(circuit.OpenTime.TotalMilliseconds);
                Interlocked.Increment(ref _open);
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref _openFailures) <= 5) Console.WriteLine($"    open failed: {ex.Message}");
                Stats.Error(ex.Message);
            }
        });
        return stop;
    }

    /// <summary>1 % of the connected people post each minute, spread evenly; each post is followed to every online friend.</summary>
    public void StartPosting(TimeSpan? wait = null)
    {
        _posting = new CancellationTokenSource();
        var token = _posting.Token;
        var inFlight = new List<Task>();
        _poster = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                var open = Open;
                var perMinute = Math.Max(1.0, open * 0.01);
                try { await Task.Delay(TimeSpan.FromMinutes(1 / perMinute), token); } catch (OperationCanceledException) { break; }
                int author;
                lock (_random) author = _random.Next(Math.Max(1, open));
                if (_circuits[author] is null) continue;
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(PostAndFollowAsync(author, wait ?? TimeSpan.FromSeconds(30)));
            }
            await Task.WhenAll(inFlight);
        });
    }

    public async Task StopPostingAsync()
    {
        _posting?.Cancel();
        if (_poster is not null) await _poster;
        _posting?.Dispose();
        _posting = null;
    }

    private async Task PostAndFollowAsync(int author, TimeSpan wait)
    {
        var text = $"cap-{Guid.NewGuid():N}"[..20] + " is out for a walk";
        var receivers = users[author].Friends.Select(f => _circuits[f]).Where(c => c is not null).Select(c => c!).ToList();
        var waits = receivers.Select(c => (Circuit: c, Seen: c.WaitForTextAsync(text))).ToList();
        PostedStatus posted;
        try
        {
            var sent = Stopwatch.GetTimestamp();
            posted = await BenchSessions.PostStatusAsync(http, users[author].UserName, text);
            // Both processes read CLOCK_MONOTONIC; if they did not, the server's stamp would fall outside the request.
            if (posted.StartedTimestamp < sent || posted.StartedTimestamp > Stopwatch.GetTimestamp())
                Stats.Error("the server's clock is not the client's: latencies would be wrong");
        }
        catch (Exception ex)
        {
            Stats.Error($"post failed: {ex.Message}");
            foreach (var (c, seen) in waits) c.StopWaiting(seen);
            return;
        }
        Interlocked.Increment(ref _posts);
        foreach (var (circuit, seen) in waits)
        {
            try
            {
                var at = await seen.WaitAsync(wait);
                _latencies.Add(Stopwatch.GetElapsedTime(posted.StartedTimestamp, at).TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                circuit.StopWaiting(seen);
                Interlocked.Increment(ref _missed);
            }
            catch (TaskCanceledException) { }
        }
    }

    /// <summary>Latency, posts and open times since the last call (a step's window).</summary>
    public (List<double> Latencies, int Posts, int Missed, List<double> OpenMs, int OpenFailures) TakeWindow()
    {
        var latencies = new List<double>();
        while (_latencies.TryTake(out var l)) latencies.Add(l);
        var open = new List<double>();
        while (_openMs.TryTake(out var o)) open.Add(o);
        return (latencies, Interlocked.Exchange(ref _posts, 0), Interlocked.Exchange(ref _missed, 0), open, Interlocked.Exchange(ref _openFailures, 0));
    }

    /// <summary>Holds N for <paramref name="hold"/> and reads the server's and the client's figures for the step.</summary>
    public async Task<StepResult> MeasureStepAsync(int target, TimeSpan hold, long errorsBefore, string? stoppedBecause)
    {
        await http.PostAsync("/bench/runtime/reset", null);
        var before = (await http.GetFromJsonAsync<BenchRuntime>("/bench/runtime"))!;
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(hold);
        var after = (await http.GetFromJsonAsync<BenchRuntime>("/bench/runtime"))!;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        using var me = Process.GetCurrentProcess();
        var clientCpu = (me.TotalProcessorTime - clientBefore).TotalSeconds / seconds * 100;
        var window = TakeWindow();
        // The forced, compacting collection comes last so its pause is not among the step's.
        var heap = (await http.GetFromJsonAsync<BenchHeap>("/bench/heap"))!;
        var lat = window.Latencies;
        return new StepResult(
            Open, after.OpenCircuits, seconds,
            heap.ManagedHeapBytes, after.HeapSizeBytes, after.WorkingSetBytes,
            (after.CpuSeconds - before.CpuSeconds) / seconds * 100, clientCpu,
            after.PauseP99Ms, after.PauseMaxMs, after.Pauses, after.TotalPauseMs - before.TotalPauseMs,
            window.Posts, lat.Count, window.Missed,
            Stats2(lat, 50), Stats2(lat, 99), lat.Count == 0 ? null : lat.Max(),
            Stats2(window.OpenMs, 50), Stats2(window.OpenMs, 99),
            Stats.ErrorCount - errorsBefore + window.OpenFailures, me.WorkingSet64, MachineLoad.Describe(), stoppedBecause, after.CpuSeconds);
    }

    private static double? Stats2(IReadOnlyList<double> values, double p) => values.Count == 0 ? null : Shared.Stats.Percentile(values, p);

    /// <summary>
    /// Pauses every open circuit like a hidden tab (at most <paramref name="parallel"/> at once) and closes their
    /// connections; the answer holds each person's paused tab in their slot (null where none was open or the pause failed).
    /// </summary>
    public async Task<PausedCircuit?[]> PauseAllAsync(bool keepStateInTab, int parallel)
    {
        var paused = new PausedCircuit?[_circuits.Length];
        await Parallel.ForAsync(0, _circuits.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            if (_circuits[i] is not { } circuit) return;
            try { paused[i] = await circuit.PauseAsync(keepStateInTab, TimeSpan.FromSeconds(120)); }
            catch (Exception ex) { Stats.Error($"pause failed: {ex.Message}"); }
            await circuit.DisposeAsync();
            _circuits[i] = null;
            Interlocked.Decrement(ref _open);
        });
        return paused;
    }

    /// <summary>Resumes each paused tab in its person's slot, as many at once as <paramref name="parallel"/>; failures are counted, not thrown.</summary>
    public async Task ResumeAllAsync(PausedCircuit?[] paused, int parallel)
    {
        await Parallel.ForAsync(0, paused.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            if (paused[i] is not { } tab) return;
            try
            {
                var circuit = await HeadlessCircuit.ResumeAsync(tab, "fc-interactive", Stats, TimeSpan.FromSeconds(120), ct);
                _circuits[i] = circuit;
                _openMs.Add(circuit.OpenTime.TotalMilliseconds);
                Interlocked.Increment(ref _open);
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref _openFailures) <= 5) Console.WriteLine($"    resume failed: {ex.Message}");
                Stats.Error(ex.Message);
            }
        });
    }

    /// <summary>
    /// Bounded: stopping the posts waits at most 45 s, each connection's close 5 s, all of them 2 minutes. Close the app
    /// process first: thousands of closing handshakes with a busy server are what can take forever.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try { await StopPostingAsync().WaitAsync(TimeSpan.FromSeconds(45)); }
        catch (TimeoutException) { Console.WriteLine("    the posts in flight did not finish in 45 s; left behind"); }
        var closing = Parallel.ForEachAsync(_circuits.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, _) =>
        {
            try { await c!.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (TimeoutException) { }
        });
        try { await closing.WaitAsync(TimeSpan.FromMinutes(2)); }
        catch (TimeoutException) { Console.WriteLine("    closing the client's connections took over 2 minutes; left behind"); }
    }

    public static string Format(double? ms) => ms is not { } v || double.IsNaN(v) ? "—" : v.ToString(v < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);
}
