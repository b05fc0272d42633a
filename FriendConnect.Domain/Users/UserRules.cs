using System.Net.Mail;
using System.Text.RegularExpressions;
using FriendConnect.Domain.Common;

namespace FriendConnect.Domain.Users;

public static partial class UserRules
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 32;
    public const int DisplayNameMaxLength = 64;
    public const string UsernameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    public static string UsernameHint => $"{UsernameMinLength}–{UsernameMaxLength} letters, digits, '.', '_' or '-'.";

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex UsernamePattern();

    public static DomainError? ValidateUsername(string username, string field = "Username")
    {
        if (username.Length < UsernameMinLength || username.Length > UsernameMaxLength)
            return DomainError.Validation($"A username has {UsernameMinLength} to {UsernameMaxLength} characters.", field);
        if (!UsernamePattern().IsMatch(username))
            return DomainError.Validation("A username may use only letters, digits, '.', '_' and '-'.", field);
        return null;
    }

    /// <summary>A display name as it is stored (see <see cref="TextRules"/>), or what is wrong with it.</summary>
    public static Result<string> CleanDisplayName(string? displayName, string field = "DisplayName")
    {
        var cleaned = TextRules.Clean(displayName, TextShape.Name, "display name", field);
        if (!cleaned.Succeeded) return cleaned;
        return ValidateDisplayName(cleaned.Value!, field) is { } error ? error : cleaned;
    }

    private static DomainError? ValidateDisplayName(string displayName, string field)
    {
        if (displayName.Length == 0)
            return DomainError.Validation("Enter a display name.", field);
        if (displayName.Length > DisplayNameMaxLength)
            return DomainError.Validation($"A display name has at most {DisplayNameMaxLength} characters.", field);
        return null;
    }

    public static DomainError? ValidateEmail(string email, string field = "Email")
    {
        if (email.Length > 254 || !TextRules.CanMatchStoredText(email) || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.'))
            return DomainError.Validation("Enter an e-mail address such as name@example.com.", field);
        return null;
    }

    /// <summary>A typed username as the index holds it; null (which matches no one) for a name no account could have.</summary>
    public static string? NormalizedUserName(string userName) =>
        TextRules.CanMatchStoredText(userName) ? userName.Trim().ToUpperInvariant() : null;

    /// <summary>
    /// What a username looks like, for telling apart handles that read the same: case ignored, "i", "l" and "1" one
    /// letter, "0" and "o" one, "rn" read as "m" and "vv" as "w". Two accounts never share one (a unique index), and the
    /// migration AddUserNameSkeleton computes the same with SQL's lower() and replace() — keep the two in step.
    /// </summary>
    public static string UserNameSkeleton(string userName) =>
        userName.ToLowerInvariant().Replace('i', 'l').Replace('1', 'l').Replace('0', 'o').Replace("rn", "m").Replace("vv", "w");

    /// <summary>A handle for someone who joined with only an e-mail: its local part, made valid.</summary>
    internal static string HandleFromEmail(string email)
    {
        var local = email.Split('@')[0];
        var cleaned = new string(local.Where(c => UsernameCharacters.Contains(c)).ToArray());
        if (cleaned.Length > UsernameMaxLength - 5) cleaned = cleaned[..(UsernameMaxLength - 5)];
        return cleaned.Length >= UsernameMinLength ? cleaned : "user" + cleaned;
    }
}
