using System.Collections.Concurrent;
using System.Collections.Immutable;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Statuses;

namespace FriendConnect.Domain.Notifications;

/// <summary>Which parts of a user's view a change touched; a subscriber reloads those parts from the database.</summary>
[Flags]
public enum LiveChange
{
    None = 0,
    Notifications = 1,
    Requests = 2,
    Friends = 4,
    Feed = 8,
    Profile = 16,
    Presence = 32,

    /// <summary>The account was suspended or deleted: every open session of it ends now.</summary>
    SignedOut = 64,

    /// <summary>The moderation queue changed (sent to moderators).</summary>
    Reports = 128,

    /// <summary>A friend's current status changed; the friendships themselves did not.</summary>
    FriendStatus = 256,
}

/// <summary>
/// Something changed for a user. The database row is the truth; the payload, when set, is what the receiver needs to
/// render the change without a query, already cut to what this recipient may see. <see cref="Message"/> is toast text.
/// </summary>
public sealed record LiveEvent(LiveChange Changes, string? Message = null)
{
    public NotificationView? Notification { get; init; }
    public FeedItem? Post { get; init; }
    public FriendRequestSummary? Incoming { get; init; }
    public FriendRequestSummary? Outgoing { get; init; }

    /// <summary>A request that is no longer pending (answered or cancelled).</summary>
    public long? RequestGone { get; init; }

    /// <summary>A status that left every feed (hidden by a moderator).</summary>
    public long? StatusGone { get; init; }
}

public interface ILiveEventPublisher
{
    /// <summary>Call only after the change has committed.</summary>
    Task PublishAsync(IEnumerable<string> userIds, LiveEvent liveEvent);
}

public interface ILiveEventSubscriber
{
    IDisposable Subscribe(string userId, Func<LiveEvent, Task> handler);
    bool IsOnline(string userId);
}

/// <summary>The single-machine bus: subscriptions held in memory, keyed by user id.</summary>
public sealed class InProcessLiveEvents : ILiveEventPublisher, ILiveEventSubscriber
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Func<LiveEvent, Task>>> _handlers = new();

    public IDisposable Subscribe(string userId, Func<LiveEvent, Task> handler)
    {
        _handlers.AddOrUpdate(userId, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(this, userId, handler);
    }

    public bool IsOnline(string userId) => _handlers.TryGetValue(userId, out var list) && !list.IsEmpty;

    public Task PublishAsync(IEnumerable<string> userIds, LiveEvent liveEvent)
    {
        List<Task>? tasks = null;
        foreach (var userId in userIds)
        {
            if (!_handlers.TryGetValue(userId, out var list)) continue;
            foreach (var handler in list)
                (tasks ??= []).Add(Invoke(handler, liveEvent));
        }
        return tasks is null ? Task.CompletedTask : Task.WhenAll(tasks);
    }

    // A failing subscriber must not stop the others or the publisher's caller.
    private static async Task Invoke(Func<LiveEvent, Task> handler, LiveEvent liveEvent)
    {
        try { await handler(liveEvent); }
        catch { }
    }

    private void Unsubscribe(string userId, Func<LiveEvent, Task> handler)
    {
        while (_handlers.TryGetValue(userId, out var list))
        {
            var updated = list.Remove(handler);
            if (updated.IsEmpty
                ? _handlers.TryRemove(new KeyValuePair<string, ImmutableArray<Func<LiveEvent, Task>>>(userId, list))
                : _handlers.TryUpdate(userId, updated, list))
                return;
        }
    }

    private sealed class Subscription(InProcessLiveEvents owner, string userId, Func<LiveEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(userId, handler);
        }
    }
}
