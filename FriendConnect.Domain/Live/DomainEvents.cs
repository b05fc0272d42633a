namespace FriendConnect.Domain.Live;

/// <summary>
/// What happened, recorded by the service that did it and published once its transaction has committed.
/// Who hears of it, and what each of them may see of it, is <see cref="LiveEventRouter"/>'s decision alone.
/// </summary>
public abstract record DomainEvent;

public sealed record FriendRequestSent(long RequestId, string FromUserId, string ToUserId, long NotificationId, DateTime At) : DomainEvent;

/// <summary><paramref name="NotificationId"/> is the sender's "accepted" notification; a declined request makes none.</summary>
public sealed record FriendRequestAnswered(long RequestId, string FromUserId, string ToUserId, bool Accepted, long? NotificationId, DateTime At) : DomainEvent;

public sealed record RequestCancelled(long RequestId, string FromUserId, string ToUserId) : DomainEvent;

public sealed record Unfriended(string UserId, string FriendId) : DomainEvent;

public sealed record StatusPosted(long StatusId, string AuthorId, string Text, DateTime At, long NotificationId) : DomainEvent;

public sealed record StatusHidden(long StatusId, string AuthorId) : DomainEvent;

public sealed record Blocked(string BlockerId, string BlockedId) : DomainEvent;

public sealed record Unblocked(string BlockerId, string BlockedId) : DomainEvent;

public sealed record MuteChanged(string UserId, string FriendId, bool Muted) : DomainEvent;

public sealed record PrivacyChanged(string UserId) : DomainEvent;

/// <summary>The user's own name or address changed.</summary>
public sealed record ProfileChanged(string UserId) : DomainEvent;

/// <summary>The user's profile photo was uploaded, removed by them, or removed by a moderator.</summary>
public sealed record ProfilePhotoChanged(string UserId) : DomainEvent;

/// <summary>An unfriending was undone: the friendship is back as it was.</summary>
public sealed record FriendshipRestored(string UserId, string FriendId) : DomainEvent;

/// <summary>A new security stamp, a suspension or a deletion: every open session of the account ends now.</summary>
public sealed record SessionsEnded(string UserId) : DomainEvent;

/// <summary>The friends are captured before the deletion removed the friendships.</summary>
public sealed record AccountDeleted(string UserId, IReadOnlyList<string> FriendIds) : DomainEvent;

public sealed record ReportFiled(long? ReportId) : DomainEvent;

public sealed record ReportResolved(IReadOnlyList<string> ReporterIds) : DomainEvent;

public sealed record PresenceChanged(string UserId, bool Online) : DomainEvent;

/// <summary>The user read notifications in one tab; the others update their counts.</summary>
public sealed record NotificationsRead(string UserId) : DomainEvent;

/// <summary>A privileged action was written to the audit log; nobody is told live, the log is told (<see cref="Moderation.AuditLogger"/>).</summary>
public sealed record ActionAudited(Moderation.AuditEntry Entry) : DomainEvent;
