using System.Security.Claims;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FriendConnect.Domain.Users;

/// <summary>
/// Whether a signed-in session may still act: the account exists, is not suspended, and its security stamp is the one
/// the session was issued with. Every cookie, bearer token, refresh token and circuit is held to this one rule on every
/// use; nothing is cached, so a new stamp ends every older session on its next request.
/// </summary>
public sealed class SessionValidator(
    IDbContextFactory<FriendConnectDbContext> dbFactory, IOptions<IdentityOptions> identityOptions, TimeProvider clock)
{
    /// <summary>Null when the session is good; otherwise Forbidden (suspended, with the reason) or NotFound (the session ended).</summary>
    public Task<DomainError?> CheckAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var claims = identityOptions.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claims.UserIdClaimType);
        return userId is null
            ? Task.FromResult<DomainError?>(Ended)
            : CheckAsync(userId, principal.FindFirstValue(claims.SecurityStampClaimType), ct);
    }

    public async Task<DomainError?> CheckAsync(string userId, string? securityStamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.SuspendedUntil, u.SuspensionReason })
            .FirstOrDefaultAsync(ct);
        if (account is null) return DomainError.NotFound("This account no longer exists.");
        // A suspension also renews the stamp, so it is checked first: the person learns why.
        if (account.SuspendedUntil is { } until && until > clock.GetUtcNow().UtcDateTime)
            return DomainError.Forbidden(SuspensionNotice(until, account.SuspensionReason));
        return securityStamp is not null && securityStamp == account.SecurityStamp ? null : Ended;
    }

    /// <summary>What the owner of a suspended account is told, once they have proved who they are.</summary>
    public static string SuspensionNotice(DateTime until, string? reason) => Moderation.ModerationRules.IsIndefinite(until)
        ? $"This account is suspended. Reason: {reason}"
        : $"This account is suspended until {until:yyyy-MM-dd HH:mm} UTC. Reason: {reason}";

    private static readonly DomainError Ended = DomainError.NotFound(
        "This session has ended: the password was changed, two-factor sign-in changed, or you signed out everywhere. Sign in again.");
}
