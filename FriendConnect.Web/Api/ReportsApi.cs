using System.Security.Claims;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

/// <summary><see cref="Photo"/> true reports the person's current profile photo instead of the person or a status.</summary>
public sealed record ReportRequest(string? UserName, long? StatusId, ReportReason? Reason, string? Details, bool? Photo = null);
public sealed record ReportResponse(ReportOutcome Outcome);

public static class ReportsApi
{
    public static void MapReportsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/reports", async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> (
                ReportRequest request, ClaimsPrincipal principal, UserDirectory directory, ReportService reports, HttpContext context) =>
            {
                if (string.IsNullOrWhiteSpace(request.UserName))
                    return DomainProblems.Field(nameof(request.UserName), "Say whom you are reporting.", context);
                var me = principal.UserId();
                var targetId = await directory.FindIdAsync(me, request.UserName, evenIfBlocked: true);
                if (targetId is null) return DomainProblems.UserNotFound(request.UserName);
                if (request.Photo == true && request.StatusId is not null)
                    return DomainProblems.Field(nameof(request.Photo), "Report a status or a photo, not both at once.", context);
                var result = request.Photo == true
                    ? await reports.ReportPhotoAsync(me, targetId, request.Reason, request.Details)
                    : await reports.ReportAsync(me, targetId, request.StatusId, request.Reason, request.Details);
                return result.Succeeded ? TypedResults.Ok(new ReportResponse(result.Value)) : DomainProblems.For(result.Error!, context);
            })
            .RequireAuthorization(ApiExtensions.AuthPolicy)
            .WithTags("Reports")
            .WithName("Report").WithSummary("Report a user, one of their statuses or their profile photo; a second report of the same thing updates the first")
            .Fails(400, 404, 429);
    }
}
