using System.Security.Claims;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public static class FriendsApi
{
    public static void MapFriendsApi(this IEndpointRouteBuilder api)
    {
        var friends = api.MapGroup("/friends").WithTags("Friends").RequireAuthorization(ApiExtensions.AuthPolicy);

        friends.MapGet("/", async Task<Results<Ok<CursorPage<UserSummary>>, ProblemHttpResult>> (
                ClaimsPrincipal principal, FriendshipService friendships, HttpContext context, string? cursor, int? limit) =>
            {
                if (!CursorPages.TryParsePosition(cursor, out var skip)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                return TypedResults.Ok(CursorPages.Of(await friendships.GetFriendsAsync(principal.UserId(), skip, limit ?? 50), skip, context));
            })
            .WithName("ListMyFriends").WithSummary("My friends with their current statuses, most recently active first")
            .Fails(400);

        friends.MapDelete("/{userName}", Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, FriendshipService friendships, HttpContext context) =>
                directory.OnUserAsync(principal.UserId(), userName, context,
                    async friendId => await friendships.UnfriendAsync(principal.UserId(), friendId)))
            .WithName("Unfriend").WithSummary("End a friendship; nobody is notified")
            .Fails(404);
    }
}
