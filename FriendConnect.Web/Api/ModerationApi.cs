using System.Security.Claims;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public sealed record SuspendRequest(int? Days, string? Reason);
public sealed record GrantModeratorRequest(string? UserName);

public static class ModerationApi
{
    public static void MapModerationApi(this IEndpointRouteBuilder api)
    {
        var moderation = api.MapGroup("/moderation").WithTags("Moderation").RequireAuthorization(ApiExtensions.AuthPolicy);

        moderation.MapGet("/reports", async Task<Results<Ok<CursorPage<ReportView>>, ProblemHttpResult>> (
                ClaimsPrincipal principal, ModerationService service, HttpContext context, string? cursor, int? limit) =>
            {
                if (!CursorPages.TryParsePosition(cursor, out var skip)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                var result = await service.GetQueueAsync(principal.UserId(), skip, limit ?? 20);
                return result.Succeeded ? TypedResults.Ok(CursorPages.Of(result.Value!, skip, context)) : DomainProblems.For(result.Error!, context);
            })
            .WithName("ListOpenReports").WithSummary("Open reports, newest first (moderators only)")
            .Fails(400, 403);

        moderation.MapGet("/audit", async Task<Results<Ok<CursorPage<AuditRecord>>, ProblemHttpResult>> (
                ClaimsPrincipal principal, ModerationService service, HttpContext context, string? person, string? cursor, int? limit) =>
            {
                if (!TryParseAuditCursor(cursor, out var after)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                var result = await service.GetAuditLogAsync(principal.UserId(), person, after, limit);
                return result.Succeeded
                    ? TypedResults.Ok(CursorPages.Of(result.Value!.Items, result.Value.Next?.BeforeId.ToString(), context))
                    : DomainProblems.For(result.Error!, context);
            })
            .WithName("ListAuditLog")
            .WithSummary("Every moderator and operator action, newest first; with person (a username), only what they did or had done to them (moderators only)")
            .Fails(400, 403, 404);

        moderation.MapPost("/reports/{id:long}/dismiss", async Task<Results<NoContent, ProblemHttpResult>> (
                long id, ClaimsPrincipal principal, ModerationService service, HttpContext context) =>
                DomainProblems.NoContentOr(await service.DismissAsync(principal.UserId(), id), context))
            .WithName("DismissReport").WithSummary("Dismiss a report; the reporter is told it was reviewed")
            .Fails(403, 404, 409);

        moderation.MapPost("/reports/{id:long}/hide-status", async Task<Results<NoContent, ProblemHttpResult>> (
                long id, ClaimsPrincipal principal, ModerationService service, HttpContext context) =>
                DomainProblems.NoContentOr(await service.HideStatusAsync(principal.UserId(), id), context))
            .WithName("HideReportedStatus").WithSummary("Hide the reported status everywhere, live")
            .Fails(400, 403, 404);

        moderation.MapPost("/reports/{id:long}/remove-photo", async Task<Results<NoContent, ProblemHttpResult>> (
                long id, bool? blockUploads, ClaimsPrincipal principal, ModerationService service, HttpContext context) =>
                DomainProblems.NoContentOr(await service.RemovePhotoAsync(principal.UserId(), id, blockUploads ?? false), context))
            .WithName("RemoveReportedPhoto").WithSummary("Remove the reported profile photo everywhere, live; with blockUploads=true the person cannot upload another")
            .Fails(400, 403, 404);

        moderation.MapPost("/users/{userName}/suspend", async Task<Results<NoContent, ProblemHttpResult>> (
                string userName, SuspendRequest request, ClaimsPrincipal principal, UserDirectory directory, ModerationService service, HttpContext context) =>
            {
                if (!await service.IsModeratorAsync(principal.UserId()))
                    return DomainProblems.For(DomainError.Forbidden("Only moderators can do that."), context);
                var period = ModerationRules.SuspensionPeriod(request.Days);
                if (!period.Succeeded) return DomainProblems.For(period.Error!, context);
                var targetId = await directory.FindIdAsync(null, userName, evenIfBlocked: true);
                if (targetId is null) return DomainProblems.UserNotFound(userName);
                return DomainProblems.NoContentOr(await service.SuspendAsync(principal.UserId(), targetId, period.Value, request.Reason), context);
            })
            .WithName("SuspendUser").WithSummary("Suspend a user for some days or indefinitely; their sessions end at once")
            .Fails(400, 403, 404);

        moderation.MapDelete("/users/{userName}/suspension", async Task<Results<NoContent, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, ModerationService service, HttpContext context) =>
            {
                if (!await service.IsModeratorAsync(principal.UserId()))
                    return DomainProblems.For(DomainError.Forbidden("Only moderators can do that."), context);
                var targetId = await directory.FindIdAsync(null, userName, evenIfBlocked: true);
                if (targetId is null) return DomainProblems.UserNotFound(userName);
                return DomainProblems.NoContentOr(await service.LiftSuspensionAsync(principal.UserId(), targetId), context);
            })
            .WithName("LiftSuspension").WithSummary("Lift a suspension")
            .Fails(403, 404);

        moderation.MapPost("/moderators", async Task<Results<NoContent, ProblemHttpResult>> (
                GrantModeratorRequest request, ClaimsPrincipal principal, ModerationService service, HttpContext context) =>
                DomainProblems.NoContentOr(await service.GrantModeratorAsync(principal.UserId(), request.UserName ?? ""), context))
            .WithName("GrantModerator").WithSummary("Make someone a moderator (moderators only)")
            .Fails(400, 403, 404);
    }

    private static bool TryParseAuditCursor(string? cursor, out AuditCursor? after)
    {
        after = null;
        if (string.IsNullOrEmpty(cursor)) return true;
        if (!long.TryParse(cursor, out var id) || id < 1) return false;
        after = new AuditCursor(id);
        return true;
    }
}
