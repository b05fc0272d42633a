using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Statuses;

public sealed record FeedItem(long StatusId, UserSummary Author, string Text, DateTime CreatedAt);

/// <summary>Where the next feed page starts: after this (time, id), newest first.</summary>
public sealed record FeedCursor(DateTime CreatedAt, long Id);

public sealed class StatusService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    ILiveEventPublisher live,
    TimeProvider clock)
{
    public const int MaxFeedPageSize = 50;

    public async Task<Result<FeedItem>> PostAsync(string userId, string? text, CancellationToken ct = default)
    {
        var normalized = StatusRules.Normalize(text);
        if (!normalized.Succeeded) return Result<FeedItem>.Failure(normalized.Errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var author = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (author is null) return DomainError.NotFound("Your account no longer exists.");

        var now = clock.GetUtcNow().UtcDateTime;
        var status = new StatusUpdate { AuthorId = userId, Text = normalized.Value!, CreatedAt = now };
        db.StatusUpdates.Add(status);
        author.StatusText = status.Text;
        author.StatusAt = now;
        await db.SaveChangesAsync(ct);

        // One set-based insert writes every friend's notification row, however many friends there are.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Notifications" ("RecipientId", "Kind", "ActorId", "SubjectId", "CreatedAt")
            SELECT "FriendId", {(int)NotificationKind.StatusPosted}, {userId}, {status.Id}, {now}
            FROM "Friendships" WHERE "UserId" = {userId}
            """, ct);
        var friendIds = await db.Friendships.Where(f => f.UserId == userId).Select(f => f.FriendId).ToListAsync(ct);
        await tx.CommitAsync(ct);

        var summary = new UserSummary(author.Id, author.UserName!, author.DisplayName, author.StatusText, author.StatusAt);
        await live.PublishAsync(friendIds, new LiveEvent(
            LiveChange.Notifications | LiveChange.Feed | LiveChange.Friends,
            $"{author.DisplayName}: {Shorten(status.Text)}"));
        await live.PublishAsync([userId], new LiveEvent(LiveChange.Profile));
        return new FeedItem(status.Id, summary, status.Text, now);
    }

    /// <summary>Friends' visible status updates, newest first, keyset-paged.</summary>
    public async Task<KeysetPage<FeedItem, FeedCursor>> GetFeedAsync(
        string userId, FeedCursor? after, int take, CancellationToken ct = default)
    {
        take = Math.Clamp(take, 1, MaxFeedPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.StatusUpdates.AsNoTracking()
            .Where(s => !s.IsHidden)
            .Where(s => db.Friendships.Any(f => f.UserId == userId && f.FriendId == s.AuthorId));
        if (after is not null)
            query = query.Where(s => s.CreatedAt < after.CreatedAt || (s.CreatedAt == after.CreatedAt && s.Id < after.Id));

        var items = await query
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(take + 1)
            .Join(db.Users, s => s.AuthorId, u => u.Id, (s, u) => new FeedItem(
                s.Id, new UserSummary(u.Id, u.UserName!, u.DisplayName, u.StatusText, u.StatusAt), s.Text, s.CreatedAt))
            .ToListAsync(ct);
        items = items.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.StatusId).ToList();
        var next = items.Count > take ? new FeedCursor(items[take - 1].CreatedAt, items[take - 1].StatusId) : null;
        return new KeysetPage<FeedItem, FeedCursor>(items.Take(take).ToList(), next);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..79] + "…";
}
