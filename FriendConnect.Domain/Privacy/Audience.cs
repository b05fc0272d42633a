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

/// <summary>
/// The privacy rules as query expressions, so hidden data never leaves the database. A moderator passes every rule;
/// a blocked pair passes none.
/// </summary>
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

    /// <summary>
    /// The user has not blocked the viewer, or the viewer blocked them too: someone the viewer may still name (to block,
    /// unblock or report them). A person who blocked the viewer does not exist for the viewer.
    /// </summary>
    public static Expression<Func<User, bool>> NotHiddenFrom(FriendConnectDbContext db, string? viewerId) =>
        u => viewerId == null
            || db.Blocks.Any(b => b.BlockerId == viewerId && b.BlockedId == u.Id)
            || !db.Blocks.Any(b => b.BlockerId == u.Id && b.BlockedId == viewerId);

    /// <summary>The viewer may see the user's current status (and, through it, their status history).</summary>
    public static Expression<Func<User, bool>> SeesStatus(FriendConnectDbContext db, Viewer viewer)
    {
        var viewerId = viewer.UserId;
        var signedIn = viewerId != null;
        var all = viewer.IsModerator;
        var assumeFriend = viewer.AssumeFriend;
        var notBlocked = NotBlocked(db, viewerId);
        return Compose(notBlocked, (u, unblocked) => all || u.Id == viewerId
            || (unblocked && (u.Privacy.WhoSeesStatus == StatusAudience.Everyone
                || (signedIn && u.Privacy.WhoSeesStatus == StatusAudience.SignedInUsers)
                || assumeFriend == true
                || (assumeFriend == null && db.Friendships.Any(f => f.UserId == viewerId && f.FriendId == u.Id)))));
    }

    /// <summary>The viewer may see who the user's friends are: their list, their count, and any one of them as a mutual friend.</summary>
    public static Expression<Func<User, bool>> SeesFriendsList(FriendConnectDbContext db, Viewer viewer)
    {
        var viewerId = viewer.UserId;
        var all = viewer.IsModerator;
        var assumeFriend = viewer.AssumeFriend;
        return u => all || u.Id == viewerId
            || u.Privacy.WhoSeesFriends == FriendsListAudience.Everyone
            || (u.Privacy.WhoSeesFriends == FriendsListAudience.Friends
                && (assumeFriend == true || (assumeFriend == null && db.Friendships.Any(f => f.UserId == viewerId && f.FriendId == u.Id))));
    }

    /// <summary>
    /// <paramref name="template"/> with its second parameter replaced by <paramref name="rule"/>'s verdict on the same user:
    /// a projection that carries a rule's decision and still translates to one query.
    /// </summary>
    public static Expression<Func<User, T>> Compose<T>(Expression<Func<User, bool>> rule, Expression<Func<User, bool, T>> template)
    {
        var user = template.Parameters[0];
        var verdict = new Replace(rule.Parameters[0], user).Visit(rule.Body);
        return Expression.Lambda<Func<User, T>>(new Replace(template.Parameters[1], verdict).Visit(template.Body), user);
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
