using FriendConnect.Domain.Users;

namespace FriendConnect.Domain.Friendships;

/// <summary>A pending request seen from one side: <see cref="OtherUser"/> is the sender for incoming, the addressee for outgoing.</summary>
public sealed record FriendRequestSummary(long Id, UserSummary OtherUser, DateTime CreatedAt);

public enum SendRequestOutcome
{
    RequestSent,
    BecameFriends,
}
