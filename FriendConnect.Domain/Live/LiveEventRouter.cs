using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Live;

/// <summary>One live event for a set of recipients.</summary>
public sealed record Delivery(IReadOnlyList<string> To, LiveEvent Event);

/// <summary>
/// The one place that decides who hears of a domain event and what they may see of it. Every person in a payload is
/// projected through the audience rule for the recipient (<see cref="UserSummary.SeenBy"/>), and a recipient the rule
/// hides the actor from gets nothing.
/// </summary>
public sealed class LiveEventRouter(IDbContextFactory<FriendConnectDbContext> dbFactory)
{
    public async Task<IReadOnlyList<Delivery>> RouteAsync(DomainEvent domainEvent, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return domainEvent switch
        {
            FriendRequestSent e => await RequestSentAsync(db, e, ct),
            FriendRequestAnswered { Accepted: true } e => await AcceptedAsync(db, e, ct),
            FriendRequestAnswered e =>
            [
                // The sender is not told they were declined; their outgoing list just loses the request.
                new([e.FromUserId], new LiveEvent(LiveChange.Requests) { RequestGone = e.RequestId }),
                new([e.ToUserId], new LiveEvent(LiveChange.Requests | LiveChange.Notifications) { RequestGone = e.RequestId }),
            ],
            RequestCancelled e =>
            [
                new([e.ToUserId], new LiveEvent(LiveChange.Requests | LiveChange.Notifications) { RequestGone = e.RequestId }),
                new([e.FromUserId], new LiveEvent(LiveChange.Requests) { RequestGone = e.RequestId }),
            ],
            Unfriended e => [new([e.UserId, e.FriendId], new LiveEvent(LiveChange.Friends | LiveChange.Feed))],
            FriendshipRestored e => [new([e.UserId, e.FriendId], new LiveEvent(LiveChange.Friends | LiveChange.Feed))],
            StatusPosted e => await StatusPostedAsync(db, e, ct),
            StatusHidden e =>
            [
                new([e.AuthorId, .. await FriendsOfAsync(db, e.AuthorId, ct)], new LiveEvent(
                    LiveChange.Feed | LiveChange.FriendStatus | LiveChange.Profile | LiveChange.Notifications) { StatusGone = e.StatusId }),
            ],
            // Only the blocker is told: a live change at that moment would tell the blocked person what happened.
            Blocked e => [new([e.BlockerId], new LiveEvent(
                LiveChange.Friends | LiveChange.Requests | LiveChange.Feed | LiveChange.Notifications | LiveChange.Profile))],
            Unblocked e => [new([e.BlockerId], new LiveEvent(LiveChange.Profile))],
            // The muted friend is not told.
            MuteChanged e => [new([e.UserId], new LiveEvent(LiveChange.Feed | LiveChange.Profile))],
            PrivacyChanged e => [new([e.UserId, .. await FriendsOfAsync(db, e.UserId, ct)], new LiveEvent(LiveChange.Profile | LiveChange.Friends))],
            ProfileChanged e => [new([e.UserId], new LiveEvent(LiveChange.Profile))],
            // Friends' open pages show the new photo beside the friend and their posts; a block ends the friendship.
            ProfilePhotoChanged e => [new([e.UserId, .. await FriendsOfAsync(db, e.UserId, ct)], new LiveEvent(LiveChange.Profile | LiveChange.FriendStatus | LiveChange.Feed))],
            SessionsEnded e => [new([e.UserId], new LiveEvent(LiveChange.SignedOut))],
            AccountDeleted e =>
            [
                new([e.UserId], new LiveEvent(LiveChange.SignedOut)),
                new(e.FriendIds, new LiveEvent(LiveChange.Friends | LiveChange.Feed | LiveChange.Notifications | LiveChange.Requests)),
            ],
            ReportFiled => [new(await ModerationService.ModeratorIds(db).ToListAsync(ct), new LiveEvent(LiveChange.Reports))],
            ReportResolved e =>
            [
                new(e.ReporterIds, new LiveEvent(LiveChange.Notifications, "A moderator reviewed your report. Thank you.")),
                new(await ModerationService.ModeratorIds(db).ToListAsync(ct), new LiveEvent(LiveChange.Reports)),
            ],
            PresenceChanged e => [new(await FriendsOfAsync(db, e.UserId, ct), new LiveEvent(LiveChange.Presence))],
            NotificationsRead e => [new([e.UserId], new LiveEvent(LiveChange.Notifications))],
            ActionAudited => [],
            _ => throw new ArgumentOutOfRangeException(nameof(domainEvent), domainEvent.GetType().Name, "No route for this event."),
        };
    }

