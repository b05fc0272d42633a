using FriendConnect.Domain.Common;
using System.Security.Claims;
using FriendConnect.Domain.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public sealed record UnreadCount(int Count);

public static class NotificationsApi
{
    public static void MapNotificationsApi(this IEndpointRouteBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications").RequireAuthorization(ApiExtensions.AuthPolicy);

        notifications.MapGet("/", async Task<Ok<CursorPage<NotificationView>>> (
                ClaimsPrincipal principal, NotificationService service, HttpContext context, long? cursor, int? limit) =>
            {
                var take = Paging.Take(limit);
                var items = await service.GetRecentAsync(principal.UserId(), take, cursor);
                var next = items.Count == take ? items[^1].Id.ToString() : null;
                return TypedResults.Ok(CursorPages.Of(items, next, context));
            })
            .WithName("ListNotifications").WithSummary("My notifications, newest first; the cursor is the last id seen");

        notifications.MapGet("/unread-count", async Task<Ok<UnreadCount>> (ClaimsPrincipal principal, NotificationService service) =>
                TypedResults.Ok(new UnreadCount(await service.GetUnreadCountAsync(principal.UserId()))))
            .WithName("GetUnreadCount").WithSummary("How many notifications I have not read");

        notifications.MapPost("/{id:long}/read", async Task<Results<NoContent, ProblemHttpResult>> (
                long id, ClaimsPrincipal principal, NotificationService service, HttpContext context) =>
                DomainProblems.NoContentOr(await service.MarkReadAsync(principal.UserId(), id), context))
            .WithName("MarkNotificationRead").WithSummary("Mark one notification read (other tabs and streams update)")
            .Fails(404);

        notifications.MapPost("/read-all", async Task<NoContent> (ClaimsPrincipal principal, NotificationService service) =>
            {
                await service.MarkAllReadAsync(principal.UserId());
                return TypedResults.NoContent();
            })
            .WithName("MarkAllNotificationsRead").WithSummary("Mark every notification read");
    }
}
