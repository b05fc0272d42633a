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

        friends.MapGet("/", async Task<Ok<Page<UserSummary>>> (ClaimsPrincipal principal, FriendshipService friendships, int? offset, int? limit) =>
                TypedResults.Ok(await friendships.GetFriendsAsync(principal.UserId(), offset ?? 0, limit ?? 50)))
            .WithName("ListMyFriends").WithSummary("My friends with their current statuses, most recently active first");

        friends.MapDelete("/{userName}", Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, FriendshipService friendships, HttpContext context) =>
                directory.OnUserAsync(principal.UserId(), userName, context,
                    friendId => friendships.UnfriendAsync(principal.UserId(), friendId)))
            .WithName("Unfriend").WithSummary("End a friendship; nobody is notified")
            .Fails(404);
    }
}
