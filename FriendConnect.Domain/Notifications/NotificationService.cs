using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Notifications;

public sealed record NotificationView(long Id, NotificationKind Kind, UserSummary Actor, string Text, DateTime CreatedAt, bool IsRead);

public sealed class NotificationService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    TimeProvider clock)
{
    public async Task<int> GetUnreadCountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.RecipientId == userId && n.ReadAt == null, ct);
    }

    /// <summary>
    /// Newest first; pass the smallest id seen as <paramref name="beforeId"/> for the next page. Each actor is shown as the
    /// recipient may see them today, and a posted status is quoted only while the recipient may still see the actor's status.
    /// </summary>
    public async Task<IReadOnlyList<NotificationView>> GetRecentAsync(
        string userId, int take, long? beforeId = null, CancellationToken ct = default)
    {
        take = Paging.Take(take);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, userId, ct);
        var actor = UserSummary.SeenBy(db, viewer);
        var seesStatus = Audience.SeesStatus(db, viewer);
        var query = db.Notifications.AsNoTracking().Where(n => n.RecipientId == userId);
        if (beforeId is not null) query = query.Where(n => n.Id < beforeId);

        var rows = await query
            .OrderByDescending(n => n.Id)
            .Take(take)
            .Select(n => new
            {
                n.Id, n.Kind, n.CreatedAt, n.ReadAt,
                Actor = db.Users.Where(u => u.Id == n.ActorId).Select(actor).FirstOrDefault(),
                StatusText = n.Kind == NotificationKind.StatusPosted && db.Users.Where(u => u.Id == n.ActorId).Any(seesStatus)
                    ? db.StatusUpdates.Where(s => s.Id == n.SubjectId && !s.IsHidden).Select(s => s.Text).FirstOrDefault()
                    : null,
            })
            .ToListAsync(ct);

        return rows
            .Where(r => r.Actor is not null)
            .OrderByDescending(r => r.Id)
            .Select(r => View(r.Id, r.Kind, r.Actor!, r.StatusText, r.CreatedAt, r.ReadAt))
            .ToList();
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
        return await db.Notifications.Where(n => n.RecipientId == userId).MaxAsync(n => (long?)n.Id, ct) ?? 0;
    }

    /// <summary>Notifications after <paramref name="afterId"/>, oldest first: what an event stream still has to deliver.</summary>
    public async Task<IReadOnlyList<NotificationView>> GetAfterAsync(string userId, long afterId, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.RecipientId == userId && n.Id > afterId)
            .OrderBy(n => n.Id)
            .Take(Paging.Take(take))
            .Select(n => n.Id)
            .ToListAsync(ct);
        if (rows.Count == 0) return [];
        var views = await GetRecentAsync(userId, rows.Count, rows[^1] + 1, ct);
        return views.Where(v => v.Id > afterId).OrderBy(v => v.Id).ToList();
    }

    /// <summary>Marks one of the user's notifications read; reading it twice is fine, someone else's is not found.</summary>
    public async Task<Result> MarkReadAsync(string userId, long notificationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var changed = await db.Notifications
                .Where(n => n.Id == notificationId && n.RecipientId == userId && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
            if (changed > 0)
            {
                db.Record(new NotificationsRead(userId));
                await tx.CommitAsync(ct);
                return Result.Success();
            }
        }
        return await db.Notifications.AnyAsync(n => n.Id == notificationId && n.RecipientId == userId, ct)
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
