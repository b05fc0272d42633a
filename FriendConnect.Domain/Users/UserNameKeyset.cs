namespace FriendConnect.Domain.Users;

/// <summary>
/// Keyset paging of people by username: a page is ordered by the normalized username, and the next one starts after
/// the last username it showed.
/// </summary>
internal static class UserNameKeyset
{
    /// <summary>The users after <paramref name="afterUserName"/> (all of them without one), in username order.</summary>
    public static IQueryable<User> After(this IQueryable<User> users, string? afterUserName)
    {
        if (!string.IsNullOrEmpty(afterUserName) && !Common.TextRules.CanMatchStoredText(afterUserName))
            return users.Where(u => false).OrderBy(u => u.NormalizedUserName);
        if (!string.IsNullOrEmpty(afterUserName))
        {
            var after = afterUserName.ToUpperInvariant();
            users = users.Where(u => string.Compare(u.NormalizedUserName, after) > 0);
        }
        return users.OrderBy(u => u.NormalizedUserName);
    }

    /// <summary>
    /// Where the page after <paramref name="read"/> starts, given that up to <paramref name="take"/> + 1 rows were read:
    /// the last shown username if there was one more, otherwise none.
    /// </summary>
    public static string? Next(IReadOnlyList<UserSummary> read, int take) => read.Count > take ? read[take - 1].UserName : null;
}
