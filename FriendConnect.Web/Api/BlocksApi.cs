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

        blocks.MapPut("/{userName}", async Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, PrivacyService privacy, HttpContext context) =>
            {
                var me = principal.UserId();
                var targetId = await directory.FindIdAsync(me, userName, evenIfBlocked: true);
                if (targetId is null) return DomainProblems.UserNotFound(userName);
                return FriendRequestsApi.Respond(await privacy.BlockAsync(me, targetId), context);
            })
            .WithName("Block").WithSummary("Block someone: ends the friendship, cancels requests, and hides each from the other");

        blocks.MapDelete("/{userName}", async Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, PrivacyService privacy, HttpContext context) =>
            {
                var me = principal.UserId();
                var targetId = await directory.FindIdAsync(me, userName, evenIfBlocked: true);
                if (targetId is null) return DomainProblems.UserNotFound(userName);
                return FriendRequestsApi.Respond(await privacy.UnblockAsync(me, targetId), context);
            })
            .WithName("Unblock").WithSummary("Unblock someone");
    }
}
