namespace FriendConnect.Domain.Moderation;

/// <summary>Usernames that are moderators by configuration ("Moderation:Moderators").</summary>
public sealed class ModerationOptions
{
    public IReadOnlyList<string> Moderators { get; init; } = [];
}
