using System.Security.Claims;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public sealed record ReportRequest(string? UserName, long? StatusId, ReportReason? Reason, string? Details);
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
                var result = await reports.ReportAsync(me, targetId, request.StatusId, request.Reason, request.Details);
                return result.Succeeded ? TypedResults.Ok(new ReportResponse(result.Value)) : DomainProblems.For(result.Error!, context);
            })
            .RequireAuthorization(ApiExtensions.AuthPolicy)
            .WithTags("Reports")
            .WithName("Report").WithSummary("Report a user or one of their statuses; a second report of the same thing updates the first")
            .Fails(400, 404, 429);
    }
}
