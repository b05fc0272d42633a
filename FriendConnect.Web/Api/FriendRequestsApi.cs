using System.Security.Claims;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public sealed record SendFriendRequest(string? UserName);
public sealed record SendFriendRequestResponse(SendRequestOutcome Outcome);

public static class FriendRequestsApi
{
    public static void MapFriendRequestsApi(this IEndpointRouteBuilder api)
    {
        var requests = api.MapGroup("/friend-requests").WithTags("Friend requests").RequireAuthorization(ApiExtensions.AuthPolicy);

        requests.MapGet("/incoming", async Task<Results<Ok<CursorPage<FriendRequestSummary>>, ProblemHttpResult>> (
                ClaimsPrincipal principal, FriendshipService friendships, HttpContext context, string? cursor, int? limit) =>
            {
                if (!FeedCursors.TryParse(cursor, out var after)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                var page = await friendships.GetIncomingPageAsync(principal.UserId(), after, limit);
                return TypedResults.Ok(CursorPages.Of(page.Items, FeedCursors.Format(page.Next), context));
            })
            .WithName("ListIncomingRequests").WithSummary("Pending requests others sent me, newest first, cursor-paged")
            .Fails(400);

        requests.MapGet("/outgoing", async Task<Results<Ok<CursorPage<FriendRequestSummary>>, ProblemHttpResult>> (
                ClaimsPrincipal principal, FriendshipService friendships, HttpContext context, string? cursor, int? limit) =>
            {
                if (!FeedCursors.TryParse(cursor, out var after)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                var page = await friendships.GetOutgoingPageAsync(principal.UserId(), after, limit);
                return TypedResults.Ok(CursorPages.Of(page.Items, FeedCursors.Format(page.Next), context));
            })
            .WithName("ListOutgoingRequests").WithSummary("My pending requests, newest first, cursor-paged")
            .Fails(400);

        requests.MapPost("/", async Task<Results<Ok<SendFriendRequestResponse>, ProblemHttpResult>> (
                SendFriendRequest request, ClaimsPrincipal principal, UserDirectory directory, FriendshipService friendships, HttpContext context) =>
            {
                if (string.IsNullOrWhiteSpace(request.UserName))
                    return DomainProblems.Field(nameof(request.UserName), "Say whom to send the request to.", context);
                var me = principal.UserId();
                var targetId = await directory.FindIdAsync(me, request.UserName);
                if (targetId is null) return DomainProblems.UserNotFound(request.UserName);
                var result = await friendships.SendRequestAsync(me, targetId);
                return result.Succeeded ? TypedResults.Ok(new SendFriendRequestResponse(result.Value)) : DomainProblems.For(result.Error!, context);
            })
            .WithName("SendFriendRequest").WithSummary("Send a friend request (to someone who already asked me: accepts theirs)")
            .Fails(400, 403, 404, 409, 429);

        requests.MapPost("/{id:long}/accept", async Task<Results<NoContent, ProblemHttpResult>> (
                long id, ClaimsPrincipal principal, FriendshipService friendships, HttpContext context) =>
                DomainProblems.NoContentOr(await friendships.AcceptAsync(id, principal.UserId()), context))
            .WithName("AcceptFriendRequest").WithSummary("Accept a request sent to me")
            .Fails(403, 404, 409);

        requests.MapPost("/{id:long}/decline", async Task<Results<NoContent, ProblemHttpResult>> (
                long id, ClaimsPrincipal principal, FriendshipService friendships, HttpContext context) =>
                DomainProblems.NoContentOr(await friendships.DeclineAsync(id, principal.UserId()), context))
            .WithName("DeclineFriendRequest").WithSummary("Decline a request sent to me; the sender is not told")
            .Fails(403, 404, 409);

        requests.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (
                long id, ClaimsPrincipal principal, FriendshipService friendships, HttpContext context) =>
                DomainProblems.NoContentOr(await friendships.CancelAsync(id, principal.UserId()), context))
            .WithName("CancelFriendRequest").WithSummary("Cancel a request I sent")
            .Fails(403, 404, 409);
    }
}
