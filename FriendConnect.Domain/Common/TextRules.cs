using System.Globalization;
using System.Text;

namespace FriendConnect.Domain.Common;

/// <summary>What a text needs to be shown to other people as its writer meant it.</summary>
public enum TextShape
{
    /// <summary>A name people recognize someone by: one line, no invisible characters (zero-width joiners between visible ones excepted).</summary>
    Name,

    /// <summary>One line of text: a reason, a search term.</summary>
    Line,

    /// <summary>Text that may run over several lines: a status, report details.</summary>
    Paragraphs,
}

/// <summary>
/// The one rule for every text a person types (docs/decisions/020): stored as Unicode NFC, trimmed, without control
/// characters (NUL, C0, C1; a newline or tab only in <see cref="TextShape.Paragraphs"/>), without the characters that
/// turn text around (bidi embeddings, overrides and isolates); and text that shows nothing once invisible characters
/// are left out counts as empty.
/// </summary>
public static class TextRules
{
    /// <summary>
    /// The text as it is stored: NFC, trimmed, line breaks as "\n"; "" when it shows nothing. An error names what to remove.
    /// </summary>
    /// <param name="what">The text's name in a sentence, such as "display name" or "status".</param>
    public static Result<string> Clean(string? text, TextShape shape, string what, string field)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (HasBrokenCharacter(text))
            return DomainError.Validation($"The {what} contains a character that isn't valid text; type it again.", field);
        text = text.Normalize(NormalizationForm.FormC).Replace("\r\n", "\n").Replace('\r', '\n')
            .Replace('\u2028', '\n').Replace('\u2029', '\n');
        text = text.Trim(TrimmedSpaces);
        if (!IsVisible(text)) return "";

        var runes = text.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            if (r.Value is '\n' or '\t')
            {
                if (shape != TextShape.Paragraphs)
                    return DomainError.Validation($"The {what} must fit on one line: remove the line break or tab.", field);
            }
            else if (Rune.IsControl(r))
                return DomainError.Validation($"The {what} contains a control character (U+{r.Value:X4}); remove it.", field);
            else if (IsDirectionControl(r))
                return DomainError.Validation($"The {what} contains a character that reverses the direction of the text (U+{r.Value:X4}); remove it.", field);
            else if (shape == TextShape.Name && IsHiddenInName(r) && !IsJoinerBetweenVisible(runes, i))
                return DomainError.Validation($"The {what} contains an invisible character (U+{r.Value:X4}); remove it.", field);
        }
        return text;
    }

    /// <summary>Spaces, tabs and line breaks, but not the other controls .NET counts as white space (U+0085, U+000B…): those are refused.</summary>
    private static readonly char[] TrimmedSpaces = [.. Enumerable.Range(0, 0x3001).Select(c => (char)c)
        .Where(c => char.IsWhiteSpace(c) && (!char.IsControl(c) || c is '\t' or '\n'))];

    /// <summary>
    /// Whether a search term or sign-in name could match anything stored: a text with a control character or a broken
    /// surrogate cannot, and must find nothing rather than reach the database.
    /// </summary>
    public static bool CanMatchStoredText(string text) => !HasBrokenCharacter(text) && !text.Any(char.IsControl);

    /// <summary>A search term in the form stored texts have (NFC, trimmed), or null when it can match nothing.</summary>
    public static string? SearchTerm(string? text) =>
        text is null || !CanMatchStoredText(text) ? null : text.Normalize(NormalizationForm.FormC).Trim(TrimmedSpaces);

    /// <summary>Whether anything of the text would be seen: not only spaces, zero-width and other invisible characters.</summary>
    public static bool IsVisible(string text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (!IsInvisible(rune)) return true;
        return false;
    }

    /// <summary>Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they make text read other than it is stored.</summary>
    private static bool IsDirectionControl(Rune r) => r.Value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069;

    private static bool IsInvisible(Rune rune)
    {
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                return true;
        }
        // Variation selectors on their own, and blank letters and symbols that render as nothing.
        return rune.Value is 0x034F or >= 0x180B and <= 0x180F or >= 0xFE00 and <= 0xFE0F or >= 0xE0100 and <= 0xE01EF
            || IsBlankLetter(rune);
    }

    private static bool IsBlankLetter(Rune rune) => rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    /// <summary>In a name: a format character (zero-width space, word joiner, soft hyphen, tags…) or a blank letter.</summary>
    private static bool IsHiddenInName(Rune rune) => Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format || IsBlankLetter(rune);

    /// <summary>A zero-width (non-)joiner between two visible characters, as emoji sequences and several scripts need.</summary>
    private static bool IsJoinerBetweenVisible(Rune[] runes, int i) =>
        runes[i].Value is 0x200C or 0x200D && i > 0 && i < runes.Length - 1
        && !IsHiddenInName(runes[i - 1]) && !Rune.IsWhiteSpace(runes[i - 1])
        && !IsHiddenInName(runes[i + 1]) && !Rune.IsWhiteSpace(runes[i + 1]);

    private static bool HasBrokenCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }
}
