using System.Security.Claims;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public static class BlocksApi
{
    public static void MapBlocksApi(this IEndpointRouteBuilder api)
    {
        var blocks = api.MapGroup("/blocks").WithTags("Blocks").RequireAuthorization(ApiExtensions.AuthPolicy);

        blocks.MapGet("/", async Task<Ok<CursorPage<UserSummary>>> (
                ClaimsPrincipal principal, PrivacyService privacy, HttpContext context, string? cursor, int? limit) =>
            {
                var page = await privacy.GetBlockedPageAsync(principal.UserId(), cursor, limit);
                return TypedResults.Ok(CursorPages.Of(page.Items, page.Next, context));
            })
            .WithName("ListBlocked").WithSummary("People I have blocked, by username, cursor-paged");

        blocks.MapPut("/{userName}", Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, PrivacyService privacy, HttpContext context) =>
                directory.OnUserAsync(principal.UserId(), userName, context,
                    targetId => privacy.BlockAsync(principal.UserId(), targetId), evenIfBlocked: true))
            .WithName("Block").WithSummary("Block someone: ends the friendship, cancels requests, and hides each from the other")
            .Fails(400, 404);

        blocks.MapDelete("/{userName}", Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, PrivacyService privacy, HttpContext context) =>
                directory.OnUserAsync(principal.UserId(), userName, context,
                    targetId => privacy.UnblockAsync(principal.UserId(), targetId), evenIfBlocked: true))
            .WithName("Unblock").WithSummary("Unblock someone")
            .Fails(404);
    }
}
