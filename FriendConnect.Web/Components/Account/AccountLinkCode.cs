using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace FriendConnect.Web.Components.Account;

/// <summary>The code an account link carries (password reset, e-mail confirmation, e-mail change): a Base64url token.</summary>
internal static class AccountLinkCode
{
    /// <summary>The token, or null when the link is damaged: cut short, mistyped, or no code at all.</summary>
    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
