using System.Reflection;
using System.Text.Json;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;

namespace FriendConnect.Tests.Safety;

public enum Vantage { Anonymous, Stranger, Friend, FriendOfFriend, ExFriend, BlockedByTarget, BlockedTarget, Moderator }

/// <summary>
/// Every read path that carries another person, against the audience rule. The world: T ("tara") is friends with Fred;
/// Gina is Fred's friend; Sam is a stranger; Eve was T's friend and was unfriended; T blocked Bob; Yan blocked T; plus a
/// moderator. T's one status is posted while Eve is still a friend.
/// </summary>
public sealed class ReadPathPrivacyTests : SafetyTestBase
{
    private const string Secret = "Tara's friends-only secret";
    private User _t = default!, _fred = default!, _gina = default!, _sam = default!, _eve = default!, _bob = default!, _yan = default!;

    private async Task BuildWorldAsync(StatusAudience status, FriendsListAudience friends = FriendsListAudience.Everyone)
    {
        _t = await AddUserAsync("tara", "Tara Target");
        _fred = await AddUserAsync("fred", "Fred Friend");
        _gina = await AddUserAsync("gina", "Gina Fof");
        _sam = await AddUserAsync("sam", "Sam Stranger");
        _eve = await AddUserAsync("eve", "Eve Exfriend");
        _bob = await AddUserAsync("bob", "Bob Blocked");
        _yan = await AddUserAsync("yan", "Yan Blocker");
        await BefriendAsync(_t, _fred);
        await BefriendAsync(_fred, _gina);
        await BefriendViaRequestAsync(_eve, _t);
        (await Privacy.MuteAsync(_eve.Id, _t.Id)).ShouldBeOk();
        (await Privacy.UnmuteAsync(_eve.Id, _t.Id)).ShouldBeOk();
        await PostAsync(_t, Secret);
        (await Privacy.MuteAsync(_eve.Id, _t.Id)).ShouldBeOk();
        (await Friendships.UnfriendAsync(_eve.Id, _t.Id)).ShouldBeOk();
        await SetPrivacyAsync(_t, new PrivacySettings { WhoSeesStatus = status, WhoSeesFriends = friends });
        (await Privacy.BlockAsync(_t.Id, _bob.Id)).ShouldBeOk();
        (await Privacy.BlockAsync(_yan.Id, _t.Id)).ShouldBeOk();
    }

    private User? Viewer(Vantage who) => who switch
    {
        Vantage.Anonymous => null,
        Vantage.Stranger => _sam,
        Vantage.Friend => _fred,
        Vantage.FriendOfFriend => _gina,
        Vantage.ExFriend => _eve,
        Vantage.BlockedByTarget => _bob,
        Vantage.BlockedTarget => _yan,
        _ => Moderator,
    };

    private static bool Sees(StatusAudience audience, Vantage who) => who switch
    {
        Vantage.Moderator or Vantage.Friend => true,
        Vantage.BlockedByTarget or Vantage.BlockedTarget => false,
        Vantage.Anonymous => audience == StatusAudience.Everyone,
        _ => audience != StatusAudience.Friends,
    };

    public static TheoryData<StatusAudience> Audiences => new() { StatusAudience.Everyone, StatusAudience.SignedInUsers, StatusAudience.Friends };

    [Theory]
    [MemberData(nameof(Audiences))]
    public async Task Request_lists_show_the_other_persons_status_only_to_its_audience(StatusAudience audience)
    {
        await BuildWorldAsync(audience);
        var expect = new Expectations();
        foreach (var who in new[] { Vantage.Stranger, Vantage.FriendOfFriend, Vantage.ExFriend, Vantage.Moderator })
        {
            var viewer = Viewer(who)!;
            (await Friendships.SendRequestAsync(viewer.Id, _t.Id)).ShouldBeOk();
            var outgoing = Assert.Single(await Friendships.GetOutgoingAsync(viewer.Id), r => r.OtherUser.Id == _t.Id);
            expect.Equal(Sees(audience, who) ? Secret : null, outgoing.OtherUser.StatusText, $"{who}: T's status in my outgoing requests");
            expect.Equal(Sees(audience, who), outgoing.OtherUser.StatusAt is not null, $"{who}: T's status time in my outgoing requests");
            (await Friendships.CancelAsync(outgoing.Id, viewer.Id)).ShouldBeOk();

            (await Friendships.SendRequestAsync(_t.Id, viewer.Id)).ShouldBeOk();
            var incoming = Assert.Single(await Friendships.GetIncomingAsync(viewer.Id), r => r.OtherUser.Id == _t.Id);
            expect.Equal(Sees(audience, who) ? Secret : null, incoming.OtherUser.StatusText, $"{who}: T's status in my incoming requests");
            (await Friendships.CancelAsync(incoming.Id, _t.Id)).ShouldBeOk();
        }
        expect.Verify();
    }

