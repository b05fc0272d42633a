using System.Linq.Expressions;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Privacy;

/// <summary>
/// Who is looking. <see cref="AsFriend"/> and <see cref="AsStranger"/> let a user preview their own profile
/// the way others see it.
/// </summary>
public sealed record Viewer(string? UserId, bool IsModerator = false)
{
    public static readonly Viewer Anonymous = new((string?)null);

    /// <summary>Set for a preview: treat the viewer as a friend (true) or a signed-in stranger (false) of everyone.</summary>
    internal bool? AssumeFriend { get; init; }

    public static Viewer AsFriend(string previewUserId) => new("preview:" + previewUserId) { AssumeFriend = true };
    public static Viewer AsStranger(string previewUserId) => new("preview:" + previewUserId) { AssumeFriend = false };
}

/// <summary>The privacy rules as query expressions, so hidden data never leaves the database.</summary>
internal static class Audience
{
    public static async Task<Viewer> ResolveAsync(FriendConnectDbContext db, string? userId, CancellationToken ct)
    {
        if (userId is null) return Viewer.Anonymous;
        var isModerator = await db.UserRoles
            .AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Moderation.Roles.Moderator), ct);
        return new Viewer(userId, isModerator);
    }

    /// <summary>Neither has blocked the other.</summary>
    public static Expression<Func<User, bool>> NotBlocked(FriendConnectDbContext db, string? viewerId) =>
        // Two uncorrelated IN lists (the viewer's few blocks, each way): SQLite builds each once per query and probes it
        // per row, where a correlated EXISTS with an OR cost two index searches for every user a listing touches.
        u => viewerId == null
            || (!db.Blocks.Where(b => b.BlockerId == viewerId).Select(b => b.BlockedId).Contains(u.Id)
                && !db.Blocks.Where(b => b.BlockedId == viewerId).Select(b => b.BlockerId).Contains(u.Id));

    /// <summary>A user as the viewer may see them: status text and time only for its audience.</summary>
    public static Expression<Func<User, UserSummary>> Summary(FriendConnectDbContext db, Viewer viewer)
    {
        var viewerId = viewer.UserId;
        var signedIn = viewerId != null;
        var all = viewer.IsModerator;
        var assumeFriend = viewer.AssumeFriend;
        return u => new UserSummary(
            u.Id, u.UserName!, u.DisplayName,
            all || u.Id == viewerId || u.Privacy.WhoSeesStatus == StatusAudience.Everyone
                || (signedIn && u.Privacy.WhoSeesStatus == StatusAudience.SignedInUsers)
                || (assumeFriend == true || (assumeFriend == null && db.Friendships.Any(f => f.UserId == viewerId && f.FriendId == u.Id)))
                ? u.StatusText : null,
            all || u.Id == viewerId || u.Privacy.WhoSeesStatus == StatusAudience.Everyone
                || (signedIn && u.Privacy.WhoSeesStatus == StatusAudience.SignedInUsers)
                || (assumeFriend == true || (assumeFriend == null && db.Friendships.Any(f => f.UserId == viewerId && f.FriendId == u.Id)))
                ? u.StatusAt : null);
    }

    public static bool CanSeeFriendsList(FriendsListAudience audience, Viewer viewer, string ownerId, bool viewerIsFriend) =>
        viewer.IsModerator || viewer.UserId == ownerId || audience switch
        {
            FriendsListAudience.Everyone => true,
            FriendsListAudience.Friends => viewer.AssumeFriend ?? viewerIsFriend,
            _ => false,
        };
}
