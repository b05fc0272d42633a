namespace FriendConnect.Domain.Friendships;

/// <summary>One row per direction: a friendship between A and B is (A, B) and (B, A), written together.</summary>
public class Friendship
{
    public required string UserId { get; set; }
    public required string FriendId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The friend's status posts with a notification id above this one notify the user (set when they became friends, and on unmute).</summary>
    public long NotifyAfterId { get; set; }

}
