using Microsoft.AspNetCore.Components;

namespace FriendConnect.Web.Components.Layout;

/// <summary>
/// The light/dark choice for one page: read from the theme cookie while prerendering and carried into the circuit
/// (a persistent service, so it survives whatever component tree the circuit renders first), so dark never flashes light.
/// </summary>
public sealed class ThemeState
{
    [PersistentState] public bool? IsDark { get; set; }
}
