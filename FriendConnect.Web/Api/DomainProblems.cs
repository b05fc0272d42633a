using System.Security.Claims;
using System.Text.Json;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendConnect.Web.Api;

/// <summary>Turns a domain refusal into an RFC 7807 problem response: the service decided, the endpoint only translates.</summary>
internal static class DomainProblems
{
    public static ProblemHttpResult For(DomainError error, HttpContext context)
    {
        if (error.Kind == ErrorKind.LimitReached && error.RetryAfter is { } wait)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();

        if (error.Kind == ErrorKind.Validation && error.Field is { } field)
            return TypedResults.Problem(new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [JsonNamingPolicy.CamelCase.ConvertName(field)] = [error.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
                Detail = error.Message,
            });

        var (status, title) = error.Kind switch
        {
            ErrorKind.Validation => (StatusCodes.Status400BadRequest, "The request is invalid."),
            ErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found."),
            ErrorKind.Conflict => (StatusCodes.Status409Conflict, "Conflict."),
            ErrorKind.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden."),
            ErrorKind.LimitReached => (StatusCodes.Status429TooManyRequests, "Limit reached."),
            _ => (StatusCodes.Status400BadRequest, "The request is invalid."),
        };
        return TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = error.Message });
    }

    public static ProblemHttpResult Field(string field, string message, HttpContext context) =>
        For(DomainError.Validation(message, field), context);

    public static ProblemHttpResult UserNotFound(string userName) =>
        TypedResults.Problem(new ProblemDetails { Status = 404, Title = "Not found.", Detail = $"There is no user called '{userName}'." });

    /// <summary>204 when the domain agreed, otherwise its refusal as a problem.</summary>
    public static Results<NoContent, ProblemHttpResult> NoContentOr(Result result, HttpContext context) =>
        result.Succeeded ? TypedResults.NoContent() : For(result.Error!, context);

    /// <summary>
    /// Runs a domain action on the user a route names: 404 when there is no such user (or, unless
    /// <paramref name="evenIfBlocked"/>, when a block hides them from the caller), else the action's outcome.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> OnUserAsync(
        this UserDirectory directory, string? callerId, string userName, HttpContext context,
        Func<string, Task<Result>> action, bool evenIfBlocked = false)
    {
        var userId = await directory.FindIdAsync(callerId, userName, evenIfBlocked, context.RequestAborted);
        return userId is null ? UserNotFound(userName) : NoContentOr(await action(userId), context);
    }

    /// <summary>The signed-in caller's id; endpoints that require sign-in always have one.</summary>
    public static string UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The caller is not signed in.");

    public static string? OptionalUserId(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.NameIdentifier);
}
