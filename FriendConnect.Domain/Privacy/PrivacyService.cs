using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Privacy;

/// <summary>Privacy settings, blocks and mutes.</summary>
public sealed class PrivacyService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    TimeProvider clock)
{
    public async Task<PrivacySettings> GetSettingsAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Privacy).FirstOrDefaultAsync(ct);
        return settings is null ? new PrivacySettings() : settings with { };
    }

    public async Task<Result> UpdateSettingsAsync(string userId, PrivacySettings settings, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(settings.WhoCanSendRequests) || !Enum.IsDefined(settings.WhoSeesStatus) || !Enum.IsDefined(settings.WhoSeesFriends))
            return DomainError.Validation("Choose one of the offered options.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await AccountGuard.CheckActiveAsync(db, userId, clock.GetUtcNow().UtcDateTime, ct) is { } inactive) return inactive;
        var user = await db.Users.FirstAsync(u => u.Id == userId, ct);
        user.Privacy.WhoCanSendRequests = settings.WhoCanSendRequests;
        user.Privacy.WhoSeesStatus = settings.WhoSeesStatus;
        user.Privacy.WhoSeesFriends = settings.WhoSeesFriends;
        user.Privacy.ShowInDirectory = settings.ShowInDirectory;
        db.Record(new PrivacyChanged(userId));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }

    /// <summary>
    /// Ends the friendship, cancels pending requests both ways and removes the notifications each caused the other;
    /// from then on the two are invisible to each other.
    /// </summary>
    public async Task<Result> BlockAsync(string blockerId, string blockedId, CancellationToken ct = default)
    {
        if (blockerId == blockedId) return DomainError.Validation("You can't block yourself.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await AccountGuard.CheckActiveAsync(db, blockerId, now, ct) is { } inactive) return inactive;
        if (!await db.Users.Where(u => u.Id == blockedId).AnyAsync(Audience.NotHiddenFrom(db, blockerId), ct))
            return DomainError.NotFound("That user doesn't exist.");
        if (await db.Blocks.AnyAsync(b => b.BlockerId == blockerId && b.BlockedId == blockedId, ct))
            return Result.Success();

        db.Blocks.Add(new Block { BlockerId = blockerId, BlockedId = blockedId, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        await db.Friendships
            .Where(f => (f.UserId == blockerId && f.FriendId == blockedId) || (f.UserId == blockedId && f.FriendId == blockerId))
            .ExecuteDeleteAsync(ct);
        await db.FriendRequests
            .Where(r => r.State == FriendRequestState.Pending
                && ((r.FromUserId == blockerId && r.ToUserId == blockedId) || (r.FromUserId == blockedId && r.ToUserId == blockerId)))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, FriendRequestState.Cancelled).SetProperty(r => r.RespondedAt, now), ct);
        await db.Notifications
            .Where(n => (n.RecipientId == blockerId && n.ActorId == blockedId) || (n.RecipientId == blockedId && n.ActorId == blockerId))
            .ExecuteDeleteAsync(ct);
        await db.Mutes
            .Where(m => (m.UserId == blockerId && m.MutedId == blockedId) || (m.UserId == blockedId && m.MutedId == blockerId))
            .ExecuteDeleteAsync(ct);
        db.Record(new Blocked(blockerId, blockedId));
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    public async Task<Result> UnblockAsync(string blockerId, string blockedId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await AccountGuard.CheckActiveAsync(db, blockerId, clock.GetUtcNow().UtcDateTime, ct) is { } inactive) return inactive;
        var removed = await db.Blocks.Where(b => b.BlockerId == blockerId && b.BlockedId == blockedId).ExecuteDeleteAsync(ct);
        if (removed == 0) return DomainError.NotFound("You haven't blocked that user.");
        db.Record(new Unblocked(blockerId, blockedId));
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    /// <summary>People the viewer blocked; the audience rule shows none of their status.</summary>
    public async Task<IReadOnlyList<UserSummary>> GetBlockedAsync(string viewerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        return await db.Blocks.Where(b => b.BlockerId == viewerId)
            .Join(db.Users, b => b.BlockedId, u => u.Id, (b, u) => u)
            .OrderBy(u => u.NormalizedUserName)
            .Select(UserSummary.SeenBy(db, viewer))
            .ToListAsync(ct);
    }

    /// <summary>Mutes a friend: their updates stop notifying the user and leave the feed. The friend is not told.</summary>
    public async Task<Result> MuteAsync(string userId, string friendId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await AccountGuard.CheckActiveAsync(db, userId, now, ct) is { } inactive) return inactive;
        if (!await db.Friendships.AnyAsync(f => f.UserId == userId && f.FriendId == friendId, ct))
            return DomainError.Validation("You can only mute your friends.");
        if (!await db.Mutes.AnyAsync(m => m.UserId == userId && m.MutedId == friendId, ct))
        {
            db.Mutes.Add(new Mute { UserId = userId, MutedId = friendId, CreatedAt = now, AfterId = await NotificationService.NewestIdAsync(db, ct) });
            await db.SaveChangesAsync(ct);
        }
        db.Record(new MuteChanged(userId, friendId, Muted: true));
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    public async Task<Result> UnmuteAsync(string userId, string friendId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await AccountGuard.CheckActiveAsync(db, userId, clock.GetUtcNow().UtcDateTime, ct) is { } inactive) return inactive;
        var removed = await db.Mutes.Where(m => m.UserId == userId && m.MutedId == friendId).ExecuteDeleteAsync(ct);
        if (removed == 0) return DomainError.NotFound("That friend isn't muted.");
        // Posts made during the mute stay unnotified; the next one notifies again.
        var notifyAfter = await NotificationService.NewestIdAsync(db, ct);
        await db.Friendships.Where(f => f.UserId == userId && f.FriendId == friendId)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.NotifyAfterId, notifyAfter), ct);
        db.Record(new MuteChanged(userId, friendId, Muted: false));
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    /// <summary>People the viewer muted, as the viewer may see them now (a muted friend may since have become an ex-friend).</summary>
    public async Task<IReadOnlyList<UserSummary>> GetMutedAsync(string viewerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        return await db.Mutes.Where(m => m.UserId == viewerId)
            .Join(db.Users, m => m.MutedId, u => u.Id, (m, u) => u)
            .OrderBy(u => u.NormalizedUserName)
            .Select(UserSummary.SeenBy(db, viewer))
            .ToListAsync(ct);
    }
}
