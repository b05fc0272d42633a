namespace FriendConnect.Domain.Notifications;

public enum NotificationKind
{
    FriendRequestReceived = 1,
    FriendRequestAccepted = 2,
    StatusPosted = 3,
    ReportResolved = 4,
}

public class Notification
{
    public long Id { get; set; }
    public required string RecipientId { get; set; }
    public NotificationKind Kind { get; set; }
    public required string ActorId { get; set; }

    /// <summary>The friend request or status update the notification is about.</summary>
    public long SubjectId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}
