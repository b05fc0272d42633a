using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;

using FriendConnect.Domain.Presence;
using FriendConnect.Domain.Privacy;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

public sealed class UserDirectory(IDbContextFactory<FriendConnectDbContext> dbFactory, PresenceTracker presence, IDisplayNameSearch displayNames)
{
    public const int MaxPageSize = 100;

    /// <summary>The directory counts matches exactly up to this many; past it the total reads "1,000+".</summary>
    public const int CountLimit = 1000;

    /// <summary>
    /// A search counts matches exactly up to this many; past it the total reads "200+" and the term is better narrowed.
    /// </summary>
    public const int SearchCountLimit = 200;

    /// <summary>
    /// A search considers at most this many matching people (username matches first), so its cost stops growing with the
    /// number of matches: a common name costs what a rare one does.
    /// </summary>
    internal const int SearchMatchLimit = SearchCountLimit + 1;
    private const int MutualFriendsShown = 12;

    /// <summary>
    /// One page of the directory, ordered by username. A search matches the start of a username
    /// or any part of a display name, ignoring case. People who opted out of the directory appear
    /// only to an exact username search; blocked pairs never see each other.
    /// </summary>
    public async Task<Page<UserWithRelation>> SearchAsync(
        string? viewerId, string? search, int skip, int take, CancellationToken ct = default)
    {
        take = Paging.Take(take, MaxPageSize);
        skip = Paging.Skip(skip);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        var users = Filter(db, viewer, search);
        // The pager's total is exact up to the limit and "limit+" beyond: an exact count of a large directory reads
        // every matching user on every page view, so its cost would grow with the site rather than with the page.
        var limit = string.IsNullOrWhiteSpace(search) ? CountLimit : SearchCountLimit;
        var counted = await users.Take(limit + 1).CountAsync(ct);
        var page = await users
            .OrderBy(u => u.NormalizedUserName)
            .Skip(skip).Take(take)
            .Select(UserSummary.SeenBy(db, viewer))
            .ToListAsync(ct);
        return new Page<UserWithRelation>(await WithRelationsAsync(db, viewerId, page, ct), Math.Min(counted, limit))
        {
            TotalIsLowerBound = counted > limit,
        };
    }

