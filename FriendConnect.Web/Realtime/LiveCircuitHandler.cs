using System.Security.Claims;
using FriendConnect.Domain.Presence;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace FriendConnect.Web.Realtime;

/// <summary>
/// Presence comes from connections (a user with any connected tab is online), the circuit's live subscription ends the
/// moment the circuit closes, a user's open circuits count towards their limit (<see cref="CircuitRegistry"/>), and the
/// node's sweep holds the circuit's session to the rule while it is open (<see cref="SessionSweep"/>).
/// </summary>
public sealed class LiveCircuitHandler(
    LiveSession session, PresenceTracker presence, CircuitRegistry circuits, CircuitTab tab, SessionSweep sweep) : CircuitHandler
{
    private string? _onlineAs;
    private IDisposable? _counted;
    private IDisposable? _watched;

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (await session.GetUserAsync() is not { } user || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId
            || _onlineAs is not null) return;
        _onlineAs = userId;
        _counted ??= circuits.Open(userId, tab.DisplaceAsync);
        _watched ??= sweep.Watch(user, session.End);
        await presence.ConnectedAsync(userId, cancellationToken);
    }

    public override async Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _onlineAs, null) is { } userId)
            await presence.DisconnectedAsync(userId, cancellationToken);
    }

    /// <summary>Once the account's sessions have ended, the circuit ignores clicks and input: it can no longer act.</summary>
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => session.HasEnded ? Task.CompletedTask : next(context);

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        await OnConnectionDownAsync(circuit, cancellationToken);
        _counted?.Dispose();
        _watched?.Dispose();
        session.Dispose();
    }
}
