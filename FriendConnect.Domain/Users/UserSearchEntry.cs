namespace FriendConnect.Domain.Users;

/// <summary>
/// A row of "UserSearch", an SQLite FTS5 table with the trigram tokenizer that mirrors each user's normalized names
/// (kept in step by triggers on AspNetUsers; created in the DirectorySearchIndex migration). It answers
/// <c>LIKE '%term%'</c> on display names for terms of three or more characters from its index instead of reading every
/// user (<see cref="SqliteDisplayNameSearch"/>); SQLite only — PostgreSQL indexes the names in place with pg_trgm.
/// </summary>
internal sealed class UserSearchEntry
{
    public string UserId { get; set; } = "";
    public string NormalizedUserName { get; set; } = "";
    public string NormalizedDisplayName { get; set; } = "";
}
