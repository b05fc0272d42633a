using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Moderation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

/// <summary>What the operator does for an account on the server's authority. Scoped: it shares the Identity stores' context.</summary>
public sealed class AccountRecovery(UserManager<User> users, FriendConnectDbContext scopedDb, TimeProvider clock)
{
    /// <summary>
    /// Sets a new password for a server without e-mail to hand to the owner; every session of the account ends. The reset
    /// and its audit entry are saved together, or neither is.
    /// </summary>
    public async Task<Result> ResetPasswordAsync(string userId, string newPassword, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("That account doesn't exist.");
        var token = await users.GeneratePasswordResetTokenAsync(user);
        // Identity stores the new hash and stamp with one SaveChanges of this context, which carries the entry too. No
        // transaction around it: open sessions re-check the stamp as soon as it is saved, and must find it committed.
        var entry = new AuditEntry(clock.GetUtcNow().UtcDateTime, AuditActor.CommandLine, AuditAction.PasswordReset, user.Id, null, null, null);
        scopedDb.Audit(entry);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (reset.Succeeded) return Result.Success();
        scopedDb.Entry(entry).State = EntityState.Detached;
        scopedDb.TakeRecordedEvents();
        return DomainError.Validation(string.Join(" ", reset.Errors.Select(e => e.Description)));
    }
}
