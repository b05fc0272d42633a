using FriendConnect.Domain.Data;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Privacy;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

public sealed record ExportedProfile(string UserName, string? Email, string DisplayName, DateTime JoinedAt, PrivacySettings Privacy);
public sealed record ExportedStatus(string Text, DateTime CreatedAt, bool HiddenByModeration);
public sealed record ExportedPerson(string UserName, string DisplayName, DateTime Since);
public sealed record ExportedRequest(string Direction, string OtherUserName, string State, DateTime CreatedAt, DateTime? RespondedAt);
public sealed record ExportedNotification(string Kind, string ActorUserName, DateTime CreatedAt, DateTime? ReadAt);
public sealed record ExportedReport(string ReportedUserName, long? StatusId, ReportReason Reason, string? Details, ReportState State, DateTime CreatedAt);

/// <summary>Everything FriendConnect holds about one person, for "download my data".</summary>
public sealed record AccountExport(
    DateTime ExportedAt, ExportedProfile Profile, IReadOnlyList<ExportedStatus> Statuses, IReadOnlyList<ExportedPerson> Friends,
    IReadOnlyList<ExportedRequest> FriendRequests, IReadOnlyList<ExportedNotification> Notifications,
    IReadOnlyList<ExportedReport> ReportsMade, IReadOnlyList<ExportedPerson> Blocked, IReadOnlyList<ExportedPerson> Muted);

public sealed class AccountExportService(IDbContextFactory<FriendConnectDbContext> dbFactory, TimeProvider clock)
{
    public async Task<AccountExport?> ExportAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var profile = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new ExportedProfile(u.UserName!, u.Email, u.DisplayName, u.CreatedAt, u.Privacy))
            .FirstOrDefaultAsync(ct);
        if (profile is null) return null;

        var statuses = await db.StatusUpdates.Where(s => s.AuthorId == userId).OrderByDescending(s => s.CreatedAt)
            .Select(s => new ExportedStatus(s.Text, s.CreatedAt, s.IsHidden)).ToListAsync(ct);
        var friends = await db.Friendships.Where(f => f.UserId == userId)
            .Join(db.Users, f => f.FriendId, u => u.Id, (f, u) => new ExportedPerson(u.UserName!, u.DisplayName, f.CreatedAt))
            .ToListAsync(ct);
        // Requests with someone who has since blocked this person are left out: their "Cancelled" would tell of the block.
        var known = Audience.NotHiddenFrom(db, userId);
        var requests = await db.FriendRequests.Where(r => r.FromUserId == userId || r.ToUserId == userId)
            .Where(r => db.Users.Where(u => u.Id == (r.FromUserId == userId ? r.ToUserId : r.FromUserId)).Any(known))
            .Select(r => new
            {
                Outgoing = r.FromUserId == userId, r.State, r.CreatedAt, r.RespondedAt,
                Other = db.Users.Where(u => u.Id == (r.FromUserId == userId ? r.ToUserId : r.FromUserId)).Select(u => u.UserName).First(),
            })
            .ToListAsync(ct);
        var notifications = await db.Notifications.Where(n => n.RecipientId == userId)
            .Concat(Notifications.NotificationService.FriendsPosts(db, userId)).OrderByDescending(n => n.Id)
            .Join(db.Users, n => n.ActorId, u => u.Id, (n, u) => new { n.Kind, u.UserName, n.CreatedAt, n.ReadAt })
            .ToListAsync(ct);
        var reports = await db.Reports.Where(r => r.ReporterId == userId)
            .Join(db.Users, r => r.TargetUserId, u => u.Id, (r, u) => new ExportedReport(u.UserName!, r.StatusId, r.Reason, r.Details, r.State, r.CreatedAt))
            .ToListAsync(ct);
        var blocked = await db.Blocks.Where(b => b.BlockerId == userId)
            .Join(db.Users, b => b.BlockedId, u => u.Id, (b, u) => new ExportedPerson(u.UserName!, u.DisplayName, b.CreatedAt))
            .ToListAsync(ct);
        var muted = await db.Mutes.Where(m => m.UserId == userId)
            .Join(db.Users, m => m.MutedId, u => u.Id, (m, u) => new ExportedPerson(u.UserName!, u.DisplayName, m.CreatedAt))
            .ToListAsync(ct);

        return new AccountExport(
            clock.GetUtcNow().UtcDateTime, profile, statuses, friends,
            requests.Select(r => new ExportedRequest(r.Outgoing ? "sent" : "received", r.Other ?? "", r.State.ToString(), r.CreatedAt, r.RespondedAt)).ToList(),
            notifications.Select(n => new ExportedNotification(n.Kind.ToString(), n.UserName ?? "", n.CreatedAt, n.ReadAt)).ToList(),
            reports, blocked, muted);
    }
}
