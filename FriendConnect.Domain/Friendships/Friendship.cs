namespace FriendConnect.Domain.Friendships;

/// <summary>One row per direction: a friendship between A and B is (A, B) and (B, A), written together.</summary>
public class Friendship
{
    public required string UserId { get; set; }
    public required string FriendId { get; set; }
    public DateTime CreatedAt { get; set; }
}
