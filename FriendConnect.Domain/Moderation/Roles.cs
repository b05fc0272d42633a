namespace FriendConnect.Domain.Moderation;

public static class Roles
{
    public const string Moderator = "Moderator";
}
