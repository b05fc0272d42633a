namespace FriendConnect.Domain.Moderation;

public enum ReportReason
{
    Spam = 0,
    Harassment = 1,
    InappropriateContent = 2,
    Impersonation = 3,
    Other = 4,
}

public enum ReportState
{
    Open = 0,
    Dismissed = 1,
    ActionTaken = 2,
}

public class Report
{
    public long Id { get; set; }
    public required string ReporterId { get; set; }
    public required string TargetUserId { get; set; }

    /// <summary>Set when a specific status is reported; null for a report about the user.</summary>
    public long? StatusId { get; set; }

    /// <summary>"user", "photo" or "status:{id}": with the reporter, one open report per thing reported.</summary>
    public required string SubjectKey { get; set; }

    public ReportReason Reason { get; set; }
    public string? Details { get; set; }
    public ReportState State { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedById { get; set; }
    public string? Resolution { get; set; }

    internal const string PhotoKey = "photo";

    public bool IsAboutPhoto => SubjectKey == PhotoKey;

    internal static string KeyFor(long? statusId) => statusId is null ? "user" : $"status:{statusId}";
}
