using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Statuses;

public sealed record FeedItem(long StatusId, UserSummary Author, string Text, DateTime CreatedAt);

/// <summary>Where the next newest-first page (the feed, a history, pending requests) starts: after this (time, id).</summary>
public sealed record FeedCursor(DateTime CreatedAt, long Id);

public sealed class StatusService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    TimeProvider clock,
    ActionLimits limits)
{
    public const int MaxFeedPageSize = 50;

    /// <summary>Up to this many friends the feed is read friend by friend; above it, newest-first over all updates.</summary>
    internal const int FeedFanInThreshold = 300;

    /// <summary>The same text from the same author within this window is a double submission: the first post stands.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PostWindow = TimeSpan.FromHours(1);

    private sealed record PostGuards(User Author, long? DuplicateId, DateTime? DuplicateAt, int InWindow);

    /// <summary>Every guard of a post in one statement, compiled once: the account, a double submission, the rate window.</summary>
    private static readonly Func<FriendConnectDbContext, string, string, DateTime, DateTime, CancellationToken, Task<PostGuards?>> PostGuardsQuery =
        EF.CompileAsyncQuery((FriendConnectDbContext db, string userId, string text, DateTime duplicateSince, DateTime windowSince, CancellationToken ct) =>
            db.Users.Where(u => u.Id == userId)
                .Select(u => new PostGuards(
                    u,
                    db.StatusUpdates.Where(s => s.AuthorId == userId && s.CreatedAt >= duplicateSince && s.Text == text)
                        .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Select(s => (long?)s.Id).FirstOrDefault(),
                    db.StatusUpdates.Where(s => s.AuthorId == userId && s.CreatedAt >= duplicateSince && s.Text == text)
                        .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Select(s => (DateTime?)s.CreatedAt).FirstOrDefault(),
                    db.StatusUpdates.Count(s => s.AuthorId == userId && s.CreatedAt > windowSince)))
                .FirstOrDefault());

    public async Task<Result<FeedItem>> PostAsync(string userId, string? text, CancellationToken ct = default)
    {
        var normalized = StatusRules.Normalize(text);
        if (!normalized.Succeeded) return Result<FeedItem>.Failure(normalized.Errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The write transaction (IMMEDIATE on SQLite, the author's row locked on PostgreSQL) makes the guards below and
        // the insert one step for the author: a double-submitted form (two clicks, a retried request) sees the first
        // post and does not post twice.
        await using var tx = await db.BeginWriteAsync([userId], ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var guards = await PostGuardsQuery(db, userId, normalized.Value!, now - DuplicateWindow, now - PostWindow, ct);
        if (guards is null) return AccountGuard.Gone;
        if (AccountGuard.Refusal(guards.Author.SuspendedUntil, now) is { } inactive) return inactive;
        var author = guards.Author;
        if (guards.DuplicateId is { } duplicateId)
            return new FeedItem(duplicateId, UserSummary.OfSelf(author), normalized.Value!, guards.DuplicateAt!.Value);

        if (await ActionLimits.CheckAsync(db.StatusUpdates.Where(s => s.AuthorId == userId).Select(s => s.CreatedAt), guards.InWindow,
                limits.StatusUpdatesPerHour, PostWindow, now, "status updates an hour", ct) is { } limited)
            return limited;

        var status = new StatusUpdate { AuthorId = userId, Text = normalized.Value!, CreatedAt = now };
        db.StatusUpdates.Add(status);
        author.StatusText = status.Text;
        author.StatusAt = now;
        await db.SaveChangesAsync(ct);
        // One row tells every friend: who is notified is decided when they read (NotificationService), so the
        // post costs the same for one friend or five thousand.
        var notification = new Notification { RecipientId = null, ActorId = userId, Kind = NotificationKind.StatusPosted, SubjectId = status.Id, CreatedAt = now };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(ct);
        db.Record(new StatusPosted(status.Id, userId, status.Text, now, notification.Id));
        await tx.CommitAsync(ct);
        return new FeedItem(status.Id, UserSummary.OfSelf(author), status.Text, now);
    }

    /// <summary>The reader's and their friends' visible status updates, newest first, keyset-paged.</summary>
    public async Task<KeysetPage<FeedItem, FeedCursor>> GetFeedAsync(
        string userId, FeedCursor? after, int take, CancellationToken ct = default)
    {
        take = Paging.Take(take, MaxFeedPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var author = UserSummary.SeenBy(db, await Audience.ResolveAsync(db, userId, ct));
        // Two plans, chosen by the reader's friend count. Most people have few friends: start from their friendships and
        // read each friend's newest updates through (AuthorId, CreatedAt) — cost grows with the friends' updates, not the
        // table. Someone with very many friends: walk all updates newest first through (CreatedAt) and keep the friends'
        // ones — a page fills after a few hundred rows. Either way no query reads the whole table.
        var friendCount = await db.Friendships.CountAsync(f => f.UserId == userId, ct);
        // The reader's own updates belong in their feed too, as on every social app.
        var query = friendCount <= FeedFanInThreshold
            ? db.Friendships.Where(f => f.UserId == userId)
                .Join(db.StatusUpdates, f => f.FriendId, s => s.AuthorId, (f, s) => s)
                .Concat(db.StatusUpdates.Where(s => s.AuthorId == userId))
            : db.StatusUpdates
                .Where(s => s.AuthorId == userId || db.Friendships.Any(f => f.UserId == userId && f.FriendId == s.AuthorId));
        query = query.AsNoTracking()
            .Where(s => !s.IsHidden)
            .Where(s => !db.Mutes.Any(m => m.UserId == userId && m.MutedId == s.AuthorId));
        if (after is not null)
            // The leading "<=" gives the index a range to seek to; the rest is the exact (time, id) keyset.
            query = query.Where(s => s.CreatedAt <= after.CreatedAt
                && (s.CreatedAt < after.CreatedAt || (s.CreatedAt == after.CreatedAt && s.Id < after.Id)));

        var page = await query
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(take + 1)
            .Select(s => new { s.Id, s.AuthorId, s.Text, s.CreatedAt })
            .ToListAsync(ct);
        // The authors in a second statement: a per-row subquery after the UNION made SQLite number every user first.
        var authorIds = page.Select(s => s.AuthorId).Distinct().ToList();
        var authors = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).Select(author).ToDictionaryAsync(u => u.Id, ct);
        var items = page.Where(s => authors.ContainsKey(s.AuthorId))
            .Select(s => new FeedItem(s.Id, authors[s.AuthorId], s.Text, s.CreatedAt))
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.StatusId).ToList();
        var next = items.Count > take ? new FeedCursor(items[take - 1].CreatedAt, items[take - 1].StatusId) : null;
        return new KeysetPage<FeedItem, FeedCursor>(items.Take(take).ToList(), next);
    }

    /// <summary>A user's visible status updates, newest first, if the viewer is in their status audience.</summary>
    public async Task<KeysetPage<FeedItem, FeedCursor>> GetHistoryAsync(
        string? viewerId, string authorId, FeedCursor? after, int take, CancellationToken ct = default)
    {
        take = Paging.Take(take, MaxFeedPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        var author = await db.Users.AsNoTracking()
            .Where(u => u.Id == authorId)
            .Where(Audience.NotBlocked(db, viewerId))
            .Select(UserSummary.SeenBy(db, viewer))
            .FirstOrDefaultAsync(ct);
        // The audience rule decides the current status; the same rule covers the history.
        if (author?.StatusText is null) return new KeysetPage<FeedItem, FeedCursor>([], null);

        var query = db.StatusUpdates.AsNoTracking().Where(s => s.AuthorId == authorId && !s.IsHidden);
        if (after is not null)
            query = query.Where(s => s.CreatedAt < after.CreatedAt || (s.CreatedAt == after.CreatedAt && s.Id < after.Id));
        var items = await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(take + 1)
            .Select(s => new FeedItem(s.Id, author, s.Text, s.CreatedAt))
            .ToListAsync(ct);
        var next = items.Count > take ? new FeedCursor(items[take - 1].CreatedAt, items[take - 1].StatusId) : null;
        return new KeysetPage<FeedItem, FeedCursor>(items.Take(take).ToList(), next);
    }
}
