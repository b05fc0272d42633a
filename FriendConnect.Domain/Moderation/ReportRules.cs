namespace FriendConnect.Domain.Moderation;

public static class ReportRules
{
    public const int DetailsMaxLength = 1000;
}
