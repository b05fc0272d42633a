using FriendConnect.Domain.Common;

namespace FriendConnect.Domain.Moderation;

public static class ReportRules
{
    public const int DetailsMaxLength = 1000;

    /// <summary>A report's details as they are stored: null when there are none.</summary>
    public static Result<string?> CleanDetails(string? details)
    {
        var cleaned = TextRules.Clean(details, TextShape.Paragraphs, "details", "Details");
        if (!cleaned.Succeeded) return cleaned.Error!;
        var text = cleaned.Value!;
        if (text.Length > DetailsMaxLength)
            return DomainError.Validation($"Details have at most {DetailsMaxLength:N0} characters; these have {text.Length:N0}.", "Details");
        return Result<string?>.Success(text.Length == 0 ? null : text);
    }
}
