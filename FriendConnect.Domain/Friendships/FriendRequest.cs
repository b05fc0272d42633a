namespace FriendConnect.Domain.Friendships;

public enum FriendRequestState
{
    Pending = 0,
    Accepted = 1,
    Declined = 2,
    Cancelled = 3,
}

public class FriendRequest
{
    public long Id { get; set; }
    public required string FromUserId { get; set; }
    public required string ToUserId { get; set; }

    /// <summary>The pair's two ids in ordinal order, so one unique index covers both directions.</summary>
    public required string PairLowId { get; set; }
    public required string PairHighId { get; set; }

    public FriendRequestState State { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RespondedAt { get; set; }

    internal static (string Low, string High) Pair(string a, string b) =>
        string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
}
