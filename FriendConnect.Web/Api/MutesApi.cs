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

        mutes.MapGet("/", async Task<Ok<CursorPage<UserSummary>>> (
                ClaimsPrincipal principal, PrivacyService privacy, HttpContext context, string? cursor, int? limit) =>
            {
                var page = await privacy.GetMutedPageAsync(principal.UserId(), cursor, limit);
                return TypedResults.Ok(CursorPages.Of(page.Items, page.Next, context));
            })
            .WithName("ListMuted").WithSummary("Friends I have muted, by username, cursor-paged");

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
