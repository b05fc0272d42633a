using System.Text.Json;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Safety;

public sealed class ModerationTests : SafetyTestBase
{
    // ---------------------------------------------------------------- reporting

    [Fact]
    public async Task A_second_report_of_the_same_thing_by_the_same_person_updates_the_first()
    {
        var rhea = await AddUserAsync("rhea");
        var troll = await AddUserAsync("troll");
        var status = await PostAsync(troll, "rude words");

        Assert.Equal(ReportOutcome.Created, (await Reports.ReportAsync(rhea.Id, troll.Id, status.StatusId, ReportReason.Spam, "first")).ShouldBeOk());
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(ReportOutcome.Updated, (await Reports.ReportAsync(rhea.Id, troll.Id, status.StatusId, ReportReason.Harassment, "second")).ShouldBeOk());

        await using var db = App.NewDbContext();
        var report = await db.Reports.SingleAsync();
        Assert.Equal(ReportReason.Harassment, report.Reason);
        Assert.Equal("second", report.Details);
        Assert.True(report.UpdatedAt >= report.CreatedAt + TimeSpan.FromMinutes(5));

        // Reporting the user (not the status) is a different thing, so it is a second report.
        Assert.Equal(ReportOutcome.Created, (await Reports.ReportAsync(rhea.Id, troll.Id, null, ReportReason.Spam, null)).ShouldBeOk());
        Assert.Equal(2, await db.Reports.CountAsync());
    }

    [Fact]
    public async Task Reporting_a_status_under_someone_elses_id_is_not_found()
    {
        var rhea = await AddUserAsync("rhea");
        var troll = await AddUserAsync("troll");
        var innocent = await AddUserAsync("innocent");
        var status = await PostAsync(troll, "rude words");

        (await Reports.ReportAsync(rhea.Id, innocent.Id, status.StatusId, ReportReason.Spam, null)).ShouldFail(ErrorKind.NotFound);
        (await Reports.ReportAsync(rhea.Id, troll.Id, status.StatusId + 1000, ReportReason.Spam, null)).ShouldFail(ErrorKind.NotFound);
        (await Reports.ReportAsync(rhea.Id, Guid.NewGuid().ToString(), null, ReportReason.Spam, null)).ShouldFail(ErrorKind.NotFound);

        await using var db = App.NewDbContext();
        Assert.Equal(0, await db.Reports.CountAsync());
    }

    // ---------------------------------------------------------------- moderator-only operations

    public enum ModeratorAction { GetQueue, Dismiss, HideStatus, Suspend, LiftSuspension, GrantModerator }

    [Theory]
    [InlineData(ModeratorAction.GetQueue)]
    [InlineData(ModeratorAction.Dismiss)]
    [InlineData(ModeratorAction.HideStatus)]
    [InlineData(ModeratorAction.Suspend)]
    [InlineData(ModeratorAction.LiftSuspension)]
    [InlineData(ModeratorAction.GrantModerator)]
    public async Task A_non_moderator_is_forbidden_from_moderation_and_nothing_changes(ModeratorAction action)
    {
        var rhea = await AddUserAsync("rhea");
        var troll = await AddUserAsync("troll");
        var status = await PostAsync(troll, "rude words");
        (await Reports.ReportAsync(rhea.Id, troll.Id, status.StatusId, ReportReason.Spam, null)).ShouldBeOk();
        var reportId = await OpenReportIdAsync(rhea, troll, status.StatusId);
        var suspended = await AddUserAsync("suspended");
        (await Moderation.SuspendAsync(Moderator.Id, suspended.Id, TimeSpan.FromDays(1), "spam")).ShouldBeOk();
        var before = await ModerationFingerprintAsync();

        // The reporter and the reported user both try.
        foreach (var actor in new[] { rhea, troll })
        {
            Result result = action switch
            {
                ModeratorAction.GetQueue => await Moderation.GetQueueAsync(actor.Id, 0, 10),
                ModeratorAction.Dismiss => await Moderation.DismissAsync(actor.Id, reportId),
                ModeratorAction.HideStatus => await Moderation.HideStatusAsync(actor.Id, reportId),
                ModeratorAction.Suspend => await Moderation.SuspendAsync(actor.Id, actor == rhea ? troll.Id : rhea.Id, null, "payback"),
                ModeratorAction.LiftSuspension => await Moderation.LiftSuspensionAsync(actor.Id, suspended.Id),
                _ => await Moderation.GrantModeratorAsync(actor.Id, actor.UserName!),
            };
            result.ShouldFail(ErrorKind.Forbidden);
        }

        Assert.Equal(before, await ModerationFingerprintAsync());
        Assert.False(await Moderation.IsModeratorAsync(rhea.Id));
        Assert.False(await Moderation.IsModeratorAsync(troll.Id));
    }

