using System.Text;
using FriendConnect.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Domain.Users;

/// <summary>
/// Identity's keys for usernames and e-mail addresses (NFC, upper case, as the default), except that a name no account
/// could have — a control character, a broken surrogate — becomes a key no account has, instead of one PostgreSQL
/// refuses (NUL) or .NET cannot normalize. Every lookup by name or address passes here: sign-in, "forgot password",
/// "resend confirmation", registration's "is it taken".
/// </summary>
internal sealed class AccountLookupNormalizer : ILookupNormalizer
{
    public string? NormalizeName(string? name) => Normalize(name);

    public string? NormalizeEmail(string? email) => Normalize(email);

    private static string? Normalize(string? key)
    {
        if (key is null) return null;
        if (!TextRules.CanMatchStoredText(key))
        {
            var unmatchable = new StringBuilder(key.Length);
            foreach (var rune in key.EnumerateRunes())
                unmatchable.Append(Rune.IsControl(rune) ? Rune.ReplacementChar : rune);
            key = unmatchable.ToString();
        }
        return key.Normalize(NormalizationForm.FormC).ToUpperInvariant();
    }
}
