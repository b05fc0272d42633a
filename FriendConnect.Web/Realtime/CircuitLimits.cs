using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Realtime;

/// <summary>Configuration section "Circuits": what one person's tabs and event streams, and one address's anonymous connections, may hold.</summary>
public sealed class CircuitLimitOptions
{
    public const string SectionName = "Circuits";

    /// <summary>Open circuits (interactive tabs) per signed-in user; a new one closes that user's oldest.</summary>
    [Range(1, 1000)]
    public int MaxPerUser { get; set; } = 20;

    /// <summary>Open event streams (GET /api/v1/events) per signed-in user on this node; one more is refused with 429 until one closes.</summary>
    [Range(1, 1000)]
    public int MaxEventStreamsPerUser { get; set; } = 10;

    /// <summary>Concurrent unauthenticated connections to the circuit hub (/_blazor) from one client address; zero turns the cap off.</summary>
    [Range(0, 100_000)]
    public int MaxAnonymousConnectionsPerAddress { get; set; } = 10;

    /// <summary>A tab hidden this long pauses its circuit (its state is persisted, its memory freed); zero never pauses.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PauseHiddenAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a paused tab's state is kept in memory for its resume; a later resume starts the page afresh.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PausedStateRetention { get; set; } = TimeSpan.FromHours(2);

    /// <summary>At most this many paused tabs' states are kept; the oldest beyond it are dropped first.</summary>
    [Range(1, 10_000_000)]
    public int PausedStatesRetained { get; set; } = 100_000;
}

/// <summary>
/// The signed-in users' open circuits, oldest first. Opening one past <see cref="CircuitLimitOptions.MaxPerUser"/> asks
/// the oldest to close: its tab goes to a page that says why, and its circuit ends with the page.
/// </summary>
public sealed class CircuitRegistry(IOptions<CircuitLimitOptions> options)
{
    private readonly Dictionary<string, List<Func<Task>>> _open = [];

    public IDisposable Open(string userId, Func<Task> close)
    {
        Func<Task>? oldest = null;
        lock (_open)
        {
            if (!_open.TryGetValue(userId, out var circuits)) _open[userId] = circuits = [];
            circuits.Add(close);
            if (circuits.Count > options.Value.MaxPerUser)
            {
                oldest = circuits[0];
                circuits.RemoveAt(0);
            }
        }
        if (oldest is not null) _ = oldest();
        return new Registration(this, userId, close);
    }

    public int CountFor(string userId)
    {
        lock (_open) return _open.TryGetValue(userId, out var circuits) ? circuits.Count : 0;
    }

    private void Close(string userId, Func<Task> close)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(userId, out var circuits)) return;
            circuits.Remove(close);
            if (circuits.Count == 0) _open.Remove(userId);
        }
    }

    private sealed class Registration(CircuitRegistry registry, string userId, Func<Task> close) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) registry.Close(userId, close);
        }
    }
}

/// <summary>One circuit's side of the per-user limit: the layout listens, and leaves for the explanation page when told.</summary>
public sealed class CircuitTab
{
    public event Func<Task>? Displaced;

    public Task DisplaceAsync() => Displaced?.Invoke() ?? Task.CompletedTask;
}

/// <summary>
/// Caps concurrent unauthenticated connections to the circuit hub per client address. Visitors' pages open no circuit,
/// so what reaches the hub without a session is a signed-out tab reconnecting or a script; a signed-in browser is never counted.
/// </summary>
public sealed class AnonymousCircuitLimiter(IOptions<CircuitLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetConcurrencyLimiter(address, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.MaxAnonymousConnectionsPerAddress), QueueLimit = 0,
        }));

    public RateLimitLease Acquire(string address) => _perAddress.AttemptAcquire(address);

    public void Dispose() => _perAddress.Dispose();
}

/// <summary>
/// Caps one user's open event streams. Unlike a tab, a stream past the cap is refused rather than closing the oldest:
/// a script that reconnects in a loop would otherwise end its own other streams.
/// </summary>
public sealed class EventStreamLimiter(IOptions<CircuitLimitOptions> options) : IDisposable
{
    /// <summary>What a refused stream is told to wait before it asks again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private readonly PartitionedRateLimiter<string> _perUser = PartitionedRateLimiter.Create<string, string>(userId =>
        RateLimitPartition.GetConcurrencyLimiter(userId, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxEventStreamsPerUser, QueueLimit = 0,
        }));

    public int MaxPerUser => options.Value.MaxEventStreamsPerUser;

    /// <summary>A place for one more stream of <paramref name="userId"/>; dispose the lease when the stream ends.</summary>
    public RateLimitLease Acquire(string userId) => _perUser.AttemptAcquire(userId);

    public void Dispose() => _perUser.Dispose();
}

public static class CircuitLimits
{
    public static IHostApplicationBuilder AddCircuitLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        FriendConnect.Web.Hosting.FriendConnectHosting.AddSettings<CircuitLimitOptions>(services, CircuitLimitOptions.SectionName);
        services.AddSingleton<CircuitRegistry>();
        services.AddSingleton<AnonymousCircuitLimiter>();
        services.AddSingleton<EventStreamLimiter>();
        services.AddScoped<CircuitTab>();
        // A paused tab's state waits in memory (PersistedCircuitInMemoryRetentionPeriod) for the tab to come back.
        services.AddOptions<Microsoft.AspNetCore.Components.Server.CircuitOptions>()
            .Configure<IOptions<CircuitLimitOptions>>((circuit, limits) =>
            {
                circuit.PersistedCircuitInMemoryRetentionPeriod = limits.Value.PausedStateRetention;
                circuit.PersistedCircuitInMemoryMaxRetained = limits.Value.PausedStatesRetained;
            });
        return builder;
    }

    public static IApplicationBuilder UseAnonymousCircuitLimit(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/_blazor") && context.User.Identity?.IsAuthenticated != true,
            hub => hub.Use(async (context, next) =>
            {
                if (context.RequestServices.GetRequiredService<IOptions<CircuitLimitOptions>>().Value.MaxAnonymousConnectionsPerAddress == 0)
                {
                    await next(context);
                    return;
                }
                var address = Auth.ClientNetwork.KeyOf(context.Connection.RemoteIpAddress);
                using var lease = context.RequestServices.GetRequiredService<AnonymousCircuitLimiter>().Acquire(address);
                if (!lease.IsAcquired)
                {
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = "60";
                    await context.Response.WriteAsync("Too many open connections from this address without signing in. Close some tabs, or sign in.");
                    return;
                }
                await next(context);
            }));
}
