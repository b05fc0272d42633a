using FriendConnect.Domain.Common;

namespace FriendConnect.Domain.Statuses;

public static class StatusRules
{
    public const int MaxLength = 280;

    public static Result<string> Normalize(string? text)
    {
        var cleaned = TextRules.Clean(text, TextShape.Paragraphs, "status", "Text");
        if (!cleaned.Succeeded) return cleaned;
        var trimmed = cleaned.Value!;
        if (trimmed.Length == 0)
            return DomainError.Validation("Write something before saving your status.", "Text");
        // Characters as people count them: an emoji is one, not two UTF-16 units.
        var length = trimmed.EnumerateRunes().Count();
        if (length > MaxLength)
            return DomainError.Validation($"A status has at most {MaxLength} characters; this one has {length}.", "Text");
        return trimmed;
    }
}
