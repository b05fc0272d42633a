using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Friendships;

public sealed record Suggestion(UserSummary User, int MutualFriends);

/// <summary>People you may know: friends of friends, most mutual friends first.</summary>
public sealed class SuggestionService(IDbContextFactory<FriendConnectDbContext> dbFactory)
{
    public async Task<IReadOnlyList<Suggestion>> GetAsync(string userId, int take = 5, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, userId, ct);
        var listVisible = Audience.SeesFriendsList(db, viewer);
        var ranked = await db.Friendships
            .Where(f1 => f1.UserId == userId)
            .Join(db.Friendships, f1 => f1.FriendId, f2 => f2.UserId, (f1, f2) => f2)
            // "S is friends with my friend F" is read from F's list or from S's: it counts only where the viewer may see one.
            .Where(f2 => db.Users.Where(u => u.Id == f2.UserId).Any(listVisible)
                || db.Users.Where(u => u.Id == f2.FriendId).Any(listVisible))
            .Select(f2 => f2.FriendId)
            .Where(candidate => candidate != userId
                && !db.Friendships.Any(f => f.UserId == userId && f.FriendId == candidate)
                && !db.FriendRequests.Any(r => r.State == FriendRequestState.Pending
                    && ((r.FromUserId == userId && r.ToUserId == candidate) || (r.FromUserId == candidate && r.ToUserId == userId)))
                && !db.Blocks.Any(b => (b.BlockerId == userId && b.BlockedId == candidate) || (b.BlockerId == candidate && b.BlockedId == userId))
                && !db.SuggestionDismissals.Any(d => d.UserId == userId && d.DismissedId == candidate)
                && db.Users.Any(u => u.Id == candidate && u.Privacy.ShowInDirectory))
            .GroupBy(candidate => candidate)
            .Select(g => new { Id = g.Key, Mutual = g.Count() })
            .OrderByDescending(g => g.Mutual).ThenBy(g => g.Id)
            .Take(Paging.Take(take, 20))
            .ToListAsync(ct);
        var ids = ranked.Select(r => r.Id).ToList();
        var users = await db.Users.Where(u => ids.Contains(u.Id))
            .Select(UserSummary.SeenBy(db, viewer))
            .ToDictionaryAsync(u => u.Id, ct);
        return ranked.Where(r => users.ContainsKey(r.Id))
            .Select(r => new Suggestion(users[r.Id], r.Mutual))
            .ToList();
    }

    public async Task DismissAsync(string userId, string suggestedId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.SuggestionDismissals.AnyAsync(d => d.UserId == userId && d.DismissedId == suggestedId, ct)) return;
        if (!await db.Users.AnyAsync(u => u.Id == suggestedId, ct)) return;
        db.SuggestionDismissals.Add(new SuggestionDismissal { UserId = userId, DismissedId = suggestedId });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { /* dismissed twice at once */ }
    }
}
