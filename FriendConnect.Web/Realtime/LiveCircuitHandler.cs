using Microsoft.AspNetCore.Components.Server.Circuits;

namespace FriendConnect.Web.Realtime;

/// <summary>Ends the circuit's live subscription the moment the circuit closes, not when its scope is collected.</summary>
public sealed class LiveCircuitHandler(LiveSession session) : CircuitHandler
{
    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        session.Dispose();
        return Task.CompletedTask;
    }
}