    /// <summary>The same directory, keyset-paged: pass the last username seen as <paramref name="afterUserName"/>.</summary>
    public async Task<KeysetPage<UserWithRelation, string>> SearchAfterAsync(
        string? viewerId, string? search, string? afterUserName, int take, CancellationToken ct = default)
    {
        take = Paging.Take(take, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        var page = await Filter(db, viewer, search)
            .After(afterUserName)
            .Take(take + 1)
            .Select(UserSummary.SeenBy(db, viewer))
            .ToListAsync(ct);
        var next = UserNameKeyset.Next(page, take);
        return new KeysetPage<UserWithRelation, string>(await WithRelationsAsync(db, viewerId, page.Take(take).ToList(), ct), next);
    }

    /// <summary>
    /// A user's id by username; someone in a block with the viewer is not found. <paramref name="evenIfBlocked"/> finds
    /// people the viewer blocked (to unblock or report them), never someone who blocked the viewer: to them, the blocker
    /// does not exist.
    /// </summary>
    public async Task<string?> FindIdAsync(string? viewerId, string userName, bool evenIfBlocked = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = UserRules.NormalizedUserName(userName);
        var users = db.Users.Where(u => u.NormalizedUserName == normalized);
        users = evenIfBlocked
            ? users.Where(Audience.NotHiddenFrom(db, viewerId))
            : users.Where(Audience.NotBlocked(db, viewerId));
        return await users.Select(u => u.Id).FirstOrDefaultAsync(ct);
    }

    private IQueryable<User> Filter(FriendConnectDbContext db, Viewer viewer, string? search)
    {
        var viewerId = viewer.UserId;
        var users = db.Users.AsNoTracking().Where(Audience.NotBlocked(db, viewerId));
        var term = TextRules.SearchTerm(search)?.ToUpperInvariant();
        // A term with a control character matches no stored text, and no database is asked about it.
        if (search is not null && term is null) return users.Where(u => false);
        var exact = term ?? "";
        if (!viewer.IsModerator)
            users = users.Where(u => u.Privacy.ShowInDirectory || u.Id == viewerId || u.NormalizedUserName == exact);
        if (!string.IsNullOrEmpty(term) && term.Length >= 3 && term.IndexOfAny(['%', '_', '\\']) < 0)
        {
            // Indexes find both kinds of match without reading every user: usernames that start with the term are a range
            // of the username index; display names that contain it come from a trigram index (IDisplayNameSearch).
            var after = term[..^1] + (char)(term[^1] + 1);
            var matches = db.Users
                .Where(u => string.Compare(u.NormalizedUserName, term) >= 0 && string.Compare(u.NormalizedUserName, after) < 0)
                .Select(u => u.Id)
                .Concat(displayNames.Containing(db, term))
                .Take(SearchMatchLimit);
            users = users.Where(u => matches.Contains(u.Id));
        }
        else if (!string.IsNullOrEmpty(term))
        {
            // One or two characters (or LIKE's own wildcards) are beyond the trigram index: read the names.
            var pattern = "%" + EscapeLike(term) + "%";
            users = users.Where(u => u.NormalizedUserName!.StartsWith(term)
                || EF.Functions.Like(u.NormalizedDisplayName, pattern, "\\"));
        }
        return users;
    }

    private static async Task<List<UserWithRelation>> WithRelationsAsync(
        FriendConnectDbContext db, string? viewerId, List<UserSummary> page, CancellationToken ct)
    {
        var relations = await RelationLookup.ForAsync(db, viewerId, page.Select(u => u.Id).ToList(), ct);
        return page.Select(u => new UserWithRelation(u, relations[u.Id].Relation, relations[u.Id].RequestId)).ToList();
    }

    public async Task<Result<UserProfile>> GetProfileAsync(string? viewerId, string userName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        var normalized = UserRules.NormalizedUserName(userName);
        return await LoadProfileAsync(db, viewer, u => u.NormalizedUserName == normalized, userName, ct);
    }

    /// <summary>"View my profile as…": exactly what a friend, or a signed-in stranger, would see.</summary>
    public async Task<Result<UserProfile>> PreviewProfileAsync(string userId, bool asFriend, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = asFriend ? Viewer.AsFriend(userId) : Viewer.AsStranger(userId);
        return await LoadProfileAsync(db, viewer, u => u.Id == userId, userId, ct);
    }

    /// <summary>Another user's friends, if their privacy setting lets the viewer see them.</summary>
    public async Task<Result<Page<UserSummary>>> GetFriendsOfAsync(
        string? viewerId, string userName, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Audience.ResolveAsync(db, viewerId, ct);
        var normalized = UserRules.NormalizedUserName(userName);
        var owner = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName == normalized)
            .Where(Audience.NotBlocked(db, viewerId))
            .Select(Audience.Compose(Audience.SeesFriendsList(db, viewer), (u, sees) => new { u.Id, CanSeeFriends = sees }))
            .FirstOrDefaultAsync(ct);
        if (owner is null) return NotFound(userName);
        if (!owner.CanSeeFriends)
            return DomainError.Forbidden("This person keeps their friends list private.");

        var friends = db.Friendships.Where(f => f.UserId == owner.Id)
            .Join(db.Users, f => f.FriendId, u => u.Id, (f, u) => u)
            .Where(Audience.NotBlocked(db, viewerId));
        var total = await friends.CountAsync(ct);
        var items = await friends.OrderBy(u => u.NormalizedUserName)
            .Skip(Paging.Skip(skip)).Take(Paging.Take(take, MaxPageSize))
            .Select(UserSummary.SeenBy(db, viewer))
            .ToListAsync(ct);
        return new Page<UserSummary>(items, total);
    }

