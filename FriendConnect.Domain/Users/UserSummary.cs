namespace FriendConnect.Domain.Users;

public sealed record UserSummary(string Id, string UserName, string DisplayName, string? StatusText, DateTime? StatusAt);

public enum Relation
{
    None,
    Self,
    Friend,
    RequestSent,
    RequestReceived,
}

/// <summary>Another user as the viewer sees them; <see cref="PendingRequestId"/> is set when a request waits between the two.</summary>
public sealed record UserWithRelation(UserSummary User, Relation Relation, long? PendingRequestId);

public sealed record UserProfile(UserSummary User, Relation Relation, long? PendingRequestId, int FriendCount, DateTime JoinedAt);
