namespace FriendConnect.Domain.Friendships;

/// <summary>One row per direction: a friendship between A and B is (A, B) and (B, A), written together.</summary>
public class Friendship
{
    public required string UserId { get; set; }
    public required string FriendId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The friend's status posts with a notification id above this one notify the user (set when they became friends, and on unmute).</summary>
    public long NotifyAfterId { get; set; }

    /// <summary>
    /// The friend's newest visible status time (their <c>User.StatusAt</c>), kept here so a friends list ordered by it
    /// reads one index range instead of sorting every friend; written in the same transaction as the status it follows.
    /// </summary>
    public DateTime? FriendStatusAt { get; set; }
}
