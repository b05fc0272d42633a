using FriendConnect.Domain.Data;

namespace FriendConnect.Web.Hosting;

/// <summary>Which database engine, and how the database is brought up to date.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// <c>Sqlite</c> (the default): a file in the data directory. <c>Postgres</c>: the server named by
    /// <c>ConnectionStrings:FriendConnect</c>, for several nodes. Read by the domain when it registers the database.
    /// </summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Apply migrations at start-up (after an automatic backup on SQLite). Off: run <c>migrate</c> yourself; start-up
    /// refuses an outdated database. On PostgreSQL an advisory lock lets one node at a time migrate, so nodes that start
    /// together never race; with several nodes, turning this off and running <c>migrate</c> once per release is clearer.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}
