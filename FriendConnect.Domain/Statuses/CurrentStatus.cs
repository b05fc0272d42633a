using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Statuses;

/// <summary>
/// A user's current status is their newest visible update. It is copied to their user row (what profiles show) and to
/// every friendship row that points at them (what friends lists are ordered by); both are written here, inside the
/// caller's transaction, so they never disagree with the updates themselves.
/// </summary>
internal static class CurrentStatus
{
    public static async Task SetAsync(FriendConnectDbContext db, string authorId, string? text, DateTime? at, CancellationToken ct)
    {
        await db.Users.Where(u => u.Id == authorId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.StatusText, text).SetProperty(u => u.StatusAt, at), ct);
        await SetOnFriendshipsAsync(db, authorId, at, ct);
    }

    /// <summary>The friendship half alone, for a caller that writes the user row itself.</summary>
    public static Task<int> SetOnFriendshipsAsync(FriendConnectDbContext db, string authorId, DateTime? at, CancellationToken ct) =>
        db.Friendships.Where(f => f.FriendId == authorId)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.FriendStatusAt, at), ct);

    /// <summary>After an update was hidden or removed: the newest one still visible becomes current (or none).</summary>
    public static async Task RefreshAsync(FriendConnectDbContext db, string authorId, CancellationToken ct)
    {
        var newest = await db.StatusUpdates.Where(s => s.AuthorId == authorId && !s.IsHidden)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new { s.Text, s.CreatedAt }).FirstOrDefaultAsync(ct);
        await SetAsync(db, authorId, newest?.Text, newest?.CreatedAt, ct);
    }
}
