namespace FriendConnect.Domain.Friendships;

/// <summary>"Not interested" on a people-you-may-know suggestion.</summary>
public class SuggestionDismissal
{
    public required string UserId { get; set; }
    public required string DismissedId { get; set; }
}
