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
        await using var tx = await db.BeginWriteAsync([blockerId, blockedId], ct);
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

    /// <summary>People the viewer blocked, by username; the audience rule shows none of their status.</summary>
    public async Task<IReadOnlyList<UserSummary>> GetBlockedAsync(string viewerId, CancellationToken ct = default) =>
        (await PeopleAsync(viewerId, Blocked(viewerId), afterUserName: null, take: null, ct)).Items;

    /// <summary>
    /// The same list keyset-paged by username: pass the last username seen as <paramref name="afterUserName"/>;
    /// <paramref name="take"/> is clamped by <see cref="Paging"/>.
    /// </summary>
    public Task<KeysetPage<UserSummary, string>> GetBlockedPageAsync(
        string viewerId, string? afterUserName, int? take, CancellationToken ct = default) =>
        PeopleAsync(viewerId, Blocked(viewerId), afterUserName, Paging.Take(take), ct);

    private static Func<FriendConnectDbContext, IQueryable<User>> Blocked(string viewerId) => db =>
        db.Blocks.Where(b => b.BlockerId == viewerId).Join(db.Users, b => b.BlockedId, u => u.Id, (b, u) => u);

    /// <summary>Mutes a friend: their updates stop notifying the user and leave the feed. The friend is not told.</summary>
    public async Task<Result> MuteAsync(string userId, string friendId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.BeginWriteAsync([userId, friendId], ct);
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

    /// <summary>People the viewer muted, by username, as the viewer may see them now (a muted friend may since have become an ex-friend).</summary>
    public async Task<IReadOnlyList<UserSummary>> GetMutedAsync(string viewerId, CancellationToken ct = default) =>
        (await PeopleAsync(viewerId, Muted(viewerId), afterUserName: null, take: null, ct)).Items;

    /// <summary>
    /// The same list keyset-paged by username: pass the last username seen as <paramref name="afterUserName"/>;
    /// <paramref name="take"/> is clamped by <see cref="Paging"/>.
    /// </summary>
    public Task<KeysetPage<UserSummary, string>> GetMutedPageAsync(
        string viewerId, string? afterUserName, int? take, CancellationToken ct = default) =>
        PeopleAsync(viewerId, Muted(viewerId), afterUserName, Paging.Take(take), ct);

    private static Func<FriendConnectDbContext, IQueryable<User>> Muted(string viewerId) => db =>
        db.Mutes.Where(m => m.UserId == viewerId).Join(db.Users, m => m.MutedId, u => u.Id, (m, u) => u);

    /// <summary>
    /// A list of people in username order after <paramref name="afterUserName"/>, each as the viewer may see them:
    /// <paramref name="take"/> of them and where the next page starts, or all of them when <paramref name="take"/> is null.
    /// </summary>
    private async Task<KeysetPage<UserSummary, string>> PeopleAsync(
        string viewerId, Func<FriendConnectDbContext, IQueryable<User>> people, string? afterUserName, int? take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        var ordered = people(db).AsNoTracking().After(afterUserName);
        var read = await (take is null ? ordered : ordered.Take(take.Value + 1))
            .Select(UserSummary.SeenBy(db, viewer))
            .ToListAsync(ct);
        if (take is null) return new KeysetPage<UserSummary, string>(read, null);
        return new KeysetPage<UserSummary, string>(read.Take(take.Value).ToList(), UserNameKeyset.Next(read, take.Value));
    }
}