    [Fact]
    public async Task A_stranger_who_sent_a_request_does_not_see_a_friends_only_status()
    {
        await BuildWorldAsync(StatusAudience.Friends);
        (await Friendships.SendRequestAsync(_sam.Id, _t.Id)).ShouldBeOk();

        Assert.Null(Assert.Single(await Friendships.GetOutgoingAsync(_sam.Id)).OtherUser.StatusText);
        // T sees her own requester by his own (public) rule: the rule works per person, not per list.
        Assert.Equal(_sam.Id, Assert.Single(await Friendships.GetIncomingAsync(_t.Id)).OtherUser.Id);
    }

    [Theory]
    [MemberData(nameof(Audiences))]
    public async Task Notifications_show_the_actors_status_and_quote_it_only_while_the_recipient_may_see_it(StatusAudience audience)
    {
        await BuildWorldAsync(audience);
        // Eve's notifications from her time as T's friend: the accepted request stays; T's posts notify friends only
        // while they are friends, so the ex-friend's list no longer has them.
        var eves = await Notifications.GetRecentAsync(_eve.Id, 100);
        Assert.Contains(eves, n => n.Kind == NotificationKind.FriendRequestAccepted);
        Assert.DoesNotContain(eves, n => n.Kind == NotificationKind.StatusPosted);
        var sees = Sees(audience, Vantage.ExFriend);

        Assert.All(eves, n => Assert.Equal(sees ? Secret : null, n.Actor.StatusText));
        if (!sees) Assert.DoesNotContain(eves, n => n.Text.Contains(Secret));
        Assert.Equal(eves.Count(n => !n.IsRead), await Notifications.GetUnreadCountAsync(_eve.Id));
        var after = await Notifications.GetAfterAsync(_eve.Id, 0, 100);
        Assert.All(after, n => Assert.Equal(sees ? Secret : null, n.Actor.StatusText));
        Assert.Equal(eves.Select(n => n.Id).Order(), after.Select(n => n.Id));
    }

    [Fact]
    public async Task An_ex_friend_does_not_see_a_new_friends_only_status_through_an_old_notification()
    {
        await BuildWorldAsync(StatusAudience.Friends);
        await PostAsync(_t, "A later secret");

        var eves = await Notifications.GetRecentAsync(_eve.Id, 100);

        Assert.NotEmpty(eves);
        Assert.All(eves, n => Assert.Null(n.Actor.StatusText));
        Assert.All(eves, n => Assert.DoesNotContain("secret", n.Text));
        Assert.All(await Notifications.GetAfterAsync(_eve.Id, 0, 100), n => Assert.Null(n.Actor.StatusAt));
    }

    [Fact]
    public async Task A_report_outcome_does_not_show_the_reported_persons_status_whether_or_not_they_blocked_the_reporter()
    {
        await BuildWorldAsync(StatusAudience.Everyone);
        (await Reports.ReportAsync(_sam.Id, _t.Id, null, ReportReason.Spam, null)).ShouldBeOk();
        (await Reports.ReportAsync(_gina.Id, _t.Id, null, ReportReason.Spam, null)).ShouldBeOk();
        (await Privacy.BlockAsync(_t.Id, _sam.Id)).ShouldBeOk();
        foreach (var reporter in new[] { _sam, _gina })
            (await Moderation.DismissAsync(Moderator.Id, await OpenReportIdAsync(reporter, _t))).ShouldBeOk();

        var blockedReporters = Assert.Single(await Notifications.GetRecentAsync(_sam.Id, 10), n => n.Kind == NotificationKind.ReportResolved);
        var otherReporters = Assert.Single(await Notifications.GetRecentAsync(_gina.Id, 10), n => n.Kind == NotificationKind.ReportResolved);

        Assert.Null(blockedReporters.Actor.StatusText);
        Assert.Equal(otherReporters.Actor, blockedReporters.Actor);
        Assert.Equal(otherReporters.Text, blockedReporters.Text);
    }

    [Fact]
    public async Task A_muted_ex_friend_shows_no_friends_only_status_in_the_mutes_list()
    {
        await BuildWorldAsync(StatusAudience.Friends);

        var muted = Assert.Single(await Privacy.GetMutedAsync(_eve.Id));

        Assert.Equal(_t.Id, muted.Id);
        Assert.Null(muted.StatusText);
        Assert.Null(muted.StatusAt);
    }

    [Fact]
    public async Task The_blocked_list_shows_no_status_of_the_blocked_person_even_a_public_one()
    {
        await BuildWorldAsync(StatusAudience.Everyone);
        await PostAsync(_bob, "Bob's public news");

        var blocked = Assert.Single(await Privacy.GetBlockedAsync(_t.Id));

        Assert.Equal(_bob.Id, blocked.Id);
        Assert.Null(blocked.StatusText);
        Assert.Empty(await Privacy.GetBlockedAsync(_bob.Id));
    }

