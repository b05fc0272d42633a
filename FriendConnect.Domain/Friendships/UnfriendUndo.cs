namespace FriendConnect.Domain.Friendships;

/// <summary>
/// What an unfriending removed, kept by the page that did it so the user can take it back for a short while.
/// Only <see cref="FriendshipService.UnfriendAsync"/> makes one, so it cannot name a friendship that never was.
/// </summary>
public sealed class UnfriendUndo
{
    /// <summary>How long after unfriending the friendship can be put back as it was.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    internal UnfriendUndo(string userId, string friendId, DateTime at, IReadOnlyList<Friendship> rows)
    {
        UserId = userId;
        FriendId = friendId;
        At = at;
        Rows = rows;
    }

    public string UserId { get; }
    public string FriendId { get; }
    public DateTime At { get; }
    internal IReadOnlyList<Friendship> Rows { get; }
}
