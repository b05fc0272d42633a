namespace FriendConnect.Domain.Data;

/// <summary>The <c>Database:Provider</c> setting: SQLite in the data directory, or a PostgreSQL server shared by several nodes.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
