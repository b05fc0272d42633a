using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendConnect.Domain.Users;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Realtime;

/// <summary>Configuration section "Sessions": how often this node holds its open tabs and event streams to the session rule.</summary>
public sealed class SessionSweepOptions
{
    public const string SectionName = "Sessions";

    /// <summary>How long a change made where this node cannot hear it (a command, another node without Redis) may go unnoticed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Distinct accounts read in one query of a sweep.</summary>
    [Range(1, 10_000)]
    public int SweepBatchSize { get; set; } = 500;
}

/// <summary>
/// One timer per node for every open circuit and event stream: each sweep reads the accounts of everyone online, one
/// query per batch, and ends each session that <see cref="SessionValidator"/> now refuses, through the same path a
/// "signed out" event takes. That event is the fast path; the sweep is the guarantee, for changes made by another
/// process (decision 006).
/// </summary>
public sealed class SessionSweep(SessionValidator sessions, IOptions<SessionSweepOptions> options, ILogger<SessionSweep> logger)
    : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly HashSet<Watched> _watched = [];

    /// <summary>
    /// Holds the session <paramref name="principal"/> carries to the rule until the returned handle is disposed;
    /// <paramref name="end"/> runs once, on the sweep's thread, when the rule refuses it (so it must only signal).
    /// </summary>
    public IDisposable Watch(ClaimsPrincipal principal, Action end)
    {
        if (sessions.SessionOf(principal) is not { } session) return NotWatched.Instance;
        var watched = new Watched(this, session, end);
        lock (_lock) _watched.Add(watched);
        return watched;
    }

    /// <summary>One sweep; returns how many sessions it ended.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        Watched[] all;
        lock (_lock) all = [.. _watched];
        var ended = 0;
        foreach (var batch in all.GroupBy(w => w.Session.UserId).Chunk(options.Value.SweepBatchSize))
        {
            var watched = batch.SelectMany(user => user).ToList();
            var refused = await sessions.FindEndedAsync(watched.Select(w => w.Session).ToHashSet(), ct);
            foreach (var session in watched)
                if (refused.Contains(session.Session) && session.End()) ended++;
        }
        return ended;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Every request still meets the rule; the next sweep tries again rather than ending everyone's tabs.
                    logger.LogWarning(e, "The session sweep could not read the accounts; trying again in {Interval}.", options.Value.SweepInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }

    private void Forget(Watched watched)
    {
        lock (_lock) _watched.Remove(watched);
    }

    private sealed class Watched(SessionSweep sweep, OpenSession session, Action end) : IDisposable
    {
        private int _done;

        public OpenSession Session => session;

        public bool End()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return false;
            sweep.Forget(this);
            end();
            return true;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) sweep.Forget(this);
        }
    }

    private sealed class NotWatched : IDisposable
    {
        public static readonly NotWatched Instance = new();

        public void Dispose() { }
    }
}

public static class SessionSweeps
{
    public static IHostApplicationBuilder AddSessionSweep(this IHostApplicationBuilder builder)
    {
        FriendConnect.Web.Hosting.FriendConnectHosting.AddSettings<SessionSweepOptions>(builder.Services, SessionSweepOptions.SectionName);
        builder.Services.AddSingleton<SessionSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionSweep>());
        return builder;
    }
}
