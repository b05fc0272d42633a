using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Safety;

/// <summary>What a user acting in bad faith (or a tampered client) can try, and what the server answers.</summary>
public sealed class AbuseTests : SafetyTestBase
{
    [Fact]
    public async Task A_request_to_someone_who_blocked_you_looks_like_a_missing_user_and_writes_nothing()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var mallory = await AddUserAsync("mallory", "Mallory");
        (await Privacy.BlockAsync(alice.Id, mallory.Id)).ShouldBeOk();
        using var recorder = new LiveRecorder(App.Live, alice.Id);
        var before = await DatabaseFingerprintAsync();

        var result = await Friendships.SendRequestAsync(mallory.Id, alice.Id);
        var toNobody = await Friendships.SendRequestAsync(mallory.Id, Guid.NewGuid().ToString());

        var error = result.ShouldFail(ErrorKind.NotFound);
        Assert.Equal(toNobody.Error!.Message, error.Message);
        Assert.DoesNotContain("block", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await DatabaseFingerprintAsync());
        Assert.Empty(recorder.For(alice.Id));
        Assert.Empty(await Friendships.GetIncomingAsync(alice.Id));
    }

    [Fact]
    public async Task Accepting_a_request_addressed_to_someone_else_is_refused_and_changes_nothing()
    {
        var alice = await AddUserAsync("alice");
        var bob = await AddUserAsync("bob");
        var mallory = await AddUserAsync("mallory");
        (await Friendships.SendRequestAsync(alice.Id, bob.Id)).ShouldBeOk();
        var requestId = await RequestIdAsync(alice, bob);
        var before = await DatabaseFingerprintAsync();

        // An outsider learns nothing about the request; its sender may not answer it for the addressee.
        (await Friendships.AcceptAsync(requestId, mallory.Id)).ShouldFail(ErrorKind.NotFound);
        (await Friendships.AcceptAsync(requestId, alice.Id)).ShouldFail(ErrorKind.Forbidden);
        (await Friendships.DeclineAsync(requestId, mallory.Id)).ShouldFail(ErrorKind.NotFound);
        (await Friendships.CancelAsync(requestId, mallory.Id)).ShouldFail(ErrorKind.NotFound);

        Assert.Equal(before, await DatabaseFingerprintAsync());
        Assert.False(await AreFriendsAsync(alice, bob));
        Assert.False(await AreFriendsAsync(alice, mallory));
        Assert.Equal(requestId, Assert.Single(await Friendships.GetIncomingAsync(bob.Id)).Id);
    }

    [Fact]
    public async Task Reporting_yourself_is_a_validation_error()
    {
        var mallory = await AddUserAsync("mallory");
        var status = await PostAsync(mallory, "look at me");

        (await Reports.ReportAsync(mallory.Id, mallory.Id, null, ReportReason.Spam, null)).ShouldFail(ErrorKind.Validation);
        (await Reports.ReportAsync(mallory.Id, mallory.Id, status.StatusId, ReportReason.Spam, null)).ShouldFail(ErrorKind.Validation);

        await using var db = App.NewDbContext();
        Assert.Equal(0, await db.Reports.CountAsync());
    }

    [Fact]
    public async Task Report_details_over_1000_characters_are_a_validation_error_and_nothing_is_saved()
    {
        var alice = await AddUserAsync("alice");
        var mallory = await AddUserAsync("mallory");

        var error = (await Reports.ReportAsync(alice.Id, mallory.Id, null, ReportReason.Harassment, new string('x', 1001)))
            .ShouldFail(ErrorKind.Validation);

        Assert.Equal("Details", error.Field);
        Assert.Contains("1,000", error.Message);
        await using (var db = App.NewDbContext())
            Assert.Equal(0, await db.Reports.CountAsync());

        // The limit is on the text itself: exactly 1,000 characters, with surrounding spaces, is accepted.
        (await Reports.ReportAsync(alice.Id, mallory.Id, null, ReportReason.Harassment, "  " + new string('y', 1000) + "  ")).ShouldBeOk();
        await using (var db = App.NewDbContext())
            Assert.Equal(1000, (await db.Reports.SingleAsync()).Details!.Length);
    }

    [Fact]
    public async Task Reporting_with_an_undefined_reason_is_a_validation_error()
    {
        var alice = await AddUserAsync("alice");
        var mallory = await AddUserAsync("mallory");

        (await Reports.ReportAsync(alice.Id, mallory.Id, null, (ReportReason)99, null)).ShouldFail(ErrorKind.Validation);

        await using var db = App.NewDbContext();
        Assert.Equal(0, await db.Reports.CountAsync());
    }

    [Fact]
    public async Task A_request_to_someone_who_accepts_only_friends_of_friends_is_refused_by_the_server_without_a_mutual_friend()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var mallory = await AddUserAsync("mallory");
        await SetPrivacyAsync(alice, new PrivacySettings { WhoCanSendRequests = RequestPolicy.FriendsOfFriends });
        Assert.False((await Directory.GetProfileAsync(mallory.Id, "alice")).ShouldBeOk().CanSendRequest);
        var before = await DatabaseFingerprintAsync();

        // A client that ignores CanSendRequest and calls the server anyway.
        var error = (await Friendships.SendRequestAsync(mallory.Id, alice.Id)).ShouldFail(ErrorKind.Forbidden);

        Assert.Contains("friends of friends", error.Message);
        Assert.Equal(before, await DatabaseFingerprintAsync());

        // With a mutual friend the same request goes through.
        var carol = await AddUserAsync("carol");
        await BefriendAsync(alice, carol);
        await BefriendAsync(mallory, carol);
        Assert.Equal(SendRequestOutcome.RequestSent, (await Friendships.SendRequestAsync(mallory.Id, alice.Id)).ShouldBeOk());
    }

    [Fact]
    public async Task A_request_to_someone_who_accepts_none_is_refused_by_the_server()
    {
        var alice = await AddUserAsync("alice", "Alice");
        var mallory = await AddUserAsync("mallory");
        var carol = await AddUserAsync("carol");
        await BefriendAsync(alice, carol);
        await BefriendAsync(mallory, carol);
        await SetPrivacyAsync(alice, new PrivacySettings { WhoCanSendRequests = RequestPolicy.Nobody });
        var before = await DatabaseFingerprintAsync();

        (await Friendships.SendRequestAsync(mallory.Id, alice.Id)).ShouldFail(ErrorKind.Forbidden);

        Assert.Equal(before, await DatabaseFingerprintAsync());
    }

    [Fact]
    public async Task The_101st_friend_request_in_a_day_is_refused_with_a_retry_time_and_refused_attempts_do_not_count()
    {
        Assert.Equal(100, Limits.FriendRequestsPerDay);
        var sender = await AddUserAsync("sender");
        var targets = await AddUsersAsync(Enumerable.Range(0, 101).Select(i => ($"target{i:000}", $"Target {i}")));
        var closed = await AddUserAsync("closed");
        await SetPrivacyAsync(closed, new PrivacySettings { WhoCanSendRequests = RequestPolicy.Nobody });

        // Attempts refused for another reason before and in between do not use up the allowance.
        (await Friendships.SendRequestAsync(sender.Id, closed.Id)).ShouldFail(ErrorKind.Forbidden);
        (await Friendships.SendRequestAsync(sender.Id, sender.Id)).ShouldFail(ErrorKind.Validation);
        (await Friendships.SendRequestAsync(sender.Id, Guid.NewGuid().ToString())).ShouldFail(ErrorKind.NotFound);
        for (var i = 0; i < 100; i++)
        {
            var sent = await Friendships.SendRequestAsync(sender.Id, targets[i].Id);
            Assert.True(sent.Succeeded, $"Request {i + 1} of 100 was refused: {sent.Error?.Kind} {sent.Error?.Message}");
            if (i == 50)
            {
                (await Friendships.SendRequestAsync(sender.Id, targets[i].Id)).ShouldFail(ErrorKind.Conflict);
                (await Friendships.SendRequestAsync(sender.Id, closed.Id)).ShouldFail(ErrorKind.Forbidden);
            }
        }

        var refused = await Friendships.SendRequestAsync(sender.Id, targets[100].Id);

        var error = refused.ShouldFail(ErrorKind.LimitReached);
        Assert.NotNull(error.RetryAfter);
        Assert.True(error.RetryAfter > TimeSpan.FromHours(23.9) && error.RetryAfter <= TimeSpan.FromDays(1), $"RetryAfter {error.RetryAfter}");
        Assert.Contains("100", error.Message);
        Assert.Contains("about 24 hours", error.Message);
        await using var db = App.NewDbContext();
        Assert.Equal(100, await db.FriendRequests.CountAsync(r => r.FromUserId == sender.Id));
        Assert.Equal(0, await db.Notifications.CountAsync(n => n.RecipientId == targets[100].Id));
    }

    [Fact]
    public async Task Friend_requests_are_allowed_again_once_the_day_has_passed()
    {
        var sender = await AddUserAsync("sender");
        var targets = await AddUsersAsync(Enumerable.Range(0, 102).Select(i => ($"target{i:000}", $"Target {i}")));
        for (var i = 0; i < 100; i++)
            (await Friendships.SendRequestAsync(sender.Id, targets[i].Id)).ShouldBeOk();
        (await Friendships.SendRequestAsync(sender.Id, targets[100].Id)).ShouldFail(ErrorKind.LimitReached);

        App.Clock.Advance(TimeSpan.FromHours(23));
        var stillRefused = (await Friendships.SendRequestAsync(sender.Id, targets[100].Id)).ShouldFail(ErrorKind.LimitReached);
        Assert.True(stillRefused.RetryAfter > TimeSpan.FromMinutes(59) && stillRefused.RetryAfter <= TimeSpan.FromHours(1),
            $"RetryAfter {stillRefused.RetryAfter}");

        App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(SendRequestOutcome.RequestSent, (await Friendships.SendRequestAsync(sender.Id, targets[100].Id)).ShouldBeOk());
        Assert.Equal(SendRequestOutcome.RequestSent, (await Friendships.SendRequestAsync(sender.Id, targets[101].Id)).ShouldBeOk());
    }

    [Fact]
    public async Task Cancelling_requests_does_not_give_back_the_daily_allowance()
    {
        var sender = await AddUserAsync("sender");
        var target = await AddUserAsync("target");
        var other = await AddUserAsync("other");
        for (var i = 0; i < 100; i++)
        {
            (await Friendships.SendRequestAsync(sender.Id, target.Id)).ShouldBeOk();
            (await Friendships.CancelAsync(await RequestIdAsync(sender, target), sender.Id)).ShouldBeOk();
        }

        (await Friendships.SendRequestAsync(sender.Id, other.Id)).ShouldFail(ErrorKind.LimitReached);
    }

    [Fact]
    public async Task The_61st_status_update_in_an_hour_is_refused_with_a_message_saying_when()
    {
        Assert.Equal(60, Limits.StatusUpdatesPerHour);
        var poster = await AddUserAsync("poster");
        for (var i = 0; i < 60; i++)
            (await Statuses.PostAsync(poster.Id, $"update {i}")).ShouldBeOk();

        var error = (await Statuses.PostAsync(poster.Id, "one too many")).ShouldFail(ErrorKind.LimitReached);
        Assert.True(error.RetryAfter > TimeSpan.FromMinutes(59) && error.RetryAfter <= TimeSpan.FromHours(1), $"RetryAfter {error.RetryAfter}");
        Assert.Contains("try again in 60 minutes", error.Message);

        App.Clock.Advance(TimeSpan.FromMinutes(30));
        var later = (await Statuses.PostAsync(poster.Id, "still too many")).ShouldFail(ErrorKind.LimitReached);
        Assert.Contains("try again in 30 minutes", later.Message);
        Assert.True(later.RetryAfter > TimeSpan.FromMinutes(29) && later.RetryAfter <= TimeSpan.FromMinutes(30));

        await using (var db = App.NewDbContext())
        {
            Assert.Equal(60, await db.StatusUpdates.CountAsync());
            Assert.Equal("update 59", (await db.Users.SingleAsync(u => u.Id == poster.Id)).StatusText);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(30));
        (await Statuses.PostAsync(poster.Id, "a new hour")).ShouldBeOk();
    }

    [Fact]
    public async Task The_51st_report_in_a_day_is_refused_but_updating_an_open_report_still_works()
    {
        Assert.Equal(50, Limits.ReportsPerDay);
        var reporter = await AddUserAsync("reporter");
        var targets = await AddUsersAsync(Enumerable.Range(0, 51).Select(i => ($"target{i:00}", $"Target {i}")));
        for (var i = 0; i < 50; i++)
            Assert.Equal(ReportOutcome.Created, (await Reports.ReportAsync(reporter.Id, targets[i].Id, null, ReportReason.Spam, null)).ShouldBeOk());

        var error = (await Reports.ReportAsync(reporter.Id, targets[50].Id, null, ReportReason.Spam, null)).ShouldFail(ErrorKind.LimitReached);

        Assert.True(error.RetryAfter > TimeSpan.Zero, $"RetryAfter {error.RetryAfter}");
        Assert.Contains("50", error.Message);
        Assert.Equal(ReportOutcome.Updated,
            (await Reports.ReportAsync(reporter.Id, targets[0].Id, null, ReportReason.Harassment, "more context")).ShouldBeOk());
        await using var db = App.NewDbContext();
        Assert.Equal(50, await db.Reports.CountAsync());

        App.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(ReportOutcome.Created, (await Reports.ReportAsync(reporter.Id, targets[50].Id, null, ReportReason.Spam, null)).ShouldBeOk());
    }

    // ---------------------------------------------------------------- suspended user acting from an open session

    public enum SuspendedAction
    {
        SendRequest, PostStatus, AcceptRequest, DeclineRequest, CancelRequest, Report, Block, Unblock,
        Mute, Unmute, Unfriend, UpdatePrivacy,
    }

    [Theory]
    [InlineData(SuspendedAction.SendRequest)]
    [InlineData(SuspendedAction.PostStatus)]
    [InlineData(SuspendedAction.AcceptRequest)]
    [InlineData(SuspendedAction.DeclineRequest)]
    [InlineData(SuspendedAction.CancelRequest)]
    [InlineData(SuspendedAction.Report)]
    [InlineData(SuspendedAction.Block)]
    [InlineData(SuspendedAction.Unblock)]
    [InlineData(SuspendedAction.Mute)]
    [InlineData(SuspendedAction.Unmute)]
    [InlineData(SuspendedAction.Unfriend)]
    [InlineData(SuspendedAction.UpdatePrivacy)]
    public async Task A_suspended_user_acting_from_an_already_open_session_is_refused_with_Forbidden(SuspendedAction action)
    {
        var (suspended, others) = await SuspendedUserWithHistoryAsync(TimeSpan.FromDays(7));
        var before = await DatabaseFingerprintAsync();

        var result = await ActAsync(action, suspended, others);

        var error = result.ShouldFail(ErrorKind.Forbidden);
        Assert.Contains("suspended", error.Message);
        Assert.Equal(before, await DatabaseFingerprintAsync());
    }

    [Fact]
    public async Task An_indefinitely_suspended_user_is_refused_without_an_end_date()
    {
        var (suspended, _) = await SuspendedUserWithHistoryAsync(null);

        var error = (await Statuses.PostAsync(suspended.Id, "hello?")).ShouldFail(ErrorKind.Forbidden);

        Assert.Equal("Your account is suspended.", error.Message);
    }

    [Fact]
    public async Task A_suspended_user_can_act_again_once_the_suspension_period_ends()
    {
        var (suspended, others) = await SuspendedUserWithHistoryAsync(TimeSpan.FromDays(7));
        var refused = (await Statuses.PostAsync(suspended.Id, "hello?")).ShouldFail(ErrorKind.Forbidden);
        Assert.Contains("suspended until 2026-01-08 12:00 UTC", refused.Message);

        App.Clock.Advance(TimeSpan.FromDays(7));

        (await Statuses.PostAsync(suspended.Id, "I'm back")).ShouldBeOk();
        (await Friendships.SendRequestAsync(suspended.Id, others.Stranger.Id)).ShouldBeOk();
    }

    private sealed record Others(User Friend, User Muted, User IncomingFrom, User OutgoingTo, User BlockedOne, User Stranger);

    /// <summary>
    /// A user with something to act on for every action: a pending request each way, a muted friend, a blocked user;
    /// then a moderator suspends them (null: indefinitely) while their session stays open.
    /// </summary>
    private async Task<(User Suspended, Others Others)> SuspendedUserWithHistoryAsync(TimeSpan? duration)
    {
        var user = await AddUserAsync("mallory", "Mallory");
        var others = new Others(
            await AddUserAsync("friend"), await AddUserAsync("muted"), await AddUserAsync("incoming"),
            await AddUserAsync("outgoing"), await AddUserAsync("blockedone"), await AddUserAsync("stranger"));
        await BefriendAsync(user, others.Friend);
        await BefriendAsync(user, others.Muted);
        (await Privacy.MuteAsync(user.Id, others.Muted.Id)).ShouldBeOk();
        (await Friendships.SendRequestAsync(others.IncomingFrom.Id, user.Id)).ShouldBeOk();
        (await Friendships.SendRequestAsync(user.Id, others.OutgoingTo.Id)).ShouldBeOk();
        (await Privacy.BlockAsync(user.Id, others.BlockedOne.Id)).ShouldBeOk();
        await PostAsync(others.Stranger, "something to report");

        (await Moderation.SuspendAsync(Moderator.Id, user.Id, duration, "Spamming")).ShouldBeOk();
        return (user, others);
    }

    private async Task<Result> ActAsync(SuspendedAction action, User user, Others others) => action switch
    {
        SuspendedAction.SendRequest => await Friendships.SendRequestAsync(user.Id, others.Stranger.Id),
        SuspendedAction.PostStatus => await Statuses.PostAsync(user.Id, "buy my stuff"),
        SuspendedAction.AcceptRequest => await Friendships.AcceptAsync(await RequestIdAsync(others.IncomingFrom, user), user.Id),
        SuspendedAction.DeclineRequest => await Friendships.DeclineAsync(await RequestIdAsync(others.IncomingFrom, user), user.Id),
        SuspendedAction.CancelRequest => await Friendships.CancelAsync(await RequestIdAsync(user, others.OutgoingTo), user.Id),
        SuspendedAction.Report => await Reports.ReportAsync(user.Id, others.Stranger.Id, null, ReportReason.Spam, "retaliation"),
        SuspendedAction.Block => await Privacy.BlockAsync(user.Id, others.Friend.Id),
        SuspendedAction.Unblock => await Privacy.UnblockAsync(user.Id, others.BlockedOne.Id),
        SuspendedAction.Mute => await Privacy.MuteAsync(user.Id, others.Friend.Id),
        SuspendedAction.Unmute => await Privacy.UnmuteAsync(user.Id, others.Muted.Id),
        SuspendedAction.Unfriend => await Friendships.UnfriendAsync(user.Id, others.Friend.Id),
        SuspendedAction.UpdatePrivacy => await Privacy.UpdateSettingsAsync(user.Id, new PrivacySettings { ShowInDirectory = false }),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}
