using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Photos;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FriendConnect.Domain.Moderation;

public sealed record ReportedStatus(long Id, string Text, DateTime CreatedAt, bool IsHidden);

/// <summary>An open report with what a moderator needs to judge it: the content and the person's recent posts.</summary>
public sealed record ReportView(
    long Id, ReportReason Reason, string? Details, DateTime CreatedAt, DateTime UpdatedAt,
    UserSummary Reporter, UserSummary Target, ReportedStatus? Status,
    IReadOnlyList<ReportedStatus> TargetRecentStatuses, DateTime? TargetSuspendedUntil)
{
    /// <summary>The report is about the person's profile photo (shown through <see cref="Target"/>).</summary>
    public bool AboutPhoto { get; init; }

    public bool TargetPhotoUploadsBlocked { get; init; }
}

/// <summary>
/// One audit entry as a moderator reads it. <see cref="Actor"/> and <see cref="Target"/> are null once the account is
/// gone (the ids stay); an action of the operator has <see cref="Operator"/> instead of an actor.
/// </summary>
public sealed record AuditRecord(
    long Id, DateTime At, AuditAction Action, string? ActorId, UserSummary? Actor, string? Operator,
    string? TargetUserId, UserSummary? Target, long? StatusId, long? ReportId, string? Reason);

/// <summary>Where the next, older page of the audit log starts: below this entry.</summary>
public sealed record AuditCursor(long BeforeId);

