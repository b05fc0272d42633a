using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Runtime;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FriendConnect.Web.Diagnostics;

/// <summary>
/// What the capacity bench needs from the server process: cookies without hashing a password, posts stamped with the
/// server's clock, and the runtime's own figures (heap, RSS, CPU, GC pauses, open circuits). Bench:Enabled only.
/// </summary>
public static class BenchCapacity
{
    public static void AddBenchCapacityServices(this IServiceCollection services)
    {
        services.AddSingleton<BenchGcPauses>();
        services.AddSingleton<BenchCircuitCounts>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, BenchCircuitCounter>());
    }

    public static void MapBenchCapacity(this RouteGroupBuilder bench)
    {
        // The listener starts counting pauses when it is created: now, not at the first request for figures.
        ((IEndpointRouteBuilder)bench).ServiceProvider.GetRequiredService<BenchGcPauses>();

        // The real cookie sign-in (SignInManager), minus the password check: thousands of sessions without thousands of hashes.
        bench.MapPost("/sign-in/{userName}", async (string userName, UserManager<User> users, SignInManager<User> signIn) =>
        {
            if (await users.FindByNameAsync(userName) is not { } user) return Results.NotFound();
            await signIn.SignInAsync(user, isPersistent: false);
            return Results.NoContent();
        });

        // A status posted through StatusService; the timestamps are Stopwatch ticks (CLOCK_MONOTONIC: the same clock in every process on the box).
        bench.MapPost("/post-status/{userName}", async (string userName, string text, UserManager<User> users, StatusService statuses) =>
        {
            if (await users.FindByNameAsync(userName) is not { } user) return Results.NotFound();
            var started = Stopwatch.GetTimestamp();
            var posted = await statuses.PostAsync(user.Id, text);
            return Results.Json(new BenchPost(started, Stopwatch.GetTimestamp(), posted.Succeeded, posted.Error?.Message));
        });

        bench.MapGet("/runtime", (BenchGcPauses pauses, BenchCircuitCounts circuits) => Results.Json(BenchRuntime.Read(pauses, circuits)));
        bench.MapPost("/runtime/reset", (BenchGcPauses pauses) =>
        {
            pauses.Reset();
            return Results.NoContent();
        });
    }
}

public sealed record BenchPost(long StartedTimestamp, long ReturnedTimestamp, bool Succeeded, string? Error);

public sealed record BenchRuntime(
    long HeapSizeBytes, long CommittedBytes, long WorkingSetBytes, double CpuSeconds, long StopwatchTimestamp,
    int Gen0, int Gen1, int Gen2, double TotalPauseMs,
    int Pauses, double PauseP50Ms, double PauseP99Ms, double PauseMaxMs,
    int OpenCircuits, int ConnectedCircuits, long CircuitsEverOpened,
    bool ServerGc, bool ConcurrentGc, string? TieredPgo, int ProcessorCount)
{
    public static BenchRuntime Read(BenchGcPauses pauses, BenchCircuitCounts circuits)
    {
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        var (count, p50, p99, max) = pauses.Summary();
        return new BenchRuntime(
            gc.HeapSizeBytes, gc.TotalCommittedBytes, process.WorkingSet64, process.TotalProcessorTime.TotalSeconds, Stopwatch.GetTimestamp(),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds,
            count, p50, p99, max,
            circuits.Open, circuits.Connected, circuits.EverOpened,
            GCSettings.IsServerGC, AppContext.GetData("System.GC.Concurrent") is not false and not "false",
            AppContext.GetData("System.Runtime.TieredPGO")?.ToString(), Environment.ProcessorCount);
    }
}

/// <summary>Every GC pause (suspend → restart of the runtime), from the runtime's own events, since the last reset.</summary>
public sealed class BenchGcPauses : EventListener
{
    private const int GcSuspendEeBegin = 9;
    private const int GcRestartEeEnd = 3;
    private readonly List<double> _pausesMs = [];
    private DateTime? _suspendedAt;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1); // GC keyword
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_pausesMs)
        {
            if (e.EventId == GcSuspendEeBegin) _suspendedAt = e.TimeStamp;
            else if (e.EventId == GcRestartEeEnd && _suspendedAt is { } began)
            {
                _pausesMs.Add((e.TimeStamp - began).TotalMilliseconds);
                _suspendedAt = null;
            }
        }
    }

    public void Reset()
    {
        lock (_pausesMs) _pausesMs.Clear();
    }

    public (int Count, double P50, double P99, double Max) Summary()
    {
        double[] sorted;
        lock (_pausesMs) sorted = [.. _pausesMs];
        if (sorted.Length == 0) return (0, 0, 0, 0);
        Array.Sort(sorted);
        double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        return (sorted.Length, At(50), At(99), sorted[^1]);
    }
}

public sealed class BenchCircuitCounts
{
    private int _open, _connected;
    private long _everOpened;
    public int Open => Volatile.Read(ref _open);
    public int Connected => Volatile.Read(ref _connected);
    public long EverOpened => Interlocked.Read(ref _everOpened);
    internal void Opened() { Interlocked.Increment(ref _open); Interlocked.Increment(ref _everOpened); }
    internal void Closed() => Interlocked.Decrement(ref _open);
    internal void Up() => Interlocked.Increment(ref _connected);
    internal void Down() => Interlocked.Decrement(ref _connected);
}

internal sealed class BenchCircuitCounter(BenchCircuitCounts counts) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken) { counts.Opened(); return Task.CompletedTask; }
    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken) { counts.Closed(); return Task.CompletedTask; }
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken) { counts.Up(); return Task.CompletedTask; }
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) { counts.Down(); return Task.CompletedTask; }
}
