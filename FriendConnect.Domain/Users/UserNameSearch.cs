using FriendConnect.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

/// <summary>
/// The directory's "any part of a display name" search for terms of three or more characters, answered from a trigram
/// index on each engine. (The other half, "start of a username", is a range on the username index on both.)
/// </summary>
public interface IDisplayNameSearch
{
    /// <summary>The ids of users whose normalized display name contains <paramref name="term"/>.</summary>
    /// <param name="term">Upper-case, at least three characters, without LIKE wildcards.</param>
    IQueryable<string> Containing(FriendConnectDbContext db, string term);
}

/// <summary>SQLite: the FTS5 trigram table "UserSearch" (see <see cref="UserSearchEntry"/>).</summary>
internal sealed class SqliteDisplayNameSearch : IDisplayNameSearch
{
    public IQueryable<string> Containing(FriendConnectDbContext db, string term)
    {
        var pattern = "%" + term + "%";
        return db.Set<UserSearchEntry>().Where(e => EF.Functions.Like(e.NormalizedDisplayName, pattern)).Select(e => e.UserId);
    }
}

/// <summary>PostgreSQL: a pg_trgm GIN index on the normalized display name (see <see cref="PostgresFriendConnectDbContext"/>).</summary>
internal sealed class PostgresDisplayNameSearch : IDisplayNameSearch
{
    public IQueryable<string> Containing(FriendConnectDbContext db, string term)
    {
        var pattern = "%" + term + "%";
        return db.Users.Where(u => EF.Functions.Like(u.NormalizedDisplayName, pattern)).Select(u => u.Id);
    }
}
