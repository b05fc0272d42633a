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
        var decoded = _decoded.GetOrAdd(userId, _ => new());
        lock (decoded)
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
    }

    private void End(string userId)
    {
        _inProgress.TryRemove(userId, out _);
        // Forget people with nothing left inside the hour, so the table holds only recent uploaders.
        if (_decoded.TryGetValue(userId, out var decoded))
            lock (decoded)
                if (decoded.All(d => d.At <= clock.GetUtcNow().UtcDateTime - Window)) _decoded.TryRemove(userId, out _);
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
