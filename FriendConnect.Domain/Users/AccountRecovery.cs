using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Moderation;
using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Domain.Users;

/// <summary>What the operator does for an account on the server's authority. Scoped: it shares the Identity stores' context.</summary>
public sealed class AccountRecovery(UserManager<User> users, FriendConnectDbContext scopedDb, TimeProvider clock)
{
    /// <summary>
    /// Sets a new password for a server without e-mail to hand to the owner; every session of the account ends. The reset
    /// and its audit entry commit together.
    /// </summary>
    public async Task<Result> ResetPasswordAsync(string userId, string newPassword, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("That account doesn't exist.");
        await using var tx = await scopedDb.Database.BeginTransactionAsync(ct);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (!reset.Succeeded) return DomainError.Validation(string.Join(" ", reset.Errors.Select(e => e.Description)));
        scopedDb.Audit(new AuditEntry(clock.GetUtcNow().UtcDateTime, AuditActor.CommandLine, AuditAction.PasswordReset, user.Id, null, null, null));
        await scopedDb.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Success();
    }
}
