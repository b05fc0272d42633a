namespace FriendConnect.Domain.Photos;

/// <summary>One upload attempt, whatever came of it: what the daily upload limit counts.</summary>
public class PhotoUpload
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
