using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

public sealed class UserDirectory(IDbContextFactory<FriendConnectDbContext> dbFactory)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// One page of the directory, ordered by username. A search matches the start of a username
    /// or any part of a display name, ignoring case.
    /// </summary>
    public async Task<Page<UserWithRelation>> SearchAsync(
        string? viewerId, string? search, int skip, int take, CancellationToken ct = default)
    {
        take = Math.Clamp(take, 1, MaxPageSize);
        skip = Math.Max(0, skip);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var users = db.Users.AsNoTracking();
        var term = search?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(term))
        {
            var pattern = "%" + EscapeLike(term) + "%";
            users = users.Where(u => u.NormalizedUserName!.StartsWith(term)
                || EF.Functions.Like(u.NormalizedDisplayName, pattern, "\\"));
        }

        var total = await users.CountAsync(ct);
        var page = await users
            .OrderBy(u => u.NormalizedUserName)
            .Skip(skip).Take(take)
            .Select(UserQueries.ToSummary)
            .ToListAsync(ct);
        var relations = await RelationLookup.ForAsync(db, viewerId, page.Select(u => u.Id).ToList(), ct);
        return new Page<UserWithRelation>(
            page.Select(u => new UserWithRelation(u, relations[u.Id].Relation, relations[u.Id].RequestId)).ToList(),
            total);
    }

    public async Task<Result<UserProfile>> GetProfileAsync(string? viewerId, string userName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = userName.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName == normalized)
            .Select(u => new { Summary = new UserSummary(u.Id, u.UserName!, u.DisplayName, u.StatusText, u.StatusAt), u.CreatedAt })
            .FirstOrDefaultAsync(ct);
        if (user is null) return DomainError.NotFound($"There is no user called '{userName}'.");

        var friendCount = await db.Friendships.CountAsync(f => f.UserId == user.Summary.Id, ct);
        var relation = (await RelationLookup.ForAsync(db, viewerId, [user.Summary.Id], ct))[user.Summary.Id];
        return new UserProfile(user.Summary, relation.Relation, relation.RequestId, friendCount, user.CreatedAt);
    }

    public async Task<UserSummary?> GetSummaryAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(UserQueries.ToSummary).FirstOrDefaultAsync(ct);
    }

    private static string EscapeLike(string term) =>
        term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
