using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Web.Hosting;

/// <summary>An upgrade that could not be applied; the database is as it was before.</summary>
public sealed class UpgradeFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Applies pending migrations safely. On SQLite an existing database is backed up first, and a migration that fails puts
/// that backup back, so the previous release still runs on it. On PostgreSQL each migration is one transaction, and a
/// database-wide advisory lock lets one node at a time migrate: nodes that start together never race, and the ones that
/// wait find nothing left to do.
/// </summary>
public sealed class DatabaseUpgrade(
    IDbContextFactory<FriendConnectDbContext> dbFactory, Backups backups, string backupDirectory, TimeProvider clock, ILogger logger)
{
    /// <summary>The advisory lock's key: any fixed number no other part of the app uses ("FCMIGRAT" in ASCII).</summary>
    private const long MigrationLockKey = 0x4643_4D49_4752_4154;

    /// <summary>The migrations still to apply, oldest first.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
    }

    public async Task ApplyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            await ApplyToSqliteAsync(db, ct);
            return;
        }
        // The lock belongs to this session: the connection stays open until it is released.
        await db.Database.OpenConnectionAsync(ct);
        logger.LogInformation("Waiting for the database's migration lock.");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct);
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count == 0) return;
            try
            {
                await db.Database.MigrateAsync(ct);
                logger.LogInformation("Applied migrations: {Migrations}.", string.Join(", ", pending));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new UpgradeFailedException(
                    $"The upgrade failed while applying migrations ({string.Join(", ", pending)}): {e.Message} " +
                    "The failing migration was rolled back; those before it stay applied. Fix the cause and run migrate again.", e);
            }
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task ApplyToSqliteAsync(FriendConnectDbContext db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            string? backup = null;
            if ((await db.Database.GetAppliedMigrationsAsync(ct)).Any())
            {
                backup = Path.Combine(backupDirectory, $"before-{pending[^1]}-{clock.GetUtcNow():yyyyMMdd-HHmmss}.zip");
                await backups.CreateAsync(backup, ct);
                logger.LogInformation("Backed up the database to {Backup} before applying {Count} migration(s).", backup, pending.Count);
            }
            try
            {
                await db.Database.MigrateAsync(ct);
                logger.LogInformation("Applied migrations: {Migrations}.", string.Join(", ", pending));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await db.Database.CloseConnectionAsync();
                if (backup is not null) backups.Restore(backup, includeKeys: false);
                throw new UpgradeFailedException(backup is null
                    ? $"Creating the database failed in migration {pending[0]}: {e.Message}"
                    : $"The upgrade failed while applying migrations ({string.Join(", ", pending)}): {e.Message} " +
                      $"The database was put back as it was from {backup}. Run the previous release, or fix the cause and start again.", e);
            }
        }
        await SqliteDatabase.UseWriteAheadLogAsync(db, ct);
    }
}
