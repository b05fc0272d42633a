using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using FriendConnect.Domain.Users;

namespace FriendConnect.Web.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    /// <summary>Redirects within the app; anything else (another host, a scheme, "//host", "/\\host") goes to the home page.</summary>
    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalOrHome(uri));

    private string LocalOrHome(string? uri)
    {
        if (string.IsNullOrEmpty(uri)) return "";
        if (uri.StartsWith(navigationManager.BaseUri, StringComparison.OrdinalIgnoreCase))
            uri = navigationManager.ToBaseRelativePath(uri);
        return IsLocalPath(uri) ? uri.TrimStart('~') : "";
    }

    /// <summary>A path on this site: "/a/b", "~/a/b" or "a/b", with no scheme, no host and nothing a browser reads as one.</summary>
    public static bool IsLocalPath(string uri) =>
        IsPlainLocalPath(uri) && IsPlainLocalPath(Uri.UnescapeDataString(uri)); // "%2F%2Fhost" decoded by someone on the way

    private static bool IsPlainLocalPath(string uri)
    {
        var path = uri.StartsWith("~/", StringComparison.Ordinal) ? uri[1..] : uri;
        if (path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\') || path.Any(char.IsControl)) return false;
        var firstSegment = path.TrimStart('/').Split('/', '?', '#')[0];
        return !firstSegment.Contains(':') && Uri.IsWellFormedUriString(path, UriKind.Relative);
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<User> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
