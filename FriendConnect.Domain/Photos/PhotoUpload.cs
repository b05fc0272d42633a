namespace FriendConnect.Domain.Photos;

/// <summary>One accepted upload: what the daily upload limit counts.</summary>
public class PhotoUpload
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
