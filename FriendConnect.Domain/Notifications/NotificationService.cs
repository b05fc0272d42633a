using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Notifications;

public sealed record NotificationView(long Id, NotificationKind Kind, UserSummary Actor, string Text, DateTime CreatedAt, bool IsRead);

/// <summary>An unread count and the newest notification id it accounts for.</summary>
public sealed record UnreadThrough(int Count, long Through);

public sealed class NotificationService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    TimeProvider clock)
{
    public async Task<int> GetUnreadCountAsync(string userId, CancellationToken ct = default) =>
        (await GetUnreadAsync(userId, ct)).Count;

    /// <summary>
    /// The unread count and the newest notification id of anyone as of the same moment: a notification that arrives
    /// live with a larger id is not in the count yet, one with a smaller or equal id already is.
    /// </summary>
    public async Task<UnreadThrough> GetUnreadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var direct = await db.Notifications.CountAsync(n => n.RecipientId == userId && n.ReadAt == null, ct);
        var posts = await UnreadPosts(db, userId).CountAsync(ct);
        return new UnreadThrough(direct + posts, await NewestIdAsync(db, ct));
    }

    /// <summary>
    /// Newest first; pass the smallest id seen as <paramref name="beforeId"/> for the next page. Each actor is shown as the
    /// recipient may see them today, and a posted status is quoted only while the recipient may still see the actor's status.
    /// </summary>
    public async Task<IReadOnlyList<NotificationView>> GetRecentAsync(
        string userId, int take, long? beforeId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        return await RecentAsync(db, userId, take, beforeId, ct);
    }

    private static async Task<IReadOnlyList<NotificationView>> RecentAsync(
        FriendConnectDbContext db, string userId, int take, long? beforeId, CancellationToken ct)
    {
        take = Paging.Take(take);
        var viewer = await Audience.ResolveAsync(db, userId, ct);
        var actor = UserSummary.SeenBy(db, viewer);
        var seesStatus = Audience.SeesStatus(db, viewer);
        var readThrough = ReadThrough(db, userId);
        var direct = db.Notifications.AsNoTracking().Where(n => n.RecipientId == userId);
        var posts = FriendsPosts(db, userId);
        if (beforeId is not null)
        {
            direct = direct.Where(n => n.Id < beforeId);
            posts = posts.Where(n => n.Id < beforeId);
        }

        // Two newest-first reads of at most one page each, merged: rows written for the user, and friends' posts.
        var rows = await direct.OrderByDescending(n => n.Id).Take(take)
            .Select(n => new Row(n.Id, n.Kind, n.ActorId, n.SubjectId, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(ct);
        rows.AddRange(await posts.OrderByDescending(n => n.Id).Take(take)
            .Select(n => new Row(n.Id, n.Kind, n.ActorId, n.SubjectId, n.CreatedAt,
                n.Id <= readThrough.FirstOrDefault() || db.NotificationReads.Any(r => r.UserId == userId && r.NotificationId == n.Id)))
            .ToListAsync(ct));
        rows = rows.OrderByDescending(r => r.Id).Take(take).ToList();

        var actorIds = rows.Select(r => r.ActorId).Distinct().ToList();
        var actors = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id)).Select(actor).ToDictionaryAsync(a => a.Id, ct);
        var statusVisible = (await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id)).Where(seesStatus).Select(u => u.Id)
            .ToListAsync(ct)).ToHashSet();
        var statusIds = rows.Where(r => r.Kind == NotificationKind.StatusPosted).Select(r => r.SubjectId).ToList();
        var statusTexts = await db.StatusUpdates.AsNoTracking().Where(s => statusIds.Contains(s.Id) && !s.IsHidden)
            .ToDictionaryAsync(s => s.Id, s => s.Text, ct);

        return rows
            .Where(r => actors.ContainsKey(r.ActorId))
            .Select(r =>
            {
                var statusText = r.Kind == NotificationKind.StatusPosted && statusVisible.Contains(r.ActorId)
                    ? statusTexts.GetValueOrDefault(r.SubjectId)
                    : null;
                return View(r.Id, r.Kind, actors[r.ActorId], statusText, r.CreatedAt, r.IsRead ? r.CreatedAt : null);
            })
            .ToList();
    }

    private sealed record Row(long Id, NotificationKind Kind, string ActorId, long SubjectId, DateTime CreatedAt, bool IsRead);

    /// <summary>
    /// Friends' status posts the user is notified of: posted while the two were friends, by someone the user has not
    /// muted, and not hidden by a moderator. A block ends the friendship, so it ends these too.
    /// </summary>
    internal static IQueryable<Notification> FriendsPosts(FriendConnectDbContext db, string userId) =>
        db.Friendships.Where(f => f.UserId == userId)
            .Join(db.Notifications.Where(n => n.RecipientId == null), f => f.FriendId, n => n.ActorId, (f, n) => new { f.NotifyAfterId, n })
            .Where(x => x.n.Id > x.NotifyAfterId)
            .Select(x => x.n)
            .Where(n => !db.Mutes.Any(m => m.UserId == userId && m.MutedId == n.ActorId && n.Id > m.AfterId))
            .Where(n => !db.StatusUpdates.Any(s => s.Id == n.SubjectId && s.IsHidden))
            .AsNoTracking();

    /// <summary>The newest notification id of anyone; read inside a write transaction, it splits "before" from "after" exactly.</summary>
    internal static async Task<long> NewestIdAsync(FriendConnectDbContext db, CancellationToken ct) =>
        await db.Notifications.MaxAsync(n => (long?)n.Id, ct) ?? 0;

    private static IQueryable<long> ReadThrough(FriendConnectDbContext db, string userId) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.NotificationsReadThrough);

    private static IQueryable<Notification> UnreadPosts(FriendConnectDbContext db, string userId)
    {
        var readThrough = ReadThrough(db, userId);
        return FriendsPosts(db, userId)
            .Where(n => n.Id > readThrough.FirstOrDefault())
            .Where(n => !db.NotificationReads.Any(r => r.UserId == userId && r.NotificationId == n.Id));
    }

    internal static NotificationView View(long id, NotificationKind kind, UserSummary actor, string? statusText, DateTime createdAt, DateTime? readAt)
    {
        // A report's outcome names the reported person, who may have blocked the reporter since: showing their status
        // here would differ between the two cases and tell the reporter about the block.
        if (kind == NotificationKind.ReportResolved) actor = actor.WithoutStatus();
        return new NotificationView(id, kind, actor, Describe(kind, actor.DisplayName, statusText), createdAt, readAt != null);
    }

    /// <summary>The newest notification id of a user, or 0: where a fresh event stream starts.</summary>
    public async Task<long> GetLatestIdAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var direct = await db.Notifications.Where(n => n.RecipientId == userId).MaxAsync(n => (long?)n.Id, ct) ?? 0;
        var posts = await FriendsPosts(db, userId).MaxAsync(n => (long?)n.Id, ct) ?? 0;
        return Math.Max(direct, posts);
    }

    /// <summary>Notifications after <paramref name="afterId"/>, oldest first: what an event stream still has to deliver.</summary>
    public async Task<IReadOnlyList<NotificationView>> GetAfterAsync(string userId, long afterId, int take, CancellationToken ct = default)
    {
        take = Paging.Take(take);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The ids and the views come from one snapshot: what commits meanwhile is read next time, after these ids.
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var ids = await db.Notifications.Where(n => n.RecipientId == userId && n.Id > afterId)
            .OrderBy(n => n.Id).Take(take).Select(n => n.Id).ToListAsync(ct);
        ids.AddRange(await FriendsPosts(db, userId).Where(n => n.Id > afterId)
            .OrderBy(n => n.Id).Take(take).Select(n => n.Id).ToListAsync(ct));
        if (ids.Count == 0) return [];
        ids = ids.Order().Take(take).ToList();
        var views = await RecentAsync(db, userId, ids.Count, ids[^1] + 1, ct);
        return views.Where(v => v.Id > afterId).OrderBy(v => v.Id).ToList();
    }

    /// <summary>Marks one of the user's notifications read; reading it twice is fine, someone else's is not found.</summary>
    public async Task<Result> MarkReadAsync(string userId, long notificationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.BeginWriteAsync([userId], ct);
        var changed = await db.Notifications
            .Where(n => n.Id == notificationId && n.RecipientId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (changed == 0 && await UnreadPosts(db, userId).AnyAsync(n => n.Id == notificationId, ct))
        {
            db.NotificationReads.Add(new NotificationRead { UserId = userId, NotificationId = notificationId });
            await db.SaveChangesAsync(ct);
            changed = 1;
        }
        if (changed > 0)
        {
            db.Record(new NotificationsRead(userId));
            await tx.CommitAsync(ct);
            return Result.Success();
        }
        return await db.Notifications.AnyAsync(n => n.Id == notificationId && n.RecipientId == userId, ct)
            || await FriendsPosts(db, userId).AnyAsync(n => n.Id == notificationId, ct)
            ? Result.Success()
            : DomainError.NotFound("That notification doesn't exist.");
    }

    public async Task MarkAllReadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Notifications
            .Where(n => n.RecipientId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (await UnreadPosts(db, userId).MaxAsync(n => (long?)n.Id, ct) is { } newest)
        {
            changed += await db.Users.Where(u => u.Id == userId && u.NotificationsReadThrough < newest)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.NotificationsReadThrough, newest), ct);
            await db.NotificationReads.Where(r => r.UserId == userId && r.NotificationId <= newest).ExecuteDeleteAsync(ct);
        }
        if (changed > 0) db.Record(new NotificationsRead(userId));
        await tx.CommitAsync(ct);
    }

    private static string Describe(NotificationKind kind, string actor, string? statusText) => kind switch
    {
        NotificationKind.FriendRequestReceived => $"{actor} sent you a friend request",
        NotificationKind.FriendRequestAccepted => $"{actor} accepted your friend request",
        NotificationKind.StatusPosted when statusText is not null => $"{actor} posted: “{statusText}”",
        NotificationKind.StatusPosted => $"{actor} posted a status update",
        NotificationKind.ReportResolved => $"A moderator reviewed your report about {actor}. Thank you for helping keep FriendConnect safe.",
        _ => $"{actor} did something",
    };
}
