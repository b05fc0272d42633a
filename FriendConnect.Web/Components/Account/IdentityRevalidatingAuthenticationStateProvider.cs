using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using FriendConnect.Domain.Users;

namespace FriendConnect.Web.Components.Account;

/// <summary>
/// Re-checks a circuit's user against the session rule every minute. The live "signed out" event ends a circuit within
/// a second (LiveSession); this is the backstop for a circuit that missed it.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, SessionValidator sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await sessions.CheckAsync(authenticationState.User, cancellationToken) is null;
}
