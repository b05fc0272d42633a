namespace FriendConnect.Web.Components.Account;

/// <summary>An account page's answer past a limit: 429 with Retry-After, and the wait in words.</summary>
internal static class TooManyRequests
{
    public static void Answer(HttpContext context, TimeSpan wait)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
    }

    public static string InWords(TimeSpan wait) => wait.TotalMinutes <= 1 ? "a minute" : $"{Math.Ceiling(wait.TotalMinutes)} minutes";
}
