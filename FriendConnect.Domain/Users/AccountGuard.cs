using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

internal static class AccountGuard
{
    /// <summary>
    /// Every action starts here: a suspended or deleted account is refused on its next action,
    /// whatever session or circuit it comes from.
    /// </summary>
    public static async Task<DomainError?> CheckActiveAsync(FriendConnectDbContext db, string userId, DateTime now, CancellationToken ct)
    {
        var account = await db.Users.Where(u => u.Id == userId)
            .Select(u => new { u.SuspendedUntil })
            .FirstOrDefaultAsync(ct);
        return account is null ? Gone : Refusal(account.SuspendedUntil, now);
    }

    public static DomainError Gone => DomainError.Forbidden("Your account no longer exists.");

    /// <summary>The same check for a caller that read <c>SuspendedUntil</c> together with its other guards.</summary>
    public static DomainError? Refusal(DateTime? suspendedUntil, DateTime now) =>
        suspendedUntil is { } until && until > now
            ? DomainError.Forbidden(Moderation.ModerationRules.IsIndefinite(until)
                ? "Your account is suspended."
                : $"Your account is suspended until {until:yyyy-MM-dd HH:mm} UTC.")
            : null;
}
