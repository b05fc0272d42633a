using System.Collections.Immutable;
using System.Security.Claims;
using FriendConnect.Domain.Notifications;
using Microsoft.AspNetCore.Components.Authorization;

namespace FriendConnect.Web.Realtime;

/// <summary>
/// One per circuit: subscribes to the signed-in user's live events once, and hands each event
/// to the components on the page that listen for it.
/// </summary>
public sealed class LiveSession(ILiveEventSubscriber subscriber, AuthenticationStateProvider authState) : IDisposable
{
    private ImmutableArray<Func<LiveEvent, Task>> _listeners = [];
    private IDisposable? _subscription;
    private bool _started;

    /// <summary>The signed-in user's id, or null for a visitor.</summary>
    public async Task<string?> GetUserIdAsync()
    {
        var state = await authState.GetAuthenticationStateAsync();
        return state.User.FindFirstValue(ClaimTypes.NameIdentifier);
    }

    /// <summary>Subscribes the circuit to its user's events; called once, by the layout, when the circuit is interactive.</summary>
    public async Task StartAsync()
    {
        if (_started) return;
        _started = true;
        var userId = await GetUserIdAsync();
        if (userId is not null)
            _subscription = subscriber.Subscribe(userId, DispatchAsync);
    }

    public IDisposable Listen(Func<LiveEvent, Task> listener)
    {
        ImmutableInterlocked.Update(ref _listeners, l => l.Add(listener));
        return new Listener(this, listener);
    }

    /// <summary>
    /// Hands the event to this circuit's listeners without making the publisher wait for their reloads: one slow page
    /// must not delay the poster or the other recipients. Listeners report their own failures to their component.
    /// </summary>
    private Task DispatchAsync(LiveEvent liveEvent)
    {
        foreach (var listener in _listeners)
            _ = listener(liveEvent);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
        _listeners = [];
    }

    private sealed class Listener(LiveSession session, Func<LiveEvent, Task> listener) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref session._listeners, l => l.Remove(listener));
    }
}