public sealed class ModerationService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    PhotoStore photos,
    TimeProvider clock)
{
    public async Task<bool> IsModeratorAsync(string? userId, CancellationToken ct = default)
    {
        if (userId is null) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ModeratorIds(db).AnyAsync(id => id == userId, ct);
    }

    public async Task<Result<Page<ReportView>>> GetQueueAsync(string moderatorId, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        // Moderators see everyone through the same rule as anyone else: it lets them see everything.
        var person = UserSummary.SeenBy(db, new Viewer(moderatorId, IsModerator: true));
        var open = db.Reports.AsNoTracking().Where(r => r.State == ReportState.Open);
        var total = await open.CountAsync(ct);
        var rows = await open
            .OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id)
            .Skip(Paging.Skip(skip)).Take(Paging.Take(take, 50))
            .Select(r => new
            {
                r.Id, r.Reason, r.Details, r.CreatedAt, r.UpdatedAt, r.StatusId, AboutPhoto = r.SubjectKey == Report.PhotoKey,
                Reporter = db.Users.Where(u => u.Id == r.ReporterId).Select(person).First(),
                Target = db.Users.Where(u => u.Id == r.TargetUserId).Select(person).First(),
                TargetSuspendedUntil = db.Users.Where(u => u.Id == r.TargetUserId).Select(u => u.SuspendedUntil).First(),
                TargetPhotoUploadsBlocked = db.Users.Where(u => u.Id == r.TargetUserId).Select(u => u.PhotoUploadsBlocked).First(),
                Status = db.StatusUpdates.Where(s => s.Id == r.StatusId).Select(s => new ReportedStatus(s.Id, s.Text, s.CreatedAt, s.IsHidden)).FirstOrDefault(),
            })
            .ToListAsync(ct);

        var targetIds = rows.Select(r => r.Target.Id).Distinct().ToList();
        var recent = (await db.StatusUpdates.AsNoTracking()
                .Where(s => targetIds.Contains(s.AuthorId))
                .OrderByDescending(s => s.CreatedAt)
                .Take(targetIds.Count * 20)
                .Select(s => new { s.AuthorId, Status = new ReportedStatus(s.Id, s.Text, s.CreatedAt, s.IsHidden) })
                .ToListAsync(ct))
            .GroupBy(s => s.AuthorId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ReportedStatus>)g.Select(s => s.Status).Take(3).ToList());

        var items = rows
            .OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id)
            .Select(r => new ReportView(r.Id, r.Reason, r.Details, r.CreatedAt, r.UpdatedAt, r.Reporter, r.Target, r.Status,
                recent.GetValueOrDefault(r.Target.Id, []), r.TargetSuspendedUntil)
            {
                AboutPhoto = r.AboutPhoto,
                TargetPhotoUploadsBlocked = r.TargetPhotoUploadsBlocked,
            })
            .ToList();
        return new Page<ReportView>(items, total);
    }

    /// <summary>
    /// The audit log, newest first, one keyset page at a time: for moderators only. With <paramref name="person"/> (a
    /// username), only what that person did or had done to them.
    /// </summary>
    public async Task<Result<KeysetPage<AuditRecord, AuditCursor>>> GetAuditLogAsync(
        string moderatorId, string? person, AuditCursor? after, int? take, CancellationToken ct = default)
    {
        var size = Paging.Take(take);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(person))
        {
            if (await FindUserIdAsync(db, person, ct) is not { } personId) return UnknownUser(person.Trim());
            entries = entries.Where(e => e.ActorId == personId || e.TargetUserId == personId);
        }
        if (after is not null) entries = entries.Where(e => e.Id < after.BeforeId);
        var rows = await entries.OrderByDescending(e => e.Id).Take(size + 1).ToListAsync(ct);
        var page = rows.Take(size).ToList();

        var ids = page.SelectMany(e => new[] { e.ActorId, e.TargetUserId }).OfType<string>().Distinct().ToList();
        var people = (await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
                .Select(UserSummary.SeenBy(db, new Viewer(moderatorId, IsModerator: true))).ToListAsync(ct))
            .ToDictionary(p => p.Id, p => p.WithoutStatus());
        var items = page.Select(e => new AuditRecord(
                e.Id, e.At, e.Action,
                e.ActorId, e.ActorId is null ? null : people.GetValueOrDefault(e.ActorId), e.Operator,
                e.TargetUserId, e.TargetUserId is null ? null : people.GetValueOrDefault(e.TargetUserId),
                e.StatusId, e.ReportId, e.Reason))
            .ToList();
        return new KeysetPage<AuditRecord, AuditCursor>(items, rows.Count > size ? new AuditCursor(page[^1].Id) : null);
    }

    public async Task<Result> DismissAsync(string moderatorId, long reportId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct);
        if (report is null) return DomainError.NotFound("That report doesn't exist.");
        Audit(db, moderatorId, AuditAction.ReportDismissed, report.TargetUserId, report.StatusId, reportId);
        var reporters = await ResolveAsync(db, moderatorId, r => r.Id == reportId, ReportState.Dismissed, "Dismissed", ct);
        if (reporters.Count == 0) return DomainError.Conflict("This report was already handled.");
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    /// <summary>Hides a reported status everywhere, live, and closes every open report about it.</summary>
    public async Task<Result> HideStatusAsync(string moderatorId, long reportId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct);
        if (report is null) return DomainError.NotFound("That report doesn't exist.");
        if (report.StatusId is not { } statusId) return DomainError.Validation("This report is about a user, not a status.");

        var status = await db.StatusUpdates.FirstAsync(s => s.Id == statusId, ct);
        status.IsHidden = true;
        Audit(db, moderatorId, AuditAction.StatusHidden, status.AuthorId, statusId, reportId);
        await db.SaveChangesAsync(ct);
        await CurrentStatus.RefreshAsync(db, status.AuthorId, ct);
        db.Record(new StatusHidden(statusId, status.AuthorId));
        await ResolveAsync(db, moderatorId, r => r.StatusId == statusId, ReportState.ActionTaken, "Status hidden", ct);
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    /// <summary>
    /// Takes down the photo a report is about, everywhere and live, and closes every open report about it. With
    /// <paramref name="blockUploads"/> the person cannot upload another until a moderator allows it again.
    /// </summary>
    public async Task<Result> RemovePhotoAsync(string moderatorId, long reportId, bool blockUploads, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct);
        if (report is null) return DomainError.NotFound("That report doesn't exist.");
        if (!report.IsAboutPhoto) return DomainError.Validation("This report is not about a photo.");

        var userId = report.TargetUserId;
        var version = await db.Users.Where(u => u.Id == userId).Select(u => u.PhotoVersion).FirstAsync(ct);
        if (version is not null) await PhotoService.ClearAsync(db, userId, version, ct);
        if (blockUploads)
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PhotoUploadsBlocked, true), ct);
        Audit(db, moderatorId, blockUploads ? AuditAction.PhotoRemovedAndUploadsBlocked : AuditAction.PhotoRemoved, userId, null, reportId);
        await ResolveAsync(db, moderatorId, r => r.TargetUserId == userId && r.SubjectKey == Report.PhotoKey, ReportState.ActionTaken,
            blockUploads ? "Photo removed; uploads blocked" : "Photo removed", ct);
        await tx.CommitAsync(ct);
        if (version is not null) photos.Delete(userId, version);
        return Result.Success();
    }

    /// <summary>Lets a person whose uploads a moderator stopped upload photos again.</summary>
    public async Task<Result> AllowPhotoUploadsAsync(string moderatorId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        var changed = await db.Users.Where(u => u.Id == userId && u.PhotoUploadsBlocked)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PhotoUploadsBlocked, false), ct);
        if (changed == 0) return DomainError.NotFound("That user's photo uploads aren't blocked.");
        return await AuditAndCommitAsync(db, tx, moderatorId, AuditAction.PhotoUploadsAllowed, userId, ct);
    }

    /// <summary>
    /// Suspends a user for <paramref name="duration"/>, or indefinitely when null. They cannot sign in, and every
    /// open session of theirs is refused on its next action and signed out at once.
    /// </summary>
    public async Task<Result> SuspendAsync(string moderatorId, string userId, TimeSpan? duration, string? reason, CancellationToken ct = default)
    {
        reason = ModerationRules.SuspensionReason(reason).Value ?? reason;
        if (ModerationRules.ValidateSuspension(duration, reason) is { } invalid) return invalid;
        if (moderatorId == userId) return DomainError.Validation("You can't suspend yourself.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return DomainError.NotFound("That user doesn't exist.");

        var now = clock.GetUtcNow().UtcDateTime;
        user.SuspendedUntil = duration is { } period ? now + period : ModerationRules.Indefinitely;
        user.SuspensionReason = reason;
        // Identity's lockout refuses sign-in; a new security stamp invalidates every cookie on its next check.
        user.LockoutEnabled = true;
        user.LockoutEnd = new DateTimeOffset(user.SuspendedUntil.Value, TimeSpan.Zero);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        Audit(db, moderatorId, AuditAction.UserSuspended, userId, reason: reason);
        await db.SaveChangesAsync(ct);
        db.Record(new SessionsEnded(userId));
        await ResolveAsync(db, moderatorId, r => r.TargetUserId == userId, ReportState.ActionTaken, "User suspended", ct);
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    public async Task<Result> LiftSuspensionAsync(string moderatorId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        var changed = await db.Users.Where(u => u.Id == userId && u.SuspendedUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.SuspendedUntil, (DateTime?)null)
                .SetProperty(u => u.SuspensionReason, (string?)null)
                .SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null), ct);
        if (changed == 0) return DomainError.NotFound("That user isn't suspended.");
        return await AuditAndCommitAsync(db, tx, moderatorId, AuditAction.SuspensionLifted, userId, ct);
    }

    public async Task<Result> GrantModeratorAsync(string moderatorId, string userName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CheckModeratorAsync(db, moderatorId, ct) is { } denied) return denied;
        return await GrantAsync(db, userName, AuditActor.Person(moderatorId), ct);
    }

    /// <summary>
    /// Makes a user a moderator on the operator's authority (the command line or the development seed),
    /// with no moderator acting: how an installation that has lost its moderators gets one back.
    /// </summary>
    public Task<Result> GrantAsync(string userName, CancellationToken ct = default) => GrantAsync(userName, AuditActor.CommandLine, ct);

    internal async Task<Result> GrantAsync(string userName, AuditActor by, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GrantAsync(db, userName, by, ct);
    }

    /// <summary>Takes the role from a user on the operator's authority.</summary>
    public async Task<Result> RevokeAsync(string userName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await FindUserIdAsync(db, userName, ct) is not { } userId) return UnknownUser(userName);
        var removed = await db.UserRoles
            .Where(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Moderator))
            .ExecuteDeleteAsync(ct);
        if (removed == 0) return DomainError.NotFound($"'{userName}' is not a moderator.");
        db.Audit(new AuditEntry(Now, AuditActor.CommandLine, AuditAction.ModeratorRevoked, userId, null, null, null));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    /// <summary>The user names of all moderators, alphabetically.</summary>
    public async Task<IReadOnlyList<string>> ListModeratorsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = ModeratorIds(db);
        return await db.Users.Where(u => ids.Contains(u.Id)).OrderBy(u => u.NormalizedUserName).Select(u => u.UserName!).ToListAsync(ct);
    }

    /// <summary>
    /// The first account of a brand-new installation moderates it. The Moderator role row marks an installation
    /// that has ever had a moderator, so losing every moderator later hands the role to nobody. The role and the
    /// membership are written in one statement batch: when two first sign-ups race, the role name's unique index
    /// lets exactly one of them in.
    /// </summary>
    internal async Task PromoteIfFirstAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Roles.AnyAsync(r => r.NormalizedName == NormalizedRoleName, ct)) return;
        var role = NewModeratorRole();
        db.Roles.Add(role);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = userId, RoleId = role.Id });
        db.Audit(new AuditEntry(Now, AuditActor.FirstAccount, AuditAction.ModeratorGranted, userId, null, null, null));
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { /* another first sign-up won */ }
    }

    internal static IQueryable<string> ModeratorIds(FriendConnectDbContext db) =>
        db.UserRoles.Where(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Moderator)).Select(ur => ur.UserId);

    private static readonly string NormalizedRoleName = Roles.Moderator.ToUpperInvariant();

    private static IdentityRole NewModeratorRole() => new(Roles.Moderator) { NormalizedName = NormalizedRoleName };

    private static DomainError UnknownUser(string userName) => DomainError.NotFound($"There is no user called '{userName}'.");

    private static Task<string?> FindUserIdAsync(FriendConnectDbContext db, string userName, CancellationToken ct)
    {
        var normalized = UserRules.NormalizedUserName(userName);
        return db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct);
    }

    private async Task<Result> GrantAsync(FriendConnectDbContext db, string userName, AuditActor by, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userName)) return DomainError.Validation("Say who should become a moderator.", "UserName");
        if (await FindUserIdAsync(db, userName, ct) is not { } userId) return UnknownUser(userName);
        var role = await db.Roles.FirstOrDefaultAsync(r => r.NormalizedName == NormalizedRoleName, ct);
        if (role is null) db.Roles.Add(role = NewModeratorRole());
        if (!await db.UserRoles.AnyAsync(ur => ur.UserId == userId && ur.RoleId == role.Id, ct))
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = userId, RoleId = role.Id });
        db.Audit(new AuditEntry(Now, by, AuditAction.ModeratorGranted, userId, null, null, null));
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { /* granted twice at once */ }
        return Result.Success();
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private void Audit(FriendConnectDbContext db, string moderatorId, AuditAction action, string? targetUserId,
        long? statusId = null, long? reportId = null, string? reason = null) =>
        db.Audit(new AuditEntry(Now, AuditActor.Person(moderatorId), action, targetUserId, statusId, reportId, reason));

    private async Task<Result> AuditAndCommitAsync(
        FriendConnectDbContext db, IDbContextTransaction tx, string moderatorId, AuditAction action, string targetUserId, CancellationToken ct)
    {
        Audit(db, moderatorId, action, targetUserId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result.Success();
    }

    private async Task<DomainError?> CheckModeratorAsync(FriendConnectDbContext db, string userId, CancellationToken ct) =>
        await AccountGuard.CheckActiveAsync(db, userId, clock.GetUtcNow().UtcDateTime, ct)
        ?? (await ModeratorIds(db).AnyAsync(id => id == userId, ct) ? null : DomainError.Forbidden("Only moderators can do that."));

    /// <summary>Closes the matching open reports and writes each reporter a notification; returns the reporters.</summary>
    private async Task<List<string>> ResolveAsync(
        FriendConnectDbContext db, string moderatorId, System.Linq.Expressions.Expression<Func<Report, bool>> which,
        ReportState state, string resolution, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var reports = await db.Reports.Where(r => r.State == ReportState.Open).Where(which).ToListAsync(ct);
        foreach (var report in reports)
        {
            report.State = state;
            report.ResolvedAt = now;
            report.ResolvedById = moderatorId;
            report.Resolution = resolution;
            db.Notifications.Add(new Notification
            {
                RecipientId = report.ReporterId, ActorId = report.TargetUserId, Kind = NotificationKind.ReportResolved,
                SubjectId = report.Id, CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        var reporters = reports.Select(r => r.ReporterId).Distinct().ToList();
        if (reporters.Count > 0) db.Record(new ReportResolved(reporters));
        return reporters;
    }
}
