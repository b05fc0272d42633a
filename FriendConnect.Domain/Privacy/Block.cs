namespace FriendConnect.Domain.Privacy;

public class Block
{
    public required string BlockerId { get; set; }
    public required string BlockedId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A friend whose updates the user chose not to see; the friend is not told.</summary>
public class Mute
{
    public required string UserId { get; set; }
    public required string MutedId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The newest notification id when the mute began: the friend's posts before it still notify.</summary>
    public long AfterId { get; set; }
}
