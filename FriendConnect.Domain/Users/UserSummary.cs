namespace FriendConnect.Domain.Users;

/// <summary>
/// Another person as one viewer may see them. Built only by the audience projection (Privacy/UserSummary.Audience.cs):
/// the constructor is private, so a service cannot hand-build a summary that skips the rule.
/// </summary>
public sealed partial record UserSummary
{
    private UserSummary(string id, string userName, string displayName, string? statusText, DateTime? statusAt, string? photoVersion)
    {
        _photoVersion = photoVersion;
        Id = id;
        UserName = userName;
        DisplayName = displayName;
        StatusText = statusText;
        StatusAt = statusAt;
    }

    public string Id { get; }
    public string UserName { get; }
    public string DisplayName { get; }
    public string? StatusText { get; }
    public DateTime? StatusAt { get; }

    private readonly string? _photoVersion;

    /// <summary>The profile photo's largest size, or null when the person shows initials.</summary>
    public string? AvatarUrl => PhotoUrl(Photos.PhotoRules.Sizes[^1]);

    /// <summary>The smallest stored photo at least <paramref name="pixels"/> wide, or null when the person shows initials.</summary>
    public string? PhotoUrl(int pixels) =>
        _photoVersion is null ? null : Photos.PhotoRules.Url(Id, _photoVersion, Photos.PhotoRules.SizeFor(pixels));
}

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

/// <summary>
/// A profile as one viewer may see it. <see cref="FriendCount"/> is null when the owner's friends list is hidden
/// from this viewer; hidden fields are never loaded, so they cannot leak into a page or a payload.
/// </summary>
public sealed record UserProfile(UserSummary User, Relation Relation, long? PendingRequestId, int? FriendCount, DateTime JoinedAt)
{
    public bool CanSeeFriends { get; init; }

    /// <summary>Whether the owner's request policy lets this viewer send a request (the server checks again on send).</summary>
    public bool CanSendRequest { get; init; }

    /// <summary>Zero, and <see cref="MutualFriends"/> empty, when the owner's friends list is hidden from the viewer.</summary>
    public int MutualFriendCount { get; init; }
    public IReadOnlyList<UserSummary> MutualFriends { get; init; } = [];

    /// <summary>The viewer has muted this friend.</summary>
    public bool IsMuted { get; init; }

    /// <summary>Only ever true for the viewer's friends.</summary>
    public bool IsOnline { get; init; }
}