    /// <summary>A user's own summary, as they see themselves.</summary>
    public async Task<UserSummary?> GetSummaryAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(UserSummary.SeenBy(db, new Viewer(userId))).FirstOrDefaultAsync(ct);
    }

    private async Task<Result<UserProfile>> LoadProfileAsync(
        FriendConnectDbContext db, Viewer viewer, System.Linq.Expressions.Expression<Func<User, bool>> which,
        string asked, CancellationToken ct)
    {
        var viewerId = viewer.UserId;
        var user = await db.Users.AsNoTracking()
            .Where(which)
            .Where(Audience.NotBlocked(db, viewerId))
            .Select(Audience.Compose(Audience.SeesFriendsList(db, viewer), (u, sees) => new { u.Id, u.CreatedAt, u.Privacy, CanSeeFriends = sees }))
            .FirstOrDefaultAsync(ct);
        // Blocked either way: the same answer as for someone who doesn't exist.
        if (user is null) return NotFound(asked);

        var summary = await db.Users.Where(u => u.Id == user.Id).Select(UserSummary.SeenBy(db, viewer)).FirstAsync(ct);
        var relation = viewer.AssumeFriend switch
        {
            true => (Relation: Relation.Friend, RequestId: (long?)null),
            false => (Relation.None, null),
            null => (await RelationLookup.ForAsync(db, viewerId, [user.Id], ct))[user.Id],
        };
        var isFriend = relation.Relation == Relation.Friend;
        var canSeeFriends = user.CanSeeFriends;
        // Counted like the list the viewer may open: without people in a block with the viewer.
        int? friendCount = canSeeFriends
            ? await db.Friendships.Where(f => f.UserId == user.Id)
                .Join(db.Users, f => f.FriendId, u => u.Id, (f, u) => u)
                .Where(Audience.NotBlocked(db, viewerId))
                .CountAsync(ct)
            : null;

        var mutual = new List<UserSummary>();
        var mutualCount = 0;
        if (viewerId is not null && viewer.AssumeFriend is null && viewerId != user.Id)
        {
            var mutualQuery = db.Friendships
                .Where(f => f.UserId == viewerId && db.Friendships.Any(g => g.UserId == user.Id && g.FriendId == f.FriendId))
                .Join(db.Users, f => f.FriendId, u => u.Id, (f, u) => u);
            mutualCount = await mutualQuery.CountAsync(ct);
            // That someone is the owner's friend comes from the owner's list: shown only to those who may see that list.
            if (canSeeFriends)
                mutual = await mutualQuery.OrderBy(u => u.NormalizedUserName).Take(MutualFriendsShown)
                    .Select(UserSummary.SeenBy(db, viewer)).ToListAsync(ct);
        }

        var canSend = relation.Relation == Relation.None && viewerId is not null && (user.Privacy.WhoCanSendRequests switch
        {
            RequestPolicy.Everyone => true,
            RequestPolicy.FriendsOfFriends => mutualCount > 0,
            _ => false,
        });
        var isMuted = isFriend && viewer.AssumeFriend is null
            && await db.Mutes.AnyAsync(m => m.UserId == viewerId && m.MutedId == user.Id, ct);

        return new UserProfile(summary, relation.Relation, relation.RequestId, friendCount, user.CreatedAt)
        {
            CanSeeFriends = canSeeFriends,
            CanSendRequest = canSend,
            MutualFriendCount = canSeeFriends ? mutualCount : 0,
            MutualFriends = mutual,
            IsMuted = isMuted,
            IsOnline = isFriend && viewer.AssumeFriend is null && presence.IsOnline(user.Id),
        };
    }

    private static DomainError NotFound(string userName) => DomainError.NotFound($"There is no user called '{userName}'.");

    private static string EscapeLike(string term) =>
        term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
