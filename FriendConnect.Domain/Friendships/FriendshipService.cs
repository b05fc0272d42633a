using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;
using System.Linq.Expressions;

namespace FriendConnect.Domain.Friendships;

public sealed class FriendshipService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    TimeProvider clock,
    ActionLimits limits)
{
    public const int FriendCap = 5000;
    private static readonly TimeSpan RequestWindow = TimeSpan.FromDays(1);

    private sealed record RequestGuards(
        string DisplayName, RequestPolicy Policy, bool AlreadyFriends, long? PendingId, string? PendingFromUserId,
        int SenderFriendCount, int SentInWindow);

    public async Task<Result<SendRequestOutcome>> SendRequestAsync(string fromUserId, string toUserId, CancellationToken ct = default)
    {
        if (fromUserId == toUserId)
            return DomainError.Validation("You can't send a friend request to yourself.");

        var (low, high) = FriendRequest.Pair(fromUserId, toUserId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The checks below and the write are one step for these two people (WriteTransaction).
        await using var tx = await db.BeginWriteAsync([fromUserId, toUserId], ct);

        var now = clock.GetUtcNow().UtcDateTime;
        if (await AccountGuard.CheckActiveAsync(db, fromUserId, now, ct) is { } inactive) return inactive;
        // The addressee and every guard of a new request, in one statement.
        var windowSince = now - RequestWindow;
        var target = await db.Users.Where(u => u.Id == toUserId)
            .Where(Audience.NotBlocked(db, fromUserId))
            .Select(u => new RequestGuards(
                u.DisplayName,
                u.Privacy.WhoCanSendRequests,
                db.Friendships.Any(f => f.UserId == fromUserId && f.FriendId == toUserId),
                db.FriendRequests.Where(r => r.PairLowId == low && r.PairHighId == high && r.State == FriendRequestState.Pending)
                    .Select(r => (long?)r.Id).FirstOrDefault(),
                db.FriendRequests.Where(r => r.PairLowId == low && r.PairHighId == high && r.State == FriendRequestState.Pending)
                    .Select(r => r.FromUserId).FirstOrDefault(),
                db.Friendships.Count(f => f.UserId == fromUserId),
                db.FriendRequests.Count(r => r.FromUserId == fromUserId && r.CreatedAt > windowSince)))
            .FirstOrDefaultAsync(ct);
        // Someone who blocked you, or whom you blocked, looks exactly like someone who doesn't exist.
        if (target is null) return DomainError.NotFound("That user doesn't exist.");
        var targetName = target.DisplayName;

        if (target.AlreadyFriends)
            return DomainError.Conflict($"You are already friends with {targetName}.");

        if (target.PendingId is { } pendingId)
        {
            if (target.PendingFromUserId == fromUserId)
                return DomainError.Conflict($"You already sent {targetName} a friend request.");
            var theirs = new FriendRequest { Id = pendingId, FromUserId = toUserId, ToUserId = fromUserId, PairLowId = low, PairHighId = high };
            var accepted = await AcceptPendingAsync(db, theirs, ct);
            if (!accepted.Succeeded) return Result<SendRequestOutcome>.Failure(accepted.Errors);
            await tx.CommitAsync(ct);
            return SendRequestOutcome.BecameFriends;
        }

        switch (target.Policy)
        {
            case RequestPolicy.Nobody:
                return DomainError.Forbidden($"{targetName} isn't accepting friend requests.");
            case RequestPolicy.FriendsOfFriends when !await HaveMutualFriendAsync(db, fromUserId, toUserId, ct):
                return DomainError.Forbidden($"{targetName} only accepts friend requests from friends of friends.");
        }

        if (target.SenderFriendCount >= FriendCap)
            return DomainError.Conflict($"You have reached the limit of {FriendCap:N0} friends.");

        if (await ActionLimits.CheckAsync(db.FriendRequests.Where(r => r.FromUserId == fromUserId).Select(r => r.CreatedAt),
                target.SentInWindow, limits.FriendRequestsPerDay, RequestWindow, now, "friend requests a day", ct) is { } limited)
            return limited;

        var request = new FriendRequest
        {
            FromUserId = fromUserId, ToUserId = toUserId, PairLowId = low, PairHighId = high,
            State = FriendRequestState.Pending, CreatedAt = now,
        };
        db.FriendRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(ct);
            var notification = new Notification
            {
                RecipientId = toUserId, ActorId = fromUserId, Kind = NotificationKind.FriendRequestReceived,
                SubjectId = request.Id, CreatedAt = now,
            };
            db.Notifications.Add(notification);
            await db.SaveChangesAsync(ct);
            db.Record(new FriendRequestSent(request.Id, fromUserId, toUserId, notification.Id, now));
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            return DomainError.Conflict($"A friend request between you and {targetName} is already pending.");
        }
        return SendRequestOutcome.RequestSent;
    }

    public async Task<Result> AcceptAsync(long requestId, string actingUserId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await AccountGuard.CheckActiveAsync(db, actingUserId, clock.GetUtcNow().UtcDateTime, ct) is { } inactive) return inactive;
        var request = await db.FriendRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct);
        var check = CheckResponder(request, actingUserId, "accept");
        if (check is not null) return check;

        var accepted = await AcceptPendingAsync(db, request!, ct);
        if (!accepted.Succeeded) return accepted;
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    public async Task<Result> DeclineAsync(long requestId, string actingUserId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await AccountGuard.CheckActiveAsync(db, actingUserId, clock.GetUtcNow().UtcDateTime, ct) is { } inactive) return inactive;
        var request = await db.FriendRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, ct);
        var check = CheckResponder(request, actingUserId, "decline");
        if (check is not null) return check;

        if (!await TransitionAsync(db, requestId, FriendRequestState.Declined, ct))
            return DomainError.Conflict("This request has already been answered.");
        await MarkRequestNotificationReadAsync(db, requestId, ct);
        db.Record(new FriendRequestAnswered(requestId, request!.FromUserId, request.ToUserId, Accepted: false, null, clock.GetUtcNow().UtcDateTime));
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    public async Task<Result> CancelAsync(long requestId, string actingUserId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await AccountGuard.CheckActiveAsync(db, actingUserId, clock.GetUtcNow().UtcDateTime, ct) is { } inactive) return inactive;
        var request = await db.FriendRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null || (request.FromUserId != actingUserId && request.ToUserId != actingUserId))
            return DomainError.NotFound("That friend request no longer exists.");
        if (request.FromUserId != actingUserId)
            return DomainError.Forbidden("Only the person who sent a request can cancel it.");
        if (request.State != FriendRequestState.Pending || !await TransitionAsync(db, requestId, FriendRequestState.Cancelled, ct))
            return DomainError.Conflict(AnsweredMessage(request.State));

        // The addressee's "sent you a request" notification goes with it, so their unread count stays honest.
        await db.Notifications
            .Where(n => n.Kind == NotificationKind.FriendRequestReceived && n.SubjectId == requestId)
            .ExecuteDeleteAsync(ct);
        db.Record(new RequestCancelled(requestId, request.FromUserId, request.ToUserId));
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    /// <summary>Ends a friendship. What it returns lets the same user undo it for <see cref="UnfriendUndo.Window"/>.</summary>
    public async Task<Result<UnfriendUndo>> UnfriendAsync(string userId, string friendId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await AccountGuard.CheckActiveAsync(db, userId, now, ct) is { } inactive) return inactive;
        var pair = db.Friendships
            .Where(f => (f.UserId == userId && f.FriendId == friendId) || (f.UserId == friendId && f.FriendId == userId));
        var rows = await pair.AsNoTracking().ToListAsync(ct);
        var removed = await pair.ExecuteDeleteAsync(ct);
        if (removed == 0) return DomainError.NotFound("You are not friends with that user.");
        db.Record(new Unfriended(userId, friendId));
        await tx.CommitAsync(ct);
        return new UnfriendUndo(userId, friendId, now, rows);
    }

    /// <summary>
    /// Puts back a friendship the user just ended, as it was (since when, and which posts notify), without a new
    /// request: only within <see cref="UnfriendUndo.Window"/>, only if neither blocked the other meanwhile, and only
    /// within both friend caps. The other person is not notified, as they were not of the unfriending.
    /// </summary>
    public async Task<Result> UndoUnfriendAsync(string userId, UnfriendUndo undo, CancellationToken ct = default)
    {
        if (undo.UserId != userId) return DomainError.NotFound("There is nothing to undo.");
        var now = clock.GetUtcNow().UtcDateTime;
        // The same words whatever stopped it, so the other person's block is not revealed.
        var tooLate = DomainError.Conflict("This can no longer be undone. Send a friend request instead.");
        if (now > undo.At + UnfriendUndo.Window) return tooLate;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The friend cap and the blocks are checked and the rows restored as one step for both people.
        await using var tx = await db.BeginWriteAsync([userId, undo.FriendId], ct);
        if (await AccountGuard.CheckActiveAsync(db, userId, now, ct) is { } inactive) return inactive;
        var friendId = undo.FriendId;
        if (!await db.Users.Where(u => u.Id == friendId).AnyAsync(Audience.NotBlocked(db, userId), ct)) return tooLate;
        if (await db.Friendships.AnyAsync(f => f.UserId == userId && f.FriendId == friendId, ct))
            return DomainError.Conflict("You are already friends again.");
        foreach (var (id, whose) in new[] { (userId, "You have"), (friendId, "They have") })
        {
            if (await db.Friendships.CountAsync(f => f.UserId == id, ct) >= FriendCap)
                return DomainError.Conflict($"{whose} reached the limit of {FriendCap:N0} friends.");
        }
        db.Friendships.AddRange(undo.Rows.Select(r => new Friendship
            { UserId = r.UserId, FriendId = r.FriendId, CreatedAt = r.CreatedAt, NotifyAfterId = r.NotifyAfterId }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return DomainError.Conflict("You are already friends again.");
        }
        db.Record(new FriendshipRestored(userId, friendId));
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    /// <summary>Up to this many friends, a friends page sorts the friends' rows; above it, it walks everyone in order.</summary>
    internal const int FriendsSortThreshold = 1_000;

    /// <summary>The walk costs more the deeper the page; past this offset sorting the friends (at most the cap) is cheaper.</summary>
    internal const int FriendsWalkMaxSkip = 100;

    /// <summary>The viewer's own friends, each as the viewer may see them.</summary>
    public async Task<Page<UserSummary>> GetFriendsAsync(string userId, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, userId, ct);
        // Every friendship row has its user (a cascading foreign key), so the count needs no join.
        var total = await db.Friendships.CountAsync(f => f.UserId == userId, ct);
        // Most recently active first (each friend's newest visible status, kept on their user row), then by username.
        // Two plans, chosen by the friend count, so no plan pays for the whole list: most people have few friends,
        // and sorting their rows is cheap; for very many friends, walk everyone in that order through the
        // (StatusAt, NormalizedUserName, Id) index and keep the friends: a near page fills after a few dozen rows per
        // friend it shows. A post writes one user row either way, never a row per friend (decision 011).
        skip = Paging.Skip(skip);
        take = Paging.Take(take);
        List<UserSummary>? items = null;
        if (total > FriendsSortThreshold && skip < FriendsWalkMaxSkip)
        {
            // Only people who posted are in the walk's order on every engine (NULLs sort differently), and a page that
            // reaches the friends who never posted falls back to the sort below, which puts them last.
            items = await PageAsync(db.Users
                .Where(u => u.StatusAt != null && db.Friendships.Any(f => f.UserId == userId && f.FriendId == u.Id))
                .OrderByDescending(u => u.StatusAt));
            if (items.Count < take) items = null;
        }
        if (items is null)
        {
            var friends = db.Friendships.Where(f => f.UserId == userId).Join(db.Users, f => f.FriendId, u => u.Id, (f, u) => u);
            // People who never posted come last on every engine: SQLite sorts NULL last when descending, PostgreSQL
            // first, so there the order says so.
            var ordered = db.Database.IsSqlite()
                ? friends.OrderByDescending(u => u.StatusAt)
                : friends.OrderByDescending(u => u.StatusAt.HasValue).ThenByDescending(u => u.StatusAt);
            items = await PageAsync(ordered);
        }
        return new Page<UserSummary>(items, total);

        // Both plans end alike: ties by username, the page, each friend as the viewer may see them.
        Task<List<UserSummary>> PageAsync(IOrderedQueryable<User> byStatus) =>
            byStatus.ThenBy(u => u.NormalizedUserName).Skip(skip).Take(take).Select(UserSummary.SeenBy(db, viewer)).ToListAsync(ct);
    }

    /// <summary>
    /// The first friends page (<see cref="GetFriendsAsync"/> from 0) after <paramref name="author"/>, one of the friends,
    /// posted: the newest status makes them the most recently active friend, so they lead the page with it, and the page
    /// keeps its size and count. Null when the page cannot say where they go (it does not count them yet): read it again.
    /// </summary>
    public static Page<UserSummary>? FirstPageAfterPost(Page<UserSummary> firstPage, UserSummary author, int take)
    {
        var shown = firstPage.Items.Any(f => f.Id == author.Id);
        if (!shown && firstPage.Items.Count >= firstPage.TotalCount) return null;
        return firstPage with { Items = [author, .. firstPage.Items.Where(f => f.Id != author.Id).Take(Paging.Take(take) - 1)] };
    }

    /// <summary>How many pending requests each way the unpaged lists show, newest first.</summary>
    public const int PendingShown = 200;

    /// <summary>Requests others sent the viewer, newest first; each sender as the viewer may see them (a request makes no one a friend).</summary>
    public async Task<IReadOnlyList<FriendRequestSummary>> GetIncomingAsync(string userId, CancellationToken ct = default) =>
        (await PendingAsync(userId, Incoming(userId), after: null, PendingShown, ct)).Items;

    /// <summary>Requests the viewer sent, newest first; each addressee as the viewer may see them.</summary>
    public async Task<IReadOnlyList<FriendRequestSummary>> GetOutgoingAsync(string userId, CancellationToken ct = default) =>
        (await PendingAsync(userId, Outgoing(userId), after: null, PendingShown, ct)).Items;

    /// <summary>Incoming requests keyset-paged by (time, id), newest first; <paramref name="take"/> is clamped by <see cref="Paging"/>.</summary>
    public Task<KeysetPage<FriendRequestSummary, FeedCursor>> GetIncomingPageAsync(
        string userId, FeedCursor? after, int? take, CancellationToken ct = default) =>
        PendingAsync(userId, Incoming(userId), after, Paging.Take(take), ct);

    /// <summary>Outgoing requests keyset-paged by (time, id), newest first; <paramref name="take"/> is clamped by <see cref="Paging"/>.</summary>
    public Task<KeysetPage<FriendRequestSummary, FeedCursor>> GetOutgoingPageAsync(
        string userId, FeedCursor? after, int? take, CancellationToken ct = default) =>
        PendingAsync(userId, Outgoing(userId), after, Paging.Take(take), ct);

    private static Expression<Func<FriendRequest, bool>> Incoming(string userId) => r => r.ToUserId == userId;
    private static Expression<Func<FriendRequest, bool>> Outgoing(string userId) => r => r.FromUserId == userId;

    private async Task<KeysetPage<FriendRequestSummary, FeedCursor>> PendingAsync(
        string viewerId, Expression<Func<FriendRequest, bool>> side, FeedCursor? after, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        var query = db.FriendRequests.AsNoTracking()
            .Where(r => r.State == FriendRequestState.Pending)
            .Where(side);
        if (after is not null)
            query = query.Where(r => r.CreatedAt < after.CreatedAt || (r.CreatedAt == after.CreatedAt && r.Id < after.Id));
        var requests = await query
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Take(take + 1)
            .Select(r => new { r.Id, r.CreatedAt, OtherId = r.FromUserId == viewerId ? r.ToUserId : r.FromUserId })
            .ToListAsync(ct);
        // The next page starts after the last request read for this one, whether or not its other user is still shown.
        var next = requests.Count > take ? new FeedCursor(requests[take - 1].CreatedAt, requests[take - 1].Id) : null;
        requests = requests.Take(take).ToList();
        var otherIds = requests.Select(r => r.OtherId).Distinct().ToList();
        var others = await db.Users.AsNoTracking().Where(u => otherIds.Contains(u.Id))
            .Select(UserSummary.SeenBy(db, viewer))
            .ToDictionaryAsync(u => u.Id, ct);
        var items = requests.Where(r => others.ContainsKey(r.OtherId))
            .Select(r => new FriendRequestSummary(r.Id, others[r.OtherId], r.CreatedAt))
            .ToList();
        return new KeysetPage<FriendRequestSummary, FeedCursor>(items, next);
    }

    internal static Task<bool> HaveMutualFriendAsync(FriendConnectDbContext db, string a, string b, CancellationToken ct) =>
        db.Friendships.AnyAsync(f1 => f1.UserId == a && db.Friendships.Any(f2 => f2.UserId == f1.FriendId && f2.FriendId == b), ct);

    private static DomainError? CheckResponder(FriendRequest? request, string actingUserId, string verb)
    {
        // Someone outside the pair learns nothing about it.
        if (request is null || (request.FromUserId != actingUserId && request.ToUserId != actingUserId))
            return DomainError.NotFound("That friend request no longer exists.");
        if (request.ToUserId != actingUserId)
            return DomainError.Forbidden($"Only the person you asked can {verb} this request.");
        if (request.State != FriendRequestState.Pending)
            return DomainError.Conflict(AnsweredMessage(request.State));
        return null;
    }

    private static string AnsweredMessage(FriendRequestState state) => state switch
    {
        FriendRequestState.Accepted => "This request was already accepted.",
        FriendRequestState.Declined => "This request was already declined.",
        FriendRequestState.Cancelled => "This request was cancelled.",
        _ => "This request has already been answered.",
    };

    /// <summary>Inside the caller's transaction: the conditional update lets exactly one of many concurrent accepts win.</summary>
    private async Task<Result> AcceptPendingAsync(FriendConnectDbContext db, FriendRequest request, CancellationToken ct)
    {
        await db.LockUsersAsync([request.FromUserId, request.ToUserId], ct);
        foreach (var (id, whose) in new[] { (request.ToUserId, "You have"), (request.FromUserId, "They have") })
        {
            if (await db.Friendships.CountAsync(f => f.UserId == id, ct) >= FriendCap)
                return DomainError.Conflict($"{whose} reached the limit of {FriendCap:N0} friends.");
        }
        if (!await TransitionAsync(db, request.Id, FriendRequestState.Accepted, ct))
            return DomainError.Conflict("This request has already been answered.");

        var now = clock.GetUtcNow().UtcDateTime;
        // Inside the IMMEDIATE transaction: posts after this id are exactly those made while the two are friends.
        var notifyAfter = await NotificationService.NewestIdAsync(db, ct);
        db.Friendships.AddRange(
            new Friendship
            {
                UserId = request.FromUserId, FriendId = request.ToUserId, CreatedAt = now, NotifyAfterId = notifyAfter,
            },
            new Friendship
            {
                UserId = request.ToUserId, FriendId = request.FromUserId, CreatedAt = now, NotifyAfterId = notifyAfter,
            });
        var notification = new Notification
        {
            RecipientId = request.FromUserId, ActorId = request.ToUserId, Kind = NotificationKind.FriendRequestAccepted,
            SubjectId = request.Id, CreatedAt = now,
        };
        db.Notifications.Add(notification);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return DomainError.Conflict("You are already friends.");
        }
        await MarkRequestNotificationReadAsync(db, request.Id, ct);
        db.Record(new FriendRequestAnswered(request.Id, request.FromUserId, request.ToUserId, Accepted: true, notification.Id, now));
        return Result.Success();
    }

    private async Task<bool> TransitionAsync(FriendConnectDbContext db, long requestId, FriendRequestState to, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.FriendRequests
            .Where(r => r.Id == requestId && r.State == FriendRequestState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, to).SetProperty(r => r.RespondedAt, now), ct);
        return changed == 1;
    }

    private async Task MarkRequestNotificationReadAsync(FriendConnectDbContext db, long requestId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Notifications
            .Where(n => n.Kind == NotificationKind.FriendRequestReceived && n.SubjectId == requestId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }
}
