using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Statuses;

/// <summary>
/// A user's current status is their newest visible update. It is copied to their user row (what profiles show and
/// friends lists are ordered by), here, inside the caller's transaction, so it never disagrees with the updates
/// themselves. It is written once per post, never once per friend: a post costs the same for one friend or five
/// thousand (decision 011).
/// </summary>
internal static class CurrentStatus
{
    public static Task SetAsync(FriendConnectDbContext db, string authorId, string? text, DateTime? at, CancellationToken ct) =>
        db.Users.Where(u => u.Id == authorId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.StatusText, text).SetProperty(u => u.StatusAt, at), ct);

    /// <summary>After an update was hidden or removed: the newest one still visible becomes current (or none).</summary>
    public static async Task RefreshAsync(FriendConnectDbContext db, string authorId, CancellationToken ct)
    {
        var newest = await db.StatusUpdates.Where(s => s.AuthorId == authorId && !s.IsHidden)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new { s.Text, s.CreatedAt }).FirstOrDefaultAsync(ct);
        await SetAsync(db, authorId, newest?.Text, newest?.CreatedAt, ct);
    }
}