    [Theory]
    [InlineData(FriendsListAudience.Everyone, true)]
    [InlineData(FriendsListAudience.Friends, false)]
    [InlineData(FriendsListAudience.OnlyMe, false)]
    public async Task A_mutual_friend_never_reveals_a_friends_list_its_owner_hid(FriendsListAudience friends, bool shown)
    {
        await BuildWorldAsync(StatusAudience.Everyone, friends);

        var ginaSeesT = (await Directory.GetProfileAsync(_gina.Id, "tara")).ShouldBeOk();
        var modSeesT = (await Directory.GetProfileAsync(Moderator.Id, "tara")).ShouldBeOk();
        var tSeesGina = (await Directory.GetProfileAsync(_t.Id, "gina")).ShouldBeOk();

        Assert.Equal(shown ? 1 : 0, ginaSeesT.MutualFriendCount);
        Assert.Equal(shown ? [_fred.Id] : [], ginaSeesT.MutualFriends.Select(u => u.Id));
        // Gina's own list is public: from it, T may learn that Fred is their mutual friend.
        Assert.Equal([_fred.Id], tSeesGina.MutualFriends.Select(u => u.Id));
        Assert.Equal(0, modSeesT.MutualFriendCount);
        // The request policy still answers yes or no (see docs/decisions/005).
        Assert.True(ginaSeesT.CanSendRequest);
    }

    [Theory]
    [InlineData(FriendsListAudience.OnlyMe, FriendsListAudience.Friends, 0)]
    [InlineData(FriendsListAudience.OnlyMe, FriendsListAudience.OnlyMe, 0)]
    [InlineData(FriendsListAudience.OnlyMe, FriendsListAudience.Everyone, 1)]
    [InlineData(FriendsListAudience.Friends, FriendsListAudience.OnlyMe, 1)]
    [InlineData(FriendsListAudience.Everyone, FriendsListAudience.OnlyMe, 1)]
    public async Task A_suggestion_counts_only_friendships_the_viewer_may_see(
        FriendsListAudience viaFriendsList, FriendsListAudience suggestedList, int mutual)
    {
        await BuildWorldAsync(StatusAudience.Everyone, suggestedList);
        await SetPrivacyAsync(_fred, new PrivacySettings { WhoSeesFriends = viaFriendsList });

        var suggestions = await Suggestions.GetAsync(_gina.Id, 20);

        Assert.Equal(mutual, suggestions.SingleOrDefault(s => s.User.Id == _t.Id)?.MutualFriends ?? 0);
    }

    [Fact]
    public async Task The_moderation_queue_shows_reporter_and_target_through_the_moderators_view_of_the_rule()
    {
        await BuildWorldAsync(StatusAudience.Friends);
        (await Reports.ReportAsync(_sam.Id, _t.Id, null, ReportReason.Spam, null)).ShouldBeOk();

        var report = Assert.Single((await Moderation.GetQueueAsync(Moderator.Id, 0, 10)).ShouldBeOk().Items);

        Assert.Equal(Secret, report.Target.StatusText);
        Assert.Equal(_sam.Id, report.Reporter.Id);
        (await Moderation.GetQueueAsync(_sam.Id, 0, 10)).ShouldFail(ErrorKind.Forbidden);
    }

    [Theory]
    [MemberData(nameof(Audiences))]
    public async Task A_data_export_carries_no_one_elses_status_and_nothing_of_someone_who_blocked_the_exporter(StatusAudience audience)
    {
        await BuildWorldAsync(audience);
        foreach (var who in new[] { Vantage.Stranger, Vantage.Friend, Vantage.FriendOfFriend, Vantage.ExFriend, Vantage.BlockedByTarget, Vantage.BlockedTarget })
        {
            var json = JsonSerializer.Serialize(await Export.ExportAsync(Viewer(who)!.Id));
            Assert.DoesNotContain(Secret, json);
            if (who == Vantage.BlockedByTarget) Assert.DoesNotContain("tara", json);
        }
    }

    [Fact]
    public async Task A_request_cancelled_by_a_block_leaves_the_blocked_persons_export()
    {
        await BuildWorldAsync(StatusAudience.Everyone);
        (await Friendships.SendRequestAsync(_sam.Id, _t.Id)).ShouldBeOk();
        Assert.Contains((await Export.ExportAsync(_sam.Id))!.FriendRequests, r => r.OtherUserName == "tara");

        (await Privacy.BlockAsync(_t.Id, _sam.Id)).ShouldBeOk();

        Assert.DoesNotContain((await Export.ExportAsync(_sam.Id))!.FriendRequests, r => r.OtherUserName == "tara");
        Assert.Contains((await Export.ExportAsync(_t.Id))!.FriendRequests, r => r.OtherUserName == "sam");
    }

    [Fact]
    public void UserSummary_can_be_built_only_by_the_audience_projection()
    {
        var constructors = typeof(UserSummary).GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

        Assert.NotEmpty(constructors);
        Assert.All(constructors, c => Assert.True(c.IsPrivate, $"{c} is not private"));
        Assert.All(typeof(UserSummary).GetProperties(), p => Assert.Null(p.SetMethod));
    }
}
