using FriendConnect.Domain.Data;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Friendships;

internal static class RelationLookup
{
    /// <summary>The viewer's relation to each of a page of users, in two indexed queries whatever the page size.</summary>
    public static async Task<Dictionary<string, (Relation Relation, long? RequestId)>> ForAsync(
        FriendConnectDbContext db, string? viewerId, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var result = userIds.ToDictionary(id => id, id => (id == viewerId ? Relation.Self : Relation.None, (long?)null));
        if (viewerId is null || userIds.Count == 0) return result;

        var friends = await db.Friendships
            .Where(f => f.UserId == viewerId && userIds.Contains(f.FriendId))
            .Select(f => f.FriendId)
            .ToListAsync(ct);
        foreach (var id in friends) result[id] = (Relation.Friend, null);

        var pending = await db.FriendRequests
            .Where(r => r.State == FriendRequestState.Pending
                && ((r.FromUserId == viewerId && userIds.Contains(r.ToUserId))
                    || (r.ToUserId == viewerId && userIds.Contains(r.FromUserId))))
            .Select(r => new { r.Id, r.FromUserId, r.ToUserId })
            .ToListAsync(ct);
        foreach (var r in pending)
        {
            if (r.FromUserId == viewerId) result[r.ToUserId] = (Relation.RequestSent, r.Id);
            else result[r.FromUserId] = (Relation.RequestReceived, r.Id);
        }
        return result;
    }
}
