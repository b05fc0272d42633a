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

        blocks.MapGet("/", async Task<Ok<IReadOnlyList<UserSummary>>> (ClaimsPrincipal principal, PrivacyService privacy) =>
                TypedResults.Ok(await privacy.GetBlockedAsync(principal.UserId())))
            .WithName("ListBlocked").WithSummary("People I have blocked");

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
