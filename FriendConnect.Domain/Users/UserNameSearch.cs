using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

/// <summary>
/// The directory's name search for terms of three or more characters: the ids of users whose normalized display name
/// contains the term or whose normalized username starts with it. Each provider answers from a trigram index.
/// </summary>
public interface IUserNameSearch
{
    /// <param name="term">Upper-case, at least three characters, without LIKE wildcards.</param>
    IQueryable<string> Matching(FriendConnectDbContext db, string term);
}

/// <summary>SQLite: the FTS5 trigram table "UserSearch" (see <see cref="UserSearchEntry"/>).</summary>
internal sealed class SqliteUserNameSearch : IUserNameSearch
{
    public IQueryable<string> Matching(FriendConnectDbContext db, string term)
    {
        var index = db.Set<UserSearchEntry>();
        return index.Where(e => EF.Functions.Like(e.NormalizedDisplayName, "%" + term + "%")).Select(e => e.UserId)
            .Concat(index.Where(e => EF.Functions.Like(e.NormalizedUserName, term + "%")).Select(e => e.UserId));
    }
}

/// <summary>PostgreSQL: pg_trgm GIN indexes on the users' normalized names (see <see cref="PostgresFriendConnectDbContext"/>).</summary>
internal sealed class PostgresUserNameSearch : IUserNameSearch
{
    public IQueryable<string> Matching(FriendConnectDbContext db, string term) =>
        db.Users.Where(u => EF.Functions.Like(u.NormalizedDisplayName, "%" + term + "%")
                || EF.Functions.Like(u.NormalizedUserName!, term + "%"))
            .Select(u => u.Id);
}
