using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FriendConnect.Domain.Data;

/// <summary>
/// Several reads that must agree with each other, as of one moment. Without it, a write committed between two queries
/// of one answer can show a newer item while hiding an older one, and a reader that remembers "the last id I saw"
/// would then skip the older one for good.
/// </summary>
internal static class ReadSnapshot
{
    public static async Task<IDbContextTransaction> BeginAsync(FriendConnectDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        // A deferred transaction takes no write lock; in WAL mode its first read fixes the snapshot every later read sees.
        await db.Database.OpenConnectionAsync(ct);
        var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        return (await db.Database.UseTransactionAsync(transaction, ct))!;
    }
}
