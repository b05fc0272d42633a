namespace FriendConnect.Domain.Privacy;

public enum RequestPolicy
{
    Everyone = 0,
    FriendsOfFriends = 1,
    Nobody = 2,
}

public enum StatusAudience
{
    Everyone = 0,
    SignedInUsers = 1,
    Friends = 2,
}

public enum FriendsListAudience
{
    Everyone = 0,
    Friends = 1,
    OnlyMe = 2,
}

/// <summary>Who may reach and see a user; stored with the user, enforced by every query that shows them.</summary>
public sealed record PrivacySettings
{
    public RequestPolicy WhoCanSendRequests { get; set; } = RequestPolicy.Everyone;
    public StatusAudience WhoSeesStatus { get; set; } = StatusAudience.Everyone;
    public FriendsListAudience WhoSeesFriends { get; set; } = FriendsListAudience.Everyone;
    public bool ShowInDirectory { get; set; } = true;
}
