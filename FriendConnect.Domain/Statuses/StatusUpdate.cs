namespace FriendConnect.Domain.Statuses;

public class StatusUpdate
{
    public long Id { get; set; }
    public required string AuthorId { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
    public bool IsHidden { get; set; }
}
