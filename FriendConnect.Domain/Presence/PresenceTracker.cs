using System.Collections.Concurrent;
using FriendConnect.Domain.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FriendConnect.Domain.Presence;

/// <summary>
/// Where several nodes serve one community: who is connected to any of them. The node counts its own connections;
/// the share keeps one entry per user and node, which expires unless the node keeps refreshing it, so a node that
/// dies takes its users offline by itself.
/// </summary>
public interface IPresenceShare
{
    /// <summary>Records that this node holds the user; true when no node held them before.</summary>
    Task<bool> JoinAsync(string userId, CancellationToken ct = default);

    /// <summary>Records that this node no longer holds the user; true when no node holds them now.</summary>
    Task<bool> LeaveAsync(string userId, CancellationToken ct = default);

    /// <summary>Whether any node holds the user.</summary>
    bool IsOnlineAnywhere(string userId);
}

/// <summary>
/// Who has the app open, counted from live connections (any tab, on any node). Friends are told when someone comes
/// online or goes offline. Without a share (one machine) the node's own count is the whole truth; with one, a failing
/// share falls back to this node's count, so presence never fails a connection.
/// </summary>
public sealed class PresenceTracker(LiveEventDispatcher live, IPresenceShare? share = null, ILogger<PresenceTracker>? logger = null)
{
    private readonly ConcurrentDictionary<string, int> _connections = new();
    private readonly ILogger _logger = logger ?? NullLogger<PresenceTracker>.Instance;

    public bool IsOnline(string userId) =>
        (_connections.TryGetValue(userId, out var count) && count > 0) || (share is not null && Elsewhere(userId));

    /// <summary>The users with a connection to this node, which the share refreshes while they stay.</summary>
    public ICollection<string> OnlineHere => _connections.Keys;

    public async Task ConnectedAsync(string userId, CancellationToken ct = default)
    {
        if (_connections.AddOrUpdate(userId, 1, (_, n) => n + 1) == 1 && await SharedAsync(s => s.JoinAsync(userId, ct)))
            await live.DispatchAsync(new PresenceChanged(userId, Online: true));
    }

    public async Task DisconnectedAsync(string userId, CancellationToken ct = default)
    {
        var remaining = _connections.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1));
        if (remaining == 0)
        {
            _connections.TryRemove(new KeyValuePair<string, int>(userId, 0));
            if (await SharedAsync(s => s.LeaveAsync(userId, ct)))
                await live.DispatchAsync(new PresenceChanged(userId, Online: false));
        }
    }

    private async Task<bool> SharedAsync(Func<IPresenceShare, Task<bool>> change)
    {
        if (share is null) return true;
        try
        {
            return await change(share);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The shared presence is unavailable; this node's connections decide.");
            return true;
        }
    }

    private bool Elsewhere(string userId)
    {
        try
        {
            return share!.IsOnlineAnywhere(userId);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "The shared presence is unavailable; this node's connections decide.");
            return false;
        }
    }
}
