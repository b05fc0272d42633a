using System.Collections.Concurrent;
using FriendConnect.Domain.Common;

namespace FriendConnect.Domain.Photos;

/// <summary>
/// What decoding photos may cost each person on this server: one upload at a time, and at most
/// <see cref="ActionLimits.PhotoMegapixelsPerHour"/> decoded in an hour. Memory and CPU are this node's, so the budget
/// is kept here rather than in the database (docs/decisions/020).
/// </summary>
internal sealed class PhotoDecodeBudget(TimeProvider clock, ActionLimits limits)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, byte> _inProgress = new();
    private readonly ConcurrentDictionary<string, Queue<(DateTime At, long Pixels)>> _decoded = new();

    /// <summary>Claims the person's one upload slot; null while another of their uploads is still being processed.</summary>
    public IDisposable? TryBegin(string userId) => _inProgress.TryAdd(userId, 0) ? new Slot(this, userId) : null;

    /// <summary>Charges <paramref name="pixels"/> about to be decoded, or refuses when the hour's budget would be passed.</summary>
    public DomainError? TryCharge(string userId, long pixels)
    {
        var budget = limits.PhotoMegapixelsPerHour * 1_000_000L;
        var now = clock.GetUtcNow().UtcDateTime;
        while (true)
        {
            var decoded = _decoded.GetOrAdd(userId, _ => new());
            lock (decoded)
            {
                // Forgotten by a prune meanwhile: charge the person's new queue instead.
                if (!_decoded.TryGetValue(userId, out var current) || !ReferenceEquals(current, decoded)) continue;
                return Charge(decoded, pixels, budget, now);
            }
        }
    }

    private static DomainError? Charge(Queue<(DateTime At, long Pixels)> decoded, long pixels, long budget, DateTime now)
    {
        while (decoded.Count > 0 && decoded.Peek().At <= now - Window) decoded.Dequeue();
        var used = decoded.Sum(d => d.Pixels);
        if (used + pixels > budget)
        {
            // The budget frees up as the oldest decodes leave the hour; at most an hour from now.
            var freed = used;
            var retryAfter = Window;
            foreach (var (at, cost) in decoded)
            {
                freed -= cost;
                if (freed + pixels <= budget) { retryAfter = at + Window - now; break; }
            }
            if (retryAfter < TimeSpan.FromSeconds(1)) retryAfter = TimeSpan.FromSeconds(1);
            return DomainError.LimitReached(
                $"You have uploaded a lot of large photos in the last hour. You can try again in {ActionLimits.Describe(retryAfter)}, or choose a smaller photo.",
                retryAfter);
        }
        decoded.Enqueue((now, pixels));
        return null;
    }

    private void End(string userId)
    {
        PruneStale();
        _inProgress.TryRemove(userId, out _);
    }

    private long _lastPruneTicks;

    /// <summary>Forgets people with nothing left inside the hour, at most once a minute, so the table holds only recent uploaders.</summary>
    private void PruneStale()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var last = Interlocked.Read(ref _lastPruneTicks);
        if (now.Ticks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastPruneTicks, now.Ticks, last) != last) return;
        foreach (var (userId, decoded) in _decoded)
            lock (decoded)
                if (decoded.Count == 0 || decoded.Last().At <= now - Window)
                    _decoded.TryRemove(KeyValuePair.Create(userId, decoded));
    }

    private sealed class Slot(PhotoDecodeBudget budget, string userId) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) budget.End(userId);
        }
    }
}
