using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

/// <summary>
/// Whether a signed-in session may still act: the account exists, is not suspended, and its security stamp is the one
/// the session was issued with. Bearer tokens carry no check of their own against suspensions; this is it.
/// </summary>
public sealed class SessionValidator(IDbContextFactory<FriendConnectDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Null when the session is good; otherwise Forbidden (suspended) or NotFound (the session ended).</summary>
    public async Task<DomainError?> CheckAsync(string userId, string? securityStamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A suspension also renews the stamp, so it is checked first: the person learns why.
        if (await AccountGuard.CheckActiveAsync(db, userId, clock.GetUtcNow().UtcDateTime, ct) is { Kind: ErrorKind.Forbidden } refused
            && await db.Users.AnyAsync(u => u.Id == userId, ct))
            return refused;
        var stamp = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(ct);
        if (stamp is null || (securityStamp is not null && securityStamp != stamp))
            return DomainError.NotFound("This session is no longer valid (the account was deleted or its password changed). Sign in again.");
        return null;
    }
}
