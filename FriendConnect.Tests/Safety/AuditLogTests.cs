using System.Reflection;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Safety;

public sealed class AuditLogTests : SafetyTestBase
{
    /// <summary>The classes that hold privileged actions: every public method here is either a read or audited.</summary>
    private static readonly Type[] PrivilegedServices = [typeof(ModerationService), typeof(AccountRecovery)];

    private static readonly HashSet<string> Reads =
    [
        "ModerationService.IsModeratorAsync(String,CancellationToken)",
        "ModerationService.GetQueueAsync(String,Int32,Int32,CancellationToken)",
        "ModerationService.ListModeratorsAsync(CancellationToken)",
        "ModerationService.GetAuditLogAsync(String,String,AuditCursor,Nullable`1,CancellationToken)",
    ];

    private sealed record Expected(
        AuditAction Action, string? ActorId, string? TargetUserId, long? StatusId = null, long? ReportId = null, string? Reason = null);

    /// <summary>One successful call of each privileged method, with the entry it must write.</summary>
    private Dictionary<string, Func<Task<(Result Result, Expected Expected)>>> Actions() => new()
    {
        ["ModerationService.DismissAsync(String,Int64,CancellationToken)"] = async () =>
        {
            var (target, statusId, reportId) = await ReportedStatusAsync();
            return (await Moderation.DismissAsync(Moderator.Id, reportId), new(AuditAction.ReportDismissed, Moderator.Id, target.Id, statusId, reportId));
        },
        ["ModerationService.HideStatusAsync(String,Int64,CancellationToken)"] = async () =>
        {
            var (target, statusId, reportId) = await ReportedStatusAsync();
            return (await Moderation.HideStatusAsync(Moderator.Id, reportId), new(AuditAction.StatusHidden, Moderator.Id, target.Id, statusId, reportId));
        },
        ["ModerationService.RemovePhotoAsync(String,Int64,Boolean,CancellationToken)"] = async () =>
        {
            var (target, reportId) = await ReportedPhotoAsync();
            return (await Moderation.RemovePhotoAsync(Moderator.Id, reportId, blockUploads: true),
                new(AuditAction.PhotoRemovedAndUploadsBlocked, Moderator.Id, target.Id, ReportId: reportId));
        },
        ["ModerationService.AllowPhotoUploadsAsync(String,String,CancellationToken)"] = async () =>
        {
            var target = await NewUserAsync();
            await using (var db = App.NewDbContext())
                await db.Users.Where(u => u.Id == target.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PhotoUploadsBlocked, true));
            return (await Moderation.AllowPhotoUploadsAsync(Moderator.Id, target.Id), new(AuditAction.PhotoUploadsAllowed, Moderator.Id, target.Id));
        },
        ["ModerationService.SuspendAsync(String,String,Nullable`1,String,CancellationToken)"] = async () =>
        {
            var target = await NewUserAsync();
            return (await Moderation.SuspendAsync(Moderator.Id, target.Id, TimeSpan.FromDays(7), "  spam, again  "),
                new(AuditAction.UserSuspended, Moderator.Id, target.Id, Reason: "spam, again"));
        },
        ["ModerationService.LiftSuspensionAsync(String,String,CancellationToken)"] = async () =>
        {
            var target = await NewUserAsync();
            (await Moderation.SuspendAsync(Moderator.Id, target.Id, null, "spam")).ShouldBeOk();
            return (await Moderation.LiftSuspensionAsync(Moderator.Id, target.Id), new(AuditAction.SuspensionLifted, Moderator.Id, target.Id));
        },
        ["ModerationService.GrantModeratorAsync(String,String,CancellationToken)"] = async () =>
        {
            var target = await NewUserAsync();
            return (await Moderation.GrantModeratorAsync(Moderator.Id, target.UserName!), new(AuditAction.ModeratorGranted, Moderator.Id, target.Id));
        },
        ["ModerationService.GrantAsync(String,CancellationToken)"] = async () =>
        {
            var target = await NewUserAsync();
            return (await Moderation.GrantAsync(target.UserName!), new(AuditAction.ModeratorGranted, null, target.Id));
        },
        ["ModerationService.RevokeAsync(String,CancellationToken)"] = async () =>
        {
            var target = await NewUserAsync();
            (await Moderation.GrantModeratorAsync(Moderator.Id, target.UserName!)).ShouldBeOk();
            return (await Moderation.RevokeAsync(target.UserName!), new(AuditAction.ModeratorRevoked, null, target.Id));
        },
        ["AccountRecovery.ResetPasswordAsync(String,String,CancellationToken)"] = async () =>
        {
            var target = await NewUserAsync();
            await using var scope = App.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<AccountRecovery>().ResetPasswordAsync(target.Id, "Fresh!pass123"),
                new(AuditAction.PasswordReset, null, target.Id));
        },
    };

    [Fact]
    public async Task Every_public_moderation_and_administration_method_writes_one_entry_when_it_succeeds()
    {
        var actions = Actions();
        var methods = PrivilegedServices
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName)
            .Select(Signature)
            .ToList();
        var unlisted = methods.Where(m => !actions.ContainsKey(m) && !Reads.Contains(m)).ToList();
        Assert.True(unlisted.Count == 0, "Give these a row (an invocation and the entry it writes) or list them as reads: " + string.Join(", ", unlisted));
        Assert.Empty(actions.Keys.Concat(Reads).Except(methods));

        var problems = new Expectations();
        foreach (var (method, act) in actions)
        {
            var before = await LastEntryIdAsync();
            var started = App.Clock.GetUtcNow().UtcDateTime;
            var (result, expected) = await act();
            var ended = App.Clock.GetUtcNow().UtcDateTime;
            problems.True(result.Succeeded, $"{method} failed: {result.Error?.Message}");
            var written = await EntriesAfterAsync(before);
            problems.Equal(1, written.Count(e => e.Action == expected.Action), $"{method}: entries of {expected.Action} (written: {string.Join(", ", written.Select(e => e.Action))})");
            if (written.LastOrDefault() is not { } entry) continue;
            problems.Equal(expected.Action, entry.Action, $"{method}: action");
            problems.Equal(expected.ActorId, entry.ActorId, $"{method}: actor");
            problems.Equal(expected.ActorId is null, entry.Operator?.StartsWith("command line", StringComparison.Ordinal) ?? false, $"{method}: the command line as the actor");
            problems.Equal(expected.TargetUserId, entry.TargetUserId, $"{method}: target");
            problems.Equal(expected.StatusId, entry.StatusId, $"{method}: status");
            problems.Equal(expected.ReportId, entry.ReportId, $"{method}: report");
            problems.Equal(expected.Reason, entry.Reason, $"{method}: reason");
            problems.True(entry.At > started && entry.At < ended, $"{method}: the time of the action, not {entry.At:O}");
        }
        problems.Verify();
    }

    [Fact]
    public async Task A_refused_or_failed_action_writes_no_entry()
    {
        var rhea = await NewUserAsync();
        var (_, _, reportId) = await ReportedStatusAsync();
        (await Moderation.DismissAsync(Moderator.Id, reportId)).ShouldBeOk();
        var before = await LastEntryIdAsync();

        (await Moderation.SuspendAsync(Moderator.Id, Guid.NewGuid().ToString(), null, "spam")).ShouldFail(ErrorKind.NotFound);
        (await Moderation.SuspendAsync(rhea.Id, Moderator.Id, null, "spam")).ShouldFail(ErrorKind.Forbidden);
        (await Moderation.LiftSuspensionAsync(Moderator.Id, rhea.Id)).ShouldFail(ErrorKind.NotFound);
        (await Moderation.AllowPhotoUploadsAsync(Moderator.Id, rhea.Id)).ShouldFail(ErrorKind.NotFound);
        (await Moderation.GrantAsync("nobody")).ShouldFail(ErrorKind.NotFound);
        (await Moderation.RevokeAsync(rhea.UserName!)).ShouldFail(ErrorKind.NotFound);
        (await Moderation.HideStatusAsync(Moderator.Id, 987654321)).ShouldFail(ErrorKind.NotFound);
        // The entry was saved inside the transaction before the report turned out to be handled already: it rolls back with it.
        (await Moderation.DismissAsync(Moderator.Id, reportId)).ShouldFail(ErrorKind.Conflict);
        await using (var scope = App.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<AccountRecovery>().ResetPasswordAsync(rhea.Id, "short")).ShouldFail(ErrorKind.Validation);

        Assert.Empty(await EntriesAfterAsync(before));
    }

    [Fact]
    public async Task An_entry_cannot_be_changed_or_deleted_through_the_database_context()
    {
        var target = await NewUserAsync();
        (await Moderation.SuspendAsync(Moderator.Id, target.Id, null, "spam")).ShouldBeOk();

        await using (var db = App.NewDbContext())
        {
            var entry = await db.AuditEntries.OrderBy(e => e.Id).LastAsync();
            db.Entry(entry).Property(e => e.Reason).CurrentValue = "nothing happened";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }
        await using (var db = App.NewDbContext())
        {
            db.AuditEntries.Remove(await db.AuditEntries.OrderBy(e => e.Id).LastAsync());
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        }

        await using var check = App.NewDbContext();
        var kept = await check.AuditEntries.OrderBy(e => e.Id).LastAsync();
        Assert.Equal((AuditAction.UserSuspended, "spam"), (kept.Action, kept.Reason));
    }

    [Fact]
    public async Task The_command_line_grant_revoke_and_password_reset_write_entries_naming_the_command_line()
    {
        var bob = await NewUserAsync();
        var before = await LastEntryIdAsync();

        Assert.Equal(0, await RunAsync(new ModeratorsCommand(), "grant", bob.UserName!));
        Assert.Equal(0, await RunAsync(new ModeratorsCommand(), "revoke", bob.UserName!));
        Assert.Equal(0, await RunAsync(new UsersCommand(), "reset-password", bob.UserName!));
        Assert.Equal(1, await RunAsync(new UsersCommand(), "reset-password", "nobody"));

        var written = await EntriesAfterAsync(before);
        Assert.Equal([AuditAction.ModeratorGranted, AuditAction.ModeratorRevoked, AuditAction.PasswordReset], written.Select(e => e.Action));
        Assert.All(written, e =>
        {
            Assert.Null(e.ActorId);
            Assert.StartsWith("command line", e.Operator);
            Assert.Equal(bob.Id, e.TargetUserId);
        });
    }

    [Fact]
    public async Task Moderators_read_the_log_newest_first_a_page_at_a_time_and_by_person()
    {
        var (rhea, sam) = (await NewUserAsync(), await NewUserAsync());
        (await Moderation.SuspendAsync(Moderator.Id, rhea.Id, null, "spam")).ShouldBeOk();
        (await Moderation.LiftSuspensionAsync(Moderator.Id, rhea.Id)).ShouldBeOk();
        (await Moderation.SuspendAsync(Moderator.Id, sam.Id, TimeSpan.FromDays(1), "rude")).ShouldBeOk();

        var first = (await Moderation.GetAuditLogAsync(Moderator.Id, null, null, 2)).ShouldBeOk();
        Assert.Equal([(AuditAction.UserSuspended, sam.Id), (AuditAction.SuspensionLifted, rhea.Id)], first.Items.Select(e => (e.Action, e.TargetUserId)));
        Assert.Equal(Moderator.UserName, first.Items[0].Actor!.UserName);
        Assert.Equal(sam.DisplayName, first.Items[0].Target!.DisplayName);
        var second = (await Moderation.GetAuditLogAsync(Moderator.Id, null, first.Next, 2)).ShouldBeOk();
        Assert.Equal([(AuditAction.UserSuspended, rhea.Id), (AuditAction.ModeratorGranted, Moderator.Id)], second.Items.Select(e => (e.Action, e.TargetUserId)));
        Assert.Null(second.Next);

        var rheas = (await Moderation.GetAuditLogAsync(Moderator.Id, $" {rhea.UserName!.ToUpperInvariant()} ", null, 10)).ShouldBeOk();
        Assert.Equal([AuditAction.SuspensionLifted, AuditAction.UserSuspended], rheas.Items.Select(e => e.Action));
        (await Moderation.GetAuditLogAsync(Moderator.Id, "nobody", null, 10)).ShouldFail(ErrorKind.NotFound);
        (await Moderation.GetAuditLogAsync(rhea.Id, null, null, 10)).ShouldFail(ErrorKind.Forbidden);
    }

    private int _people;

    private Task<User> NewUserAsync() => AddUserAsync($"rhea{++_people}", $"Rhea {_people}");

    private async Task<(User Target, long StatusId, long ReportId)> ReportedStatusAsync()
    {
        var (reporter, target) = (await NewUserAsync(), await NewUserAsync());
        var status = await PostAsync(target, "rude words");
        (await Reports.ReportAsync(reporter.Id, target.Id, status.StatusId, ReportReason.Spam, null)).ShouldBeOk();
        return (target, status.StatusId, await OpenReportIdAsync(reporter, target, status.StatusId));
    }

    private async Task<(User Target, long ReportId)> ReportedPhotoAsync()
    {
        var (reporter, target) = (await NewUserAsync(), await NewUserAsync());
        await using (var db = App.NewDbContext())
            await db.Users.Where(u => u.Id == target.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PhotoVersion, "0123456789abcdef"));
        (await Reports.ReportPhotoAsync(reporter.Id, target.Id, ReportReason.InappropriateContent, null)).ShouldBeOk();
        await using var read = App.NewDbContext();
        return (target, await read.Reports.Where(r => r.TargetUserId == target.Id && r.SubjectKey == Report.PhotoKey).Select(r => r.Id).SingleAsync());
    }

    private async Task<long> LastEntryIdAsync()
    {
        await using var db = App.NewDbContext();
        return await db.AuditEntries.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    private async Task<List<AuditEntry>> EntriesAfterAsync(long id)
    {
        await using var db = App.NewDbContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync();
    }

    private async Task<int> RunAsync(IAdminCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        return await AdminCommands.RunAsync(command, App.Services, args, output, error);
    }

    private static string Signature(MethodInfo m) =>
        $"{m.DeclaringType!.Name}.{m.Name}({string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name))})";
}
