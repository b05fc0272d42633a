using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Moderation;

public enum ReportOutcome
{
    Created,
    Updated,
}

/// <summary>Reports of users and statuses. The reported user never learns who reported them.</summary>
public sealed class ReportService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    TimeProvider clock,
    ActionLimits limits)
{
    private static readonly TimeSpan ReportWindow = TimeSpan.FromDays(1);

    public Task<Result<ReportOutcome>> ReportAsync(
        string reporterId, string targetUserId, long? statusId, ReportReason? chosenReason, string? details, CancellationToken ct = default) =>
        FileAsync(reporterId, targetUserId, statusId, aboutPhoto: false, chosenReason, details, ct);

    /// <summary>Reports the person's current profile photo; a moderator can remove it and stop their uploads.</summary>
    public Task<Result<ReportOutcome>> ReportPhotoAsync(
        string reporterId, string targetUserId, ReportReason? chosenReason, string? details, CancellationToken ct = default) =>
        FileAsync(reporterId, targetUserId, statusId: null, aboutPhoto: true, chosenReason, details, ct);

    private async Task<Result<ReportOutcome>> FileAsync(
        string reporterId, string targetUserId, long? statusId, bool aboutPhoto, ReportReason? chosenReason, string? details, CancellationToken ct)
    {
        if (reporterId == targetUserId) return DomainError.Validation("You can't report yourself.");
        if (chosenReason is not { } reason || !Enum.IsDefined(reason))
            return DomainError.Validation($"Choose a reason for the report: {string.Join(", ", Enum.GetNames<ReportReason>())}.", "Reason");
        var cleanedDetails = ReportRules.CleanDetails(details);
        if (!cleanedDetails.Succeeded) return cleanedDetails.Error!;
        details = cleanedDetails.Value;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.BeginWriteAsync([reporterId], ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await AccountGuard.CheckActiveAsync(db, reporterId, now, ct) is { } inactive) return inactive;
        // Someone who blocked the reporter gets the same answer as someone who doesn't exist.
        if (!await db.Users.Where(u => u.Id == targetUserId).AnyAsync(Audience.NotHiddenFrom(db, reporterId), ct))
            return DomainError.NotFound("That user doesn't exist.");
        if (statusId is not null && !await db.StatusUpdates.AnyAsync(s => s.Id == statusId && s.AuthorId == targetUserId, ct))
            return DomainError.NotFound("That status doesn't exist.");
        if (aboutPhoto && !await db.Users.AnyAsync(u => u.Id == targetUserId && u.PhotoVersion != null, ct))
            return DomainError.NotFound("That person has no photo to report.");

        var key = aboutPhoto ? Report.PhotoKey : Report.KeyFor(statusId);
        var open = await db.Reports.FirstOrDefaultAsync(r => r.ReporterId == reporterId && r.TargetUserId == targetUserId
            && r.SubjectKey == key && r.State == ReportState.Open, ct);
        if (open is not null)
        {
            open.Reason = reason;
            open.Details = details;
            open.UpdatedAt = now;
            db.Record(new ReportFiled(open.Id));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return ReportOutcome.Updated;
        }

        if (await ActionLimits.CheckAsync(db.Reports.Where(r => r.ReporterId == reporterId).Select(r => r.CreatedAt),
                limits.ReportsPerDay, ReportWindow, now, "reports a day", ct) is { } limited) return limited;

        var report = new Report
        {
            ReporterId = reporterId, TargetUserId = targetUserId, StatusId = statusId, SubjectKey = key,
            Reason = reason, Details = details, State = ReportState.Open, CreatedAt = now, UpdatedAt = now,
        };
        db.Reports.Add(report);
        await db.SaveChangesAsync(ct);
        db.Record(new ReportFiled(report.Id));
        await tx.CommitAsync(ct);
        return ReportOutcome.Created;
    }
}
