using FriendConnect.Web.Auth;
using Microsoft.Net.Http.Headers;

namespace FriendConnect.Web.Api;

/// <summary>Checks on requests that change state, made before any endpoint runs.</summary>
public static class RequestGuards
{
    /// <summary>
    /// Refuses a state-changing request to the API or the account endpoints that a browser sent from another site:
    /// the cookie would otherwise authenticate it. A request that names a bearer token passes: it is authenticated by that
    /// token alone, never by the cookie (<see cref="SessionAuthentication.Scheme"/>).
    /// </summary>
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (IsStateChanging(request) && !SessionAuthentication.NamesBearerToken(request)
            && (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/account"))
            && !IsFromThisSite(request))
        {
            await WriteProblemAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused.",
                "This request came from another site. Send it from FriendConnect itself, or with a bearer token.");
            return;
        }
        await next(context);
    });

    /// <summary>The API reads JSON only: a state-changing API request with any other body is refused with 415.</summary>
    public static IApplicationBuilder UseJsonBodyGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (IsStateChanging(request) && hasBody && context.IsApiRequest() && !request.HasJsonContentType())
        {
            await WriteProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                "Send the request body as JSON with 'Content-Type: application/json'.");
            return;
        }
        await next(context);
    });

    private static bool IsStateChanging(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    /// <summary>
    /// What the browser says about where the request came from. A request with neither header is not from a
    /// browser that could be tricked into sending it (browsers send Origin on every cross-origin POST).
    /// </summary>
    private static bool IsFromThisSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none")) return false;
        var origin = request.Headers[HeaderNames.Origin].ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static ValueTask WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
