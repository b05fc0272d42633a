using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Statuses;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

/// <summary>A handful of people with statuses and friendships, so a development database is not empty.</summary>
public sealed class DemoData(
    UserManager<User> users, IDbContextFactory<FriendConnectDbContext> dbFactory, ModerationService moderation, TimeProvider clock)
{
    public static readonly IReadOnlyList<(string UserName, string DisplayName, string Status)> People =
    [
        ("alice", "Alice Johnson", "Just got back from a hike in the hills"),
        ("bob", "Bob Martinez", "Brewing coffee and fixing a bike."),
        ("carol", "Carol Nguyen", "Reading 'The Left Hand of Darkness' again."),
        ("dave", "Dave Okafor", "Who's up for board games on Friday?"),
        ("erin", "Erin Schulz", "New job, new city. Say hi!"),
        ("frank", "Frank Li", "Learning to bake sourdough."),
    ];

    public const string Moderator = "alice";

    private static readonly (string A, string B)[] Friends = [("alice", "bob"), ("alice", "carol"), ("bob", "dave"), ("carol", "erin")];

    public async Task SeedAsync(string password, CancellationToken ct = default)
    {
        if (await users.Users.AnyAsync(ct)) return;

        var now = clock.GetUtcNow().UtcDateTime;
        var ids = new Dictionary<string, string>();
        var minutesAgo = 5;
        foreach (var (userName, displayName, _) in People)
        {
            var user = new User
            {
                UserName = userName, Email = $"{userName}@example.com", EmailConfirmed = true,
                DisplayName = displayName, NormalizedDisplayName = displayName.ToUpperInvariant(),
                CreatedAt = now.AddDays(-30),
            };
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded)
                throw new InvalidOperationException("Seeding demo users failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            ids[userName] = user.Id;
        }
        await moderation.GrantAsync(Moderator, AuditActor.DemoData, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var (userName, _, status) in People)
        {
            var at = now.AddMinutes(-(minutesAgo *= 3));
            db.StatusUpdates.Add(new StatusUpdate { AuthorId = ids[userName], Text = status, CreatedAt = at });
            await db.Users.Where(u => u.Id == ids[userName])
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.StatusText, status).SetProperty(u => u.StatusAt, at), ct);
        }
        foreach (var (a, b) in Friends)
        {
            db.Friendships.Add(new Friendship { UserId = ids[a], FriendId = ids[b], CreatedAt = now.AddDays(-10) });
            db.Friendships.Add(new Friendship { UserId = ids[b], FriendId = ids[a], CreatedAt = now.AddDays(-10) });
        }
        var (low, high) = FriendRequest.Pair(ids["frank"], ids["alice"]);
        db.FriendRequests.Add(new FriendRequest
        {
            FromUserId = ids["frank"], ToUserId = ids["alice"], PairLowId = low, PairHighId = high, CreatedAt = now.AddHours(-1),
        });
        await db.SaveChangesAsync(ct);
        var request = await db.FriendRequests.SingleAsync(ct);
        db.Notifications.Add(new Notifications.Notification
        {
            RecipientId = ids["alice"], ActorId = ids["frank"], Kind = Notifications.NotificationKind.FriendRequestReceived,
            SubjectId = request.Id, CreatedAt = request.CreatedAt,
        });
        await db.SaveChangesAsync(ct);
    }
}
