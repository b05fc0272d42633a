using System.Collections.Concurrent;
using FriendConnect.Domain.Live;

namespace FriendConnect.Domain.Presence;

/// <summary>
/// Who has the app open, counted from live connections (any tab). Friends are told when someone
/// comes online or goes offline. One machine's view: several nodes would share it through the bus.
/// </summary>
public sealed class PresenceTracker(LiveEventDispatcher live)
{
    private readonly ConcurrentDictionary<string, int> _connections = new();

    public bool IsOnline(string userId) => _connections.TryGetValue(userId, out var count) && count > 0;

    public async Task ConnectedAsync(string userId, CancellationToken ct = default)
    {
        if (_connections.AddOrUpdate(userId, 1, (_, n) => n + 1) == 1)
            await live.DispatchAsync(new PresenceChanged(userId, Online: true));
    }

    public async Task DisconnectedAsync(string userId, CancellationToken ct = default)
    {
        var remaining = _connections.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1));
        if (remaining == 0)
        {
            _connections.TryRemove(new KeyValuePair<string, int>(userId, 0));
            await live.DispatchAsync(new PresenceChanged(userId, Online: false));
        }
    }
}
