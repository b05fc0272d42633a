using System.Security.Claims;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public static class MutesApi
{
    public static void MapMutesApi(this IEndpointRouteBuilder api)
    {
        var mutes = api.MapGroup("/mutes").WithTags("Mutes").RequireAuthorization(ApiExtensions.AuthPolicy);

        mutes.MapGet("/", async Task<Ok<IReadOnlyList<UserSummary>>> (ClaimsPrincipal principal, PrivacyService privacy) =>
                TypedResults.Ok(await privacy.GetMutedAsync(principal.UserId())))
            .WithName("ListMuted").WithSummary("Friends I have muted");

        mutes.MapPut("/{userName}", Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, PrivacyService privacy, HttpContext context) =>
                directory.OnUserAsync(principal.UserId(), userName, context,
                    friendId => privacy.MuteAsync(principal.UserId(), friendId)))
            .WithName("Mute").WithSummary("Mute a friend: no notifications, out of my feed; they are not told")
            .Fails(400, 404);

        mutes.MapDelete("/{userName}", Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, PrivacyService privacy, HttpContext context) =>
                directory.OnUserAsync(principal.UserId(), userName, context,
                    friendId => privacy.UnmuteAsync(principal.UserId(), friendId)))
            .WithName("Unmute").WithSummary("Unmute a friend")
            .Fails(404);
    }
}
