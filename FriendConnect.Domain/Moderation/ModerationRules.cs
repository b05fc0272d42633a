using FriendConnect.Domain.Common;

namespace FriendConnect.Domain.Moderation;

public static class ModerationRules
{
    public const int SuspensionReasonMaxLength = 500;
    public const int MaxSuspensionDays = 3650;

    /// <summary>
    /// The end of an indefinite suspension: a plain date every engine stores exactly (DateTime.MaxValue's last tick is
    /// finer than PostgreSQL's microseconds).
    /// </summary>
    public static readonly DateTime Indefinitely = new(9999, 12, 31);

    public static bool IsIndefinite(DateTime suspendedUntil) => suspendedUntil >= Indefinitely;

    /// <summary>The periods a moderator is offered first, in days; any whole number up to the maximum is allowed.</summary>
    public static IReadOnlyList<int> SuggestedSuspensionDays { get; } = [1, 7, 30];

    /// <summary>A suspension of <paramref name="days"/> days, or an indefinite one (null) when no number is given.</summary>
    public static Result<TimeSpan?> SuspensionPeriod(int? days) => days switch
    {
        null => Result<TimeSpan?>.Success(null),
        < 1 or > MaxSuspensionDays => OutOfBounds("Days"),
        _ => TimeSpan.FromDays(days.Value),
    };

    /// <summary>A suspension's reason as it is stored and shown to the user (see <see cref="TextRules"/>).</summary>
    public static Result<string> SuspensionReason(string? reason)
    {
        var cleaned = TextRules.Clean(reason, TextShape.Paragraphs, "reason", "Reason");
        if (!cleaned.Succeeded) return cleaned;
        if (cleaned.Value!.Length == 0) return DomainError.Validation("Give a reason for the suspension; the user will see it.", "Reason");
        if (cleaned.Value.Length > SuspensionReasonMaxLength)
            return DomainError.Validation($"A reason has at most {SuspensionReasonMaxLength} characters.", "Reason");
        return cleaned;
    }

    public static DomainError? ValidateSuspension(TimeSpan? duration, string? reason)
    {
        if (SuspensionReason(reason).Error is { } invalidReason) return invalidReason;
        if (duration is { } d && (d <= TimeSpan.Zero || d > TimeSpan.FromDays(MaxSuspensionDays))) return OutOfBounds("Duration");
        return null;
    }

    private static DomainError OutOfBounds(string field) =>
        DomainError.Validation($"Suspend for 1 to {MaxSuspensionDays:N0} days, or indefinitely.", field);
}
