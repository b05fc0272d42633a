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

    /// <summary>
    /// Null for a status post: one row for all of the author's friends, who each see it while they are friends
    /// (from before the post), have not muted the author and the status is not hidden. A post then costs one row,
    /// however many friends the author has.
    /// </summary>
    public string? RecipientId { get; set; }
    public NotificationKind Kind { get; set; }
    public required string ActorId { get; set; }

    /// <summary>The friend request or status update the notification is about.</summary>
    public long SubjectId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>A status-post notification the user opened; those at or below the user's read marker need no row.</summary>
public class NotificationRead
{
    public required string UserId { get; set; }
    public long NotificationId { get; set; }
}