    private static async Task<IReadOnlyList<Delivery>> RequestSentAsync(FriendConnectDbContext db, FriendRequestSent e, CancellationToken ct)
    {
        var sender = await SeenByAsync(db, e.FromUserId, e.ToUserId, ct);
        var addressee = await SeenByAsync(db, e.ToUserId, e.FromUserId, ct);
        List<Delivery> deliveries = [];
        if (sender is not null)
            deliveries.Add(new([e.ToUserId], new LiveEvent(LiveChange.Notifications | LiveChange.Requests, $"{sender.DisplayName} sent you a friend request")
            {
                Incoming = new FriendRequestSummary(e.RequestId, sender, e.At),
                Notification = NotificationService.View(e.NotificationId, NotificationKind.FriendRequestReceived, sender, null, e.At, null),
            }));
        if (addressee is not null)
            deliveries.Add(new([e.FromUserId], new LiveEvent(LiveChange.Requests) { Outgoing = new FriendRequestSummary(e.RequestId, addressee, e.At) }));
        return deliveries;
    }

    private static async Task<IReadOnlyList<Delivery>> AcceptedAsync(FriendConnectDbContext db, FriendRequestAnswered e, CancellationToken ct)
    {
        const LiveChange changes = LiveChange.Notifications | LiveChange.Requests | LiveChange.Friends | LiveChange.Feed;
        var accepter = await SeenByAsync(db, e.ToUserId, e.FromUserId, ct);
        List<Delivery> deliveries = [new([e.ToUserId], new LiveEvent(changes) { RequestGone = e.RequestId })];
        if (accepter is not null)
            deliveries.Add(new([e.FromUserId], new LiveEvent(changes, $"{accepter.DisplayName} accepted your friend request")
            {
                RequestGone = e.RequestId,
                Notification = e.NotificationId is { } id
                    ? NotificationService.View(id, NotificationKind.FriendRequestAccepted, accepter, null, e.At, null)
                    : null,
            }));
        return deliveries;
    }

    private static async Task<IReadOnlyList<Delivery>> StatusPostedAsync(FriendConnectDbContext db, StatusPosted e, CancellationToken ct)
    {
        // Every recipient is a friend whom neither side blocked (a block ends the friendship), so each sees the author
        // as a friend does; the rule is still the one that decides what that is.
        var author = await db.Users.AsNoTracking().Where(u => u.Id == e.AuthorId)
            .Select(UserSummary.SeenBy(db, Viewer.AsFriend(e.AuthorId))).FirstAsync(ct);
        // The same rule the notifications list reads (NotificationService.FriendsPosts), from each recipient's own
        // friendship row: the event is routed after the commit, so a friendship made in between (its NotifyAfterId
        // already past this post) or a mute set before it must not add a notification their bell would then count.
        var id = e.NotificationId;
        var recipients = await db.Friendships
            .Where(f => f.FriendId == e.AuthorId && id > f.NotifyAfterId)
            .Where(f => !db.Mutes.Any(m => m.UserId == f.UserId && m.MutedId == e.AuthorId && id > m.AfterId))
            .Where(f => !db.Blocks.Any(b => (b.BlockerId == f.UserId && b.BlockedId == e.AuthorId) || (b.BlockerId == e.AuthorId && b.BlockedId == f.UserId)))
            .Select(f => f.UserId).ToListAsync(ct);
        return
        [
            new(recipients, new LiveEvent(LiveChange.Notifications | LiveChange.Feed | LiveChange.FriendStatus, $"{author.DisplayName}: {Shorten(e.Text)}")
            {
                Post = new FeedItem(e.StatusId, author, e.Text, e.At),
                Notification = NotificationService.View(e.NotificationId, NotificationKind.StatusPosted, author, e.Text, e.At, null),
            }),
            // The author's own tabs show the post in their feed too.
            new([e.AuthorId], new LiveEvent(LiveChange.Profile | LiveChange.Feed) { Post = new FeedItem(e.StatusId, author, e.Text, e.At) }),
        ];
    }

    /// <summary>The user as the viewer may see them, or null when one of them blocked the other.</summary>
    private static async Task<UserSummary?> SeenByAsync(FriendConnectDbContext db, string userId, string viewerId, CancellationToken ct)
    {
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Where(Audience.NotBlocked(db, viewerId))
            .Select(UserSummary.SeenBy(db, viewer)).FirstOrDefaultAsync(ct);
    }

    private static Task<List<string>> FriendsOfAsync(FriendConnectDbContext db, string userId, CancellationToken ct) =>
        db.Friendships.Where(f => f.UserId == userId).Select(f => f.FriendId).ToListAsync(ct);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..79] + "…";
}
