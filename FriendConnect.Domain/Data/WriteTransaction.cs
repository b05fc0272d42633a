using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FriendConnect.Domain.Data;

/// <summary>
/// A check-then-write as one step: nobody else writing for the same people can slip between the checks (friend cap,
/// action limits, duplicates, an existing report) and the write. On SQLite the transaction begins IMMEDIATE, so writers
/// take turns. On PostgreSQL it locks the people's user rows first — in one statement, in id order, so two writers
/// never wait on each other in a cycle — and every later statement of the transaction sees what the previous holder
/// committed.
/// </summary>
internal static class WriteTransaction
{
    public static async Task<IDbContextTransaction> BeginWriteAsync(
        this FriendConnectDbContext db, IReadOnlyCollection<string> lockedUserIds, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockUsersAsync(lockedUserIds, ct);
        return transaction;
    }

    /// <summary>Inside a write transaction: locks these users' rows too (already-held locks are no-ops).</summary>
    public static async Task LockUsersAsync(this FriendConnectDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        if (db.Database.IsSqlite() || userIds.Count == 0) return;
        var ids = userIds.Distinct().ToArray();
        // NO KEY UPDATE: excludes other writers of these users, but not inserts whose foreign keys merely point at them.
        await db.Database.ExecuteSqlAsync(
            $"""SELECT 1 FROM "AspNetUsers" WHERE "Id" = ANY({ids}) ORDER BY "Id" FOR NO KEY UPDATE""", ct);
    }
}
