using System.Security.Claims;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FriendConnect.Domain.Users;

/// <summary>A signed-in session as it was opened: whose it is, and the security stamp it was issued with.</summary>
public sealed record OpenSession(string UserId, string? SecurityStamp);

/// <summary>
/// Whether a signed-in session may still act: the account exists, is not suspended, and its security stamp is the one
/// the session was issued with. Every cookie, bearer token, refresh token, circuit and event stream is held to this one
/// rule; nothing is cached, so a new stamp ends every older session on its next request or the node's next sweep.
/// </summary>
public sealed class SessionValidator(
    IDbContextFactory<FriendConnectDbContext> dbFactory, IOptions<IdentityOptions> identityOptions, TimeProvider clock)
{
    /// <summary>The session <paramref name="principal"/> carries, or null for a visitor.</summary>
    public OpenSession? SessionOf(ClaimsPrincipal principal)
    {
        var claims = identityOptions.Value.ClaimsIdentity;
        return principal.FindFirstValue(claims.UserIdClaimType) is { } userId
            ? new OpenSession(userId, principal.FindFirstValue(claims.SecurityStampClaimType))
            : null;
    }

    /// <summary>Null when the session is good; otherwise Forbidden (suspended, with the reason) or NotFound (the session ended).</summary>
    public Task<DomainError?> CheckAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        SessionOf(principal) is { } session ? CheckAsync(session.UserId, session.SecurityStamp, ct) : Task.FromResult<DomainError?>(Ended);

    public async Task<DomainError?> CheckAsync(string userId, string? securityStamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await States(db.Users.Where(u => u.Id == userId)).FirstOrDefaultAsync(ct);
        return Judge(account, securityStamp);
    }

    /// <summary>
    /// The sessions among <paramref name="sessions"/> that may no longer act, read in one query for all their accounts:
    /// the caller keeps a batch to as many distinct users as one query should name.
    /// </summary>
    public async Task<IReadOnlySet<OpenSession>> FindEndedAsync(IReadOnlyCollection<OpenSession> sessions, CancellationToken ct = default)
    {
        if (sessions.Count == 0) return new HashSet<OpenSession>();
        var userIds = sessions.Select(s => s.UserId).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accounts = await States(db.Users.Where(u => userIds.Contains(u.Id))).TagWith("Session sweep").ToDictionaryAsync(a => a.Id, ct);
        return sessions.Where(s => Judge(accounts.GetValueOrDefault(s.UserId), s.SecurityStamp) is not null).ToHashSet();
    }

    private static IQueryable<AccountState> States(IQueryable<User> accounts) =>
        accounts.AsNoTracking().Select(u => new AccountState(u.Id, u.SecurityStamp, u.SuspendedUntil, u.SuspensionReason));

    private DomainError? Judge(AccountState? account, string? securityStamp)
    {
        if (account is null) return DomainError.NotFound("This account no longer exists.");
        // A suspension also renews the stamp, so it is checked first: the person learns why.
        if (account.SuspendedUntil is { } until && until > clock.GetUtcNow().UtcDateTime)
            return DomainError.Forbidden(SuspensionNotice(until, account.SuspensionReason));
        return securityStamp is not null && securityStamp == account.SecurityStamp ? null : Ended;
    }

    private sealed record AccountState(string Id, string? SecurityStamp, DateTime? SuspendedUntil, string? SuspensionReason);

    /// <summary>What the owner of a suspended account is told, once they have proved who they are.</summary>
    public static string SuspensionNotice(DateTime until, string? reason) => Moderation.ModerationRules.IsIndefinite(until)
        ? $"This account is suspended. Reason: {reason}"
        : $"This account is suspended until {until:yyyy-MM-dd HH:mm} UTC. Reason: {reason}";

    private static readonly DomainError Ended = DomainError.NotFound(
        "This session has ended: the password was changed, two-factor sign-in changed, or you signed out everywhere. Sign in again.");
}