    private async Task<string> ModerationFingerprintAsync()
    {
        await using var db = App.NewDbContext();
        var reports = await db.Reports.OrderBy(r => r.Id).Select(r => new { r.Id, r.State }).ToListAsync();
        var users = await db.Users.OrderBy(u => u.Id).Select(u => new { u.Id, u.SuspendedUntil, u.LockoutEnd, u.SecurityStamp, u.StatusText }).ToListAsync();
        var hidden = await db.StatusUpdates.CountAsync(s => s.IsHidden);
        var roles = await db.UserRoles.CountAsync();
        return $"{await DatabaseFingerprintAsync()} reports=[{string.Join(",", reports)}] users=[{string.Join(",", users)}] hidden={hidden} roles={roles}";
    }

    // ---------------------------------------------------------------- the queue

    [Fact]
    public async Task The_queue_lists_open_reports_newest_first_paged_with_the_status_text_and_the_reporter()
    {
        var rhea = await AddUserAsync("rhea", "Rhea Reporter");
        var ravi = await AddUserAsync("ravi", "Ravi Reporter");
        var troll = await AddUserAsync("troll", "Troll");
        var spammer = await AddUserAsync("spammer", "Spammer");
        var rude = await PostAsync(troll, "rude words");
        var spam = await PostAsync(spammer, "buy now");
        (await Reports.ReportAsync(rhea.Id, troll.Id, rude.StatusId, ReportReason.Harassment, "so rude")).ShouldBeOk();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Reports.ReportAsync(ravi.Id, spammer.Id, spam.StatusId, ReportReason.Spam, null)).ShouldBeOk();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Reports.ReportAsync(rhea.Id, spammer.Id, null, ReportReason.Impersonation, "not the real one")).ShouldBeOk();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Reports.ReportAsync(ravi.Id, troll.Id, null, ReportReason.Other, null)).ShouldBeOk();
        // A closed report is not in the queue.
        (await Moderation.DismissAsync(Moderator.Id, await OpenReportIdAsync(ravi, troll))).ShouldBeOk();

        var first = (await Moderation.GetQueueAsync(Moderator.Id, 0, 2)).ShouldBeOk();
        var second = (await Moderation.GetQueueAsync(Moderator.Id, 2, 2)).ShouldBeOk();

        Assert.Equal(3, first.TotalCount);
        Assert.Equal(3, second.TotalCount);
        var all = first.Items.Concat(second.Items).ToList();
        Assert.Equal([ReportReason.Impersonation, ReportReason.Spam, ReportReason.Harassment], all.Select(r => r.Reason));
        Assert.Equal(2, first.Items.Count);
        Assert.Single(second.Items);

        var oldest = second.Items[0];
        Assert.Equal(rhea.Id, oldest.Reporter.Id);
        Assert.Equal("Rhea Reporter", oldest.Reporter.DisplayName);
        Assert.Equal(troll.Id, oldest.Target.Id);
        Assert.Equal("rude words", oldest.Status?.Text);
        Assert.Equal("so rude", oldest.Details);
        Assert.Equal(ravi.Id, all[1].Reporter.Id);
        Assert.Equal("buy now", all[1].Status?.Text);
        Assert.Null(all[0].Status);
        Assert.Contains(all[0].TargetRecentStatuses, s => s.Text == "buy now");
    }

    [Fact]
    public async Task Dismissing_notifies_the_reporter_and_removes_the_report_from_the_queue()
    {
        var rhea = await AddUserAsync("rhea", "Rhea");
        var troll = await AddUserAsync("troll", "Troll");
        (await Reports.ReportAsync(rhea.Id, troll.Id, null, ReportReason.Spam, null)).ShouldBeOk();
        var reportId = await OpenReportIdAsync(rhea, troll);
        using var recorder = new LiveRecorder(App.Live, rhea.Id, troll.Id, Moderator.Id);

        (await Moderation.DismissAsync(Moderator.Id, reportId)).ShouldBeOk();

        Assert.Empty((await Moderation.GetQueueAsync(Moderator.Id, 0, 10)).ShouldBeOk().Items);
        var notification = Assert.Single(await Notifications.GetRecentAsync(rhea.Id, 10));
        Assert.Equal(NotificationKind.ReportResolved, notification.Kind);
        Assert.Contains("reviewed your report", notification.Text);
        Assert.Contains(recorder.For(rhea.Id), e => e.Changes.HasFlag(LiveChange.Notifications) && e.Message != null);
        Assert.Contains(recorder.For(Moderator.Id), e => e.Changes.HasFlag(LiveChange.Reports));
        Assert.Empty(recorder.For(troll.Id));
        Assert.Empty(await Notifications.GetRecentAsync(troll.Id, 10));
        await using var db = App.NewDbContext();
        var report = await db.Reports.SingleAsync();
        Assert.Equal(ReportState.Dismissed, report.State);
        Assert.Equal(Moderator.Id, report.ResolvedById);

        (await Moderation.DismissAsync(Moderator.Id, reportId)).ShouldFail(ErrorKind.Conflict);
        (await Moderation.DismissAsync(Moderator.Id, reportId + 100)).ShouldFail(ErrorKind.NotFound);
    }

    // ---------------------------------------------------------------- hiding a status

    [Fact]
    public async Task Hiding_a_status_removes_it_from_feed_history_and_current_status_and_tells_friends_live()
    {
        var troll = await AddUserAsync("troll", "Troll");
        var fred = await AddUserAsync("fred", "Fred");
        var rhea = await AddUserAsync("rhea", "Rhea");
        var ravi = await AddUserAsync("ravi", "Ravi");
        var stranger = await AddUserAsync("stranger");
        await BefriendAsync(troll, fred);
        var older = await PostAsync(troll, "a fine day");
        var bad = await PostAsync(troll, "something awful");
        (await Reports.ReportAsync(rhea.Id, troll.Id, bad.StatusId, ReportReason.Harassment, null)).ShouldBeOk();
        (await Reports.ReportAsync(ravi.Id, troll.Id, bad.StatusId, ReportReason.InappropriateContent, null)).ShouldBeOk();
        using var recorder = new LiveRecorder(App.Live, troll.Id, fred.Id, stranger.Id, rhea.Id, ravi.Id);

        (await Moderation.HideStatusAsync(Moderator.Id, await OpenReportIdAsync(rhea, troll, bad.StatusId))).ShouldBeOk();

        var feed = (await Statuses.GetFeedAsync(fred.Id, null, 10)).Items;
        Assert.Equal([older.StatusId], feed.Select(i => i.StatusId));
        Assert.Equal([older.StatusId], (await Statuses.GetHistoryAsync(fred.Id, troll.Id, null, 10)).Items.Select(i => i.StatusId));
        Assert.Equal([older.StatusId], (await Statuses.GetHistoryAsync(troll.Id, troll.Id, null, 10)).Items.Select(i => i.StatusId));
        var profile = (await Directory.GetProfileAsync(fred.Id, "troll")).ShouldBeOk();
        Assert.Equal("a fine day", profile.User.StatusText);
        Assert.Equal(older.CreatedAt, profile.User.StatusAt);
        Assert.Equal("a fine day", Assert.Single((await Directory.SearchAsync(null, "troll", 0, 10)).Items).User.StatusText);

        // The friend's notification about the hidden status goes with it; the one about the visible status stays.
        var notifications = await Notifications.GetRecentAsync(fred.Id, 10);
        Assert.DoesNotContain(notifications, n => n.Text.Contains("something awful"));
        Assert.Single(notifications, n => n.Kind == NotificationKind.StatusPosted && n.Text.Contains("a fine day"));

        Assert.Contains(recorder.For(fred.Id), e => e.Changes.HasFlag(LiveChange.Feed));
        Assert.Contains(recorder.For(troll.Id), e => e.Changes.HasFlag(LiveChange.Feed));
        Assert.Empty(recorder.For(stranger.Id));

        // Every open report about that status is closed, and each reporter is thanked.
        Assert.Empty((await Moderation.GetQueueAsync(Moderator.Id, 0, 10)).ShouldBeOk().Items);
        foreach (var reporter in new[] { rhea, ravi })
        {
            Assert.Equal(NotificationKind.ReportResolved, Assert.Single(await Notifications.GetRecentAsync(reporter.Id, 10)).Kind);
            Assert.Contains(recorder.For(reporter.Id), e => e.Changes.HasFlag(LiveChange.Notifications));
        }
    }

    [Fact]
    public async Task Hiding_the_only_status_clears_the_current_status()
    {
        var troll = await AddUserAsync("troll");
        var rhea = await AddUserAsync("rhea");
        var bad = await PostAsync(troll, "only post");
        (await Reports.ReportAsync(rhea.Id, troll.Id, bad.StatusId, ReportReason.Spam, null)).ShouldBeOk();

        (await Moderation.HideStatusAsync(Moderator.Id, await OpenReportIdAsync(rhea, troll, bad.StatusId))).ShouldBeOk();

        var profile = (await Directory.GetProfileAsync(Moderator.Id, "troll")).ShouldBeOk();
        Assert.Null(profile.User.StatusText);
        Assert.Null(profile.User.StatusAt);
        Assert.Empty((await Statuses.GetHistoryAsync(Moderator.Id, troll.Id, null, 10)).Items);
    }

    // ---------------------------------------------------------------- suspension

    [Theory]
    [InlineData(7)]
    [InlineData(null)]
    public async Task Suspending_locks_the_account_signs_it_out_and_resolves_open_reports_about_the_user(int? days)
    {
        var troll = await AddUserAsync("troll", "Troll");
        var rhea = await AddUserAsync("rhea");
        var ravi = await AddUserAsync("ravi");
        var other = await AddUserAsync("other");
        var bad = await PostAsync(troll, "something awful");
        (await Reports.ReportAsync(rhea.Id, troll.Id, null, ReportReason.Harassment, null)).ShouldBeOk();
        (await Reports.ReportAsync(ravi.Id, troll.Id, bad.StatusId, ReportReason.Harassment, null)).ShouldBeOk();
        (await Reports.ReportAsync(rhea.Id, other.Id, null, ReportReason.Spam, null)).ShouldBeOk();
        string stampBefore;
        await using (var db = App.NewDbContext())
            stampBefore = (await db.Users.SingleAsync(u => u.Id == troll.Id)).SecurityStamp!;
        using var recorder = new LiveRecorder(App.Live, troll.Id, rhea.Id, ravi.Id);
        var duration = days is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null;
        var start = App.Clock.GetUtcNow().UtcDateTime;

        (await Moderation.SuspendAsync(Moderator.Id, troll.Id, duration, "Harassing people")).ShouldBeOk();

        var end = App.Clock.GetUtcNow().UtcDateTime;
        await using (var db = App.NewDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == troll.Id);
            if (duration is { } period)
            {
                Assert.InRange(user.SuspendedUntil!.Value, start + period, end + period);
                Assert.InRange(user.LockoutEnd!.Value.UtcDateTime, start + period, end + period);
            }
            else
            {
                Assert.Equal(ModerationRules.Indefinitely, user.SuspendedUntil);
                Assert.Equal(new DateTimeOffset(ModerationRules.Indefinitely, TimeSpan.Zero), user.LockoutEnd);
            }
            Assert.True(user.LockoutEnabled);
            Assert.NotEqual(stampBefore, user.SecurityStamp);
            Assert.Equal("Harassing people", user.SuspensionReason);

            var reports = await db.Reports.ToListAsync();
            Assert.All(reports.Where(r => r.TargetUserId == troll.Id), r => Assert.Equal(ReportState.ActionTaken, r.State));
            Assert.Equal(ReportState.Open, reports.Single(r => r.TargetUserId == other.Id).State);
        }

        Assert.Contains(recorder.For(troll.Id), e => e.Changes.HasFlag(LiveChange.SignedOut));
        Assert.Equal(other.Id, Assert.Single((await Moderation.GetQueueAsync(Moderator.Id, 0, 10)).ShouldBeOk().Items).Target.Id);
        Assert.Equal(NotificationKind.ReportResolved, Assert.Single(await Notifications.GetRecentAsync(rhea.Id, 10)).Kind);
        Assert.Equal(NotificationKind.ReportResolved, Assert.Single(await Notifications.GetRecentAsync(ravi.Id, 10)).Kind);

        // Identity itself now refuses sign-in. (Identity reads the real clock, not the test clock, so a period
        // ending in the test clock's January is only checked by its stored end; an indefinite one is locked out.)
        await using var scope = App.Services.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>();
        var identityUser = (await userManager.FindByIdAsync(troll.Id))!;
        Assert.True(await userManager.GetLockoutEnabledAsync(identityUser));
        if (duration is null) Assert.True(await userManager.IsLockedOutAsync(identityUser));
        else Assert.InRange((await userManager.GetLockoutEndDateAsync(identityUser))!.Value.UtcDateTime, start + duration.Value, end + duration.Value);
    }

    [Fact]
    public async Task Suspension_needs_a_reason_and_a_positive_period_and_a_moderator_cannot_suspend_themselves()
    {
        var troll = await AddUserAsync("troll");

        (await Moderation.SuspendAsync(Moderator.Id, troll.Id, null, "  ")).ShouldFail(ErrorKind.Validation);
        (await Moderation.SuspendAsync(Moderator.Id, troll.Id, TimeSpan.Zero, "spam")).ShouldFail(ErrorKind.Validation);
        (await Moderation.SuspendAsync(Moderator.Id, troll.Id, null, new string('x', 501))).ShouldFail(ErrorKind.Validation);
        (await Moderation.SuspendAsync(Moderator.Id, Moderator.Id, null, "oops")).ShouldFail(ErrorKind.Validation);
        (await Moderation.SuspendAsync(Moderator.Id, Guid.NewGuid().ToString(), null, "spam")).ShouldFail(ErrorKind.NotFound);

        await using var db = App.NewDbContext();
        Assert.Equal(0, await db.Users.CountAsync(u => u.SuspendedUntil != null));
    }

    [Fact]
    public async Task Lifting_a_suspension_lets_the_user_act_again()
    {
        var troll = await AddUserAsync("troll");
        (await Moderation.SuspendAsync(Moderator.Id, troll.Id, null, "spam")).ShouldBeOk();
        (await Statuses.PostAsync(troll.Id, "let me out")).ShouldFail(ErrorKind.Forbidden);

        (await Moderation.LiftSuspensionAsync(Moderator.Id, troll.Id)).ShouldBeOk();

        (await Statuses.PostAsync(troll.Id, "sorry")).ShouldBeOk();
        await using (var db = App.NewDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == troll.Id);
            Assert.Null(user.SuspendedUntil);
            Assert.Null(user.LockoutEnd);
        }
        (await Moderation.LiftSuspensionAsync(Moderator.Id, troll.Id)).ShouldFail(ErrorKind.NotFound);
    }

    // ---------------------------------------------------------------- granting the role

    [Fact]
    public async Task A_granted_moderator_can_see_and_work_the_queue()
    {
        var nina = await AddUserAsync("nina");
        var rhea = await AddUserAsync("rhea");
        var troll = await AddUserAsync("troll");
        (await Reports.ReportAsync(rhea.Id, troll.Id, null, ReportReason.Spam, null)).ShouldBeOk();
        (await Moderation.GetQueueAsync(nina.Id, 0, 10)).ShouldFail(ErrorKind.Forbidden);

        (await Moderation.GrantModeratorAsync(Moderator.Id, "NINA")).ShouldBeOk();

        Assert.True(await Moderation.IsModeratorAsync(nina.Id));
        var queue = (await Moderation.GetQueueAsync(nina.Id, 0, 10)).ShouldBeOk();
        Assert.Equal(troll.Id, Assert.Single(queue.Items).Target.Id);
        (await Moderation.DismissAsync(nina.Id, queue.Items[0].Id)).ShouldBeOk();
        (await Moderation.GrantModeratorAsync(Moderator.Id, "nobody-here")).ShouldFail(ErrorKind.NotFound);
    }

    // ---------------------------------------------------------------- reporter anonymity

    [Fact]
    public async Task The_reported_user_never_learns_who_reported_them()
    {
        var rhea = await AddUserAsync("rhea-reporter", "Rhea Whistleblower");
        var troll = await AddUserAsync("troll", "Troll");
        var fred = await AddUserAsync("fred", "Fred");
        await BefriendAsync(troll, fred);
        await PostAsync(troll, "a fine day");
        var bad = await PostAsync(troll, "something awful");
        var worse = await PostAsync(troll, "something worse");
        using var recorder = new LiveRecorder(App.Live, troll.Id);

        (await Reports.ReportAsync(rhea.Id, troll.Id, bad.StatusId, ReportReason.Harassment, "please look")).ShouldBeOk();
        (await Reports.ReportAsync(rhea.Id, troll.Id, worse.StatusId, ReportReason.Harassment, null)).ShouldBeOk();
        (await Moderation.DismissAsync(Moderator.Id, await OpenReportIdAsync(rhea, troll, worse.StatusId))).ShouldBeOk();
        (await Moderation.HideStatusAsync(Moderator.Id, await OpenReportIdAsync(rhea, troll, bad.StatusId))).ShouldBeOk();
        (await Reports.ReportAsync(rhea.Id, troll.Id, null, ReportReason.Harassment, null)).ShouldBeOk();
        (await Moderation.SuspendAsync(Moderator.Id, troll.Id, TimeSpan.FromDays(1), "Harassment reported by others")).ShouldBeOk();

        var theirs = await Notifications.GetRecentAsync(troll.Id, 100);
        Assert.DoesNotContain(theirs, n => n.Actor.Id == rhea.Id || n.Text.Contains("Rhea") || n.Text.Contains("rhea"));
        Assert.DoesNotContain(recorder.For(troll.Id), e => e.Message?.Contains("Rhea", StringComparison.OrdinalIgnoreCase) == true);
        await using (var db = App.NewDbContext())
            Assert.Equal(0, await db.Notifications.CountAsync(n => n.RecipientId == troll.Id && n.ActorId == rhea.Id));
        var export = JsonSerializer.Serialize(await Export.ExportAsync(troll.Id));
        Assert.DoesNotContain(rhea.Id, export);
        Assert.DoesNotContain("rhea", export, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("please look", export);
    }
}
