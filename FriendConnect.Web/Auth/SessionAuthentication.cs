using System.Security.Claims;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Api;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Web.Auth;

/// <summary>Why this request's cookie or token was refused; the sign-out page and API problems tell the person.</summary>
public sealed record SessionRefusal(DomainError Reason);

/// <summary>
/// The one authentication step for every scheme: each cookie and bearer token is held to <see cref="SessionValidator"/>
/// on every request, wherever it is sent (pages, the API, "download my data"), so a new security stamp, a suspension or
/// a deletion ends it on its very next request.
/// </summary>
public static class SessionAuthentication
{
    /// <summary>
    /// The scheme every request is authenticated by. A request that names a bearer token is authenticated by that token
    /// alone: a cookie beside it is ignored, so a bad token is refused even when the browser's cookie is good, and the
    /// cross-site guard, which lets such requests pass, never lets a cookie through with them.
    /// </summary>
    public const string Scheme = "BrowserOrBearer";

    public static bool NamesBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().TrimStart().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    public static string SelectScheme(HttpContext context) =>
        NamesBearerToken(context.Request) ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme;

    /// <summary>
    /// Cookies: refused, not deleted. The browser that made the change may already hold its fresh cookie by the time
    /// another of its tabs sends the old one; deleting it then would sign that browser out too.
    /// </summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (await RefuseAsync(context.HttpContext, context.Principal) is not null)
            context.RejectPrincipal();
    }

    /// <summary>Bearer tokens: the handler has no event after it reads the token, so the token is read here first.</summary>
    public static async Task ValidateBearerAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = context.Token ?? (header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null);
        if (string.IsNullOrEmpty(token)) return;
        // An unreadable or expired token is the handler's to refuse.
        if (context.Options.BearerTokenProtector.Unprotect(token) is not { } ticket) return;
        if (await RefuseAsync(context.HttpContext, ticket.Principal) is { } refused)
            context.Fail(refused.Message);
    }

    private static async Task<DomainError?> RefuseAsync(HttpContext http, ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return null;
        var refused = await http.RequestServices.GetRequiredService<SessionValidator>().CheckAsync(principal, http.RequestAborted);
        if (refused is not null) http.Features.Set(new SessionRefusal(refused));
        return refused;
    }
}

/// <summary>
/// An API call refused for want of a session says why: 403 with the suspension, or 401 "Session ended.", instead of a
/// bare 401. Pages keep the usual redirect to the sign-in page.
/// </summary>
public sealed class SessionRefusalResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged && context.IsApiRequest() && context.Features.Get<SessionRefusal>() is { } refusal)
        {
            var problem = refusal.Reason.Kind == ErrorKind.Forbidden
                ? DomainProblems.For(refusal.Reason, context)
                : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Session ended.", detail: refusal.Reason.Message);
            await problem.ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
