using System.Collections.Immutable;
using System.Security.Claims;
using System.Threading.Channels;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Components.Authorization;

namespace FriendConnect.Web.Realtime;

/// <summary>
/// One per circuit: subscribes to the signed-in user's live events once, and hands each event
/// to the components on the page that listen for it. When the account's sessions end, the circuit ends with them.
/// </summary>
/// <remarks>
/// The publisher only drops the event into this circuit's inbox; the circuit's own loop hands it on, in order. So a
/// page that is slow to render delays nobody else: not the person who acted, not the other recipients.
/// </remarks>
public sealed class LiveSession(ILiveEventSubscriber subscriber, AuthenticationStateProvider authState, SessionValidator sessions) : IDisposable
{
    private readonly Channel<LiveEvent> _inbox = Channel.CreateUnbounded<LiveEvent>(new UnboundedChannelOptions { SingleReader = true });
    private ImmutableArray<Func<LiveEvent, Task>> _listeners = [];
    private ImmutableArray<Func<LiveEvent, Task>> _lastListeners = [];
    private IDisposable? _subscription;
    private bool _started;
    private volatile bool _ended;

    /// <summary>
    /// True once the session rule refused this circuit's user after a "signed out" event: the circuit takes no more
    /// input (LiveCircuitHandler) and acts for nobody, while the layout sends the browser away.
    /// </summary>
    public bool HasEnded => _ended;

    private object? _postsShownBy;

    /// <summary>
    /// True while the page shows friends' new posts where they arrive (the dashboard's feed at its newest): the post is
    /// then on screen, marked new and announced, and a toast would only say it twice.
    /// </summary>
    public bool PageShowsNewPosts => _postsShownBy is not null;

    /// <summary>Claims <see cref="PageShowsNewPosts"/> for <paramref name="page"/> (or lets it go); a later page's claim wins.</summary>
    public void ShowNewPostsIn(object page, bool shows)
    {
        if (shows) _postsShownBy = page;
        else if (ReferenceEquals(_postsShownBy, page)) _postsShownBy = null;
    }

    /// <summary>The signed-in user's id, or null for a visitor or a circuit whose session has ended.</summary>
    public async Task<string?> GetUserIdAsync() => (await GetUserAsync())?.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The principal the circuit was opened with, or null for a visitor or a circuit whose session has ended.</summary>
    public async Task<ClaimsPrincipal?> GetUserAsync()
    {
        if (_ended) return null;
        var state = await authState.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true ? state.User : null;
    }

    /// <summary>
    /// Ends the circuit without asking the rule again: the node's sweep (<see cref="SessionSweep"/>) found its session
    /// refused. It stops taking input at once, and the layout hears "signed out" as from the event.
    /// </summary>
    public void End()
    {
        _ended = true;
        _inbox.Writer.TryWrite(EndedBySweep);
    }

    private static readonly LiveEvent EndedBySweep = new(LiveChange.SignedOut);

    /// <summary>Subscribes the circuit to its user's events; called once, by the layout, when the circuit is interactive.</summary>
    public async Task StartAsync()
    {
        if (_started) return;
        _started = true;
        var userId = await GetUserIdAsync();
        if (userId is null) return;
        _subscription = subscriber.Subscribe(userId, Enqueue);
        _ = Task.Run(PumpAsync);
    }

    /// <param name="last">
    /// Heard after every other listener: the layout's toast, so that the page's own news reaches the browser first (each
    /// listener's render is a batch of its own, and the browser applies them in order).
    /// </param>
    public IDisposable Listen(Func<LiveEvent, Task> listener, bool last = false)
    {
        if (last) ImmutableInterlocked.Update(ref _lastListeners, l => l.Add(listener));
        else ImmutableInterlocked.Update(ref _listeners, l => l.Add(listener));
        return new Listener(this, listener);
    }

    private Task Enqueue(LiveEvent liveEvent)
    {
        _inbox.Writer.TryWrite(liveEvent);
        return Task.CompletedTask;
    }

    private async Task PumpAsync()
    {
        await foreach (var liveEvent in _inbox.Reader.ReadAllAsync())
        {
            if (ReferenceEquals(liveEvent, EndedBySweep))
                HandToListeners(liveEvent);
            else if (liveEvent.Changes.HasFlag(LiveChange.SignedOut))
                await EndIfRefusedAsync(liveEvent);
            else
                HandToListeners(liveEvent);
        }
    }

    /// <summary>
    /// A "signed out" event ends the circuit when the session rule refuses the principal it was opened with, which is
    /// every circuit opened before the stamp changed; if the check itself fails, the circuit ends too.
    /// </summary>
    private async Task EndIfRefusedAsync(LiveEvent liveEvent)
    {
        try
        {
            var state = await authState.GetAuthenticationStateAsync();
            if (await sessions.CheckAsync(state.User) is null)
            {
                var rest = liveEvent with { Changes = liveEvent.Changes & ~LiveChange.SignedOut };
                if (rest.Changes != LiveChange.None) HandToListeners(rest);
                return;
            }
        }
        catch (Exception)
        {
            // Ending a session that might still be good is the safe side.
        }
        _ended = true;
        HandToListeners(liveEvent);
    }

    /// <summary>Listeners (LiveComponent) queue their work on the renderer and report their own failures to their component.</summary>
    private void HandToListeners(LiveEvent liveEvent)
    {
        Hand(_listeners, liveEvent);
        Hand(_lastListeners, liveEvent);
    }

    private static void Hand(ImmutableArray<Func<LiveEvent, Task>> listeners, LiveEvent liveEvent)
    {
        foreach (var listener in listeners)
        {
            try
            {
                _ = listener(liveEvent);
            }
            catch (Exception)
            {
                // A listener that throws before it queues its work must not stop the others.
            }
        }
    }

    public void Dispose()
    {
        _inbox.Writer.TryComplete();
        _subscription?.Dispose();
        _subscription = null;
        _listeners = [];
        _lastListeners = [];
    }

    private sealed class Listener(LiveSession session, Func<LiveEvent, Task> listener) : IDisposable
    {
        public void Dispose()
        {
            ImmutableInterlocked.Update(ref session._listeners, l => l.Remove(listener));
            ImmutableInterlocked.Update(ref session._lastListeners, l => l.Remove(listener));
        }
    }
}
