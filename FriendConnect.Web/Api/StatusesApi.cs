using System.Security.Claims;
using FriendConnect.Domain.Statuses;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public sealed record PostStatusRequest(string? Text);

public static class StatusesApi
{
    public static void MapStatusesApi(this IEndpointRouteBuilder api)
    {
        var statuses = api.MapGroup("").WithTags("Statuses").RequireAuthorization(ApiExtensions.AuthPolicy);

        statuses.MapPost("/statuses", async Task<Results<Created<FeedItem>, ProblemHttpResult>> (
                PostStatusRequest request, ClaimsPrincipal principal, StatusService service, HttpContext context) =>
            {
                var result = await service.PostAsync(principal.UserId(), request.Text);
                if (!result.Succeeded) return DomainProblems.For(result.Error!, context);
                return TypedResults.Created($"/api/v1/users/{result.Value!.Author.UserName}/statuses", result.Value);
            })
            .WithName("PostStatus").WithSummary("Set a new status (1–280 characters, plain text); friends are notified live")
            .Fails(400, 429);

        statuses.MapGet("/feed", async Task<Results<Ok<CursorPage<FeedItem>>, ProblemHttpResult>> (
                ClaimsPrincipal principal, StatusService service, HttpContext context, string? cursor, int? limit) =>
            {
                if (!FeedCursors.TryParse(cursor, out var after)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                var page = await service.GetFeedAsync(principal.UserId(), after, limit ?? 20);
                return TypedResults.Ok(CursorPages.Of(page.Items, FeedCursors.Format(page.Next), context));
            })
            .WithName("GetFeed").WithSummary("My friends' status updates, newest first, cursor-paged")
            .Fails(400)
            .WithETag();
    }
}
