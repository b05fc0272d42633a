using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Safety;

public enum Who { Anonymous, Stranger, Friend, FriendOfFriend, Blocked, Moderator }

/// <summary>
/// What each kind of viewer sees of a target user T, for each privacy setting. The world of every test:
/// T ("tara") is friends with Fred; Gina is Fred's friend (a friend of a friend of T); Sam has no relation;
/// Bob was Fred's friend too and is blocked by T; plus a moderator. T has posted one status.
/// </summary>
public sealed class VisibilityMatrixTests : SafetyTestBase
{
    private const string TargetName = "tara";
    private const string TargetStatus = "Tara's weekend plans";
    private static readonly Who[] Everyone = Enum.GetValues<Who>();

    private User _target = default!, _friend = default!, _fof = default!, _stranger = default!, _blocked = default!;
    private DateTime _statusAt;

    private async Task BuildWorldAsync(PrivacySettings settings)
    {
        _target = await AddUserAsync(TargetName, "Tara Target");
        _friend = await AddUserAsync("fred", "Fred Friend");
        _fof = await AddUserAsync("gina", "Gina Fof");
        _stranger = await AddUserAsync("sam", "Sam Stranger");
        _blocked = await AddUserAsync("bob", "Bob Blocked");
        await BefriendAsync(_target, _friend);
        await BefriendAsync(_friend, _fof);
        await BefriendAsync(_friend, _blocked);
        _statusAt = (await PostAsync(_target, TargetStatus)).CreatedAt;
        await SetPrivacyAsync(_target, settings);
        (await Privacy.BlockAsync(_target.Id, _blocked.Id)).ShouldBeOk();
    }

    private string? IdOf(Who who) => who switch
    {
        Who.Anonymous => null,
        Who.Stranger => _stranger.Id,
        Who.Friend => _friend.Id,
        Who.FriendOfFriend => _fof.Id,
        Who.Blocked => _blocked.Id,
        _ => Moderator.Id,
    };

    // ---------------------------------------------------------------- status audience

    public static TheoryData<StatusAudience, Who[]> StatusAudienceRows => new()
    {
        { StatusAudience.Everyone, [Who.Anonymous, Who.Stranger, Who.Friend, Who.FriendOfFriend, Who.Moderator] },
        { StatusAudience.SignedInUsers, [Who.Stranger, Who.Friend, Who.FriendOfFriend, Who.Moderator] },
        { StatusAudience.Friends, [Who.Friend, Who.Moderator] },
    };

    [Theory]
    [MemberData(nameof(StatusAudienceRows))]
    public async Task Status_is_shown_on_profile_directory_and_history_only_to_its_audience_and_in_the_feed_only_to_friends(
        StatusAudience audience, Who[] seesStatus)
    {
        await BuildWorldAsync(new PrivacySettings { WhoSeesStatus = audience });
        var expect = new Expectations();

        foreach (var who in Everyone.Where(w => w != Who.Blocked))
        {
            var sees = seesStatus.Contains(who);
            var viewerId = IdOf(who);

            var profile = await Directory.GetProfileAsync(viewerId, TargetName);
            expect.True(profile.Succeeded, $"{who}: profile should be found");
            expect.Equal(sees ? TargetStatus : null, profile.Value?.User.StatusText, $"{who}: profile status text");
            expect.Equal(sees ? _statusAt : (DateTime?)null, profile.Value?.User.StatusAt, $"{who}: profile status time");

            var listing = await Directory.SearchAsync(viewerId, null, 0, 100);
            var listed = listing.Items.SingleOrDefault(u => u.User.Id == _target.Id);
            expect.True(listed is not null, $"{who}: T should be listed in the directory");
            expect.Equal(sees ? TargetStatus : null, listed?.User.StatusText, $"{who}: directory status text");

            var history = await Statuses.GetHistoryAsync(viewerId, _target.Id, null, 10);
            expect.Equal(sees ? 1 : 0, history.Items.Count, $"{who}: statuses in T's history");

            if (viewerId is not null)
            {
                var feed = await Statuses.GetFeedAsync(viewerId, null, 50);
                expect.Equal(who == Who.Friend, feed.Items.Any(i => i.Author.Id == _target.Id), $"{who}: T's status in feed");
            }

            // A friend's view of the mutual friend's list shows T's status by the same rule.
            if (who is Who.FriendOfFriend or Who.Moderator or Who.Stranger or Who.Anonymous)
            {
                var fredsFriends = await Directory.GetFriendsOfAsync(viewerId, "fred", 0, 100);
                var inList = fredsFriends.Value?.Items.SingleOrDefault(u => u.Id == _target.Id);
                expect.Equal(sees ? TargetStatus : null, inList?.StatusText, $"{who}: T's status in Fred's friends list");
            }
        }
        await ExpectInvisibleToBlockedAsync(expect);
        expect.Verify();
    }

    // ---------------------------------------------------------------- friends list audience

    public static TheoryData<FriendsListAudience, Who[]> FriendsListRows => new()
    {
        { FriendsListAudience.Everyone, [Who.Anonymous, Who.Stranger, Who.Friend, Who.FriendOfFriend, Who.Moderator] },
        { FriendsListAudience.Friends, [Who.Friend, Who.Moderator] },
        { FriendsListAudience.OnlyMe, [Who.Moderator] },
    };

    [Theory]
    [MemberData(nameof(FriendsListRows))]
    public async Task Friends_list_and_friend_count_are_shown_only_to_the_chosen_audience(FriendsListAudience audience, Who[] seesFriends)
    {
        await BuildWorldAsync(new PrivacySettings { WhoSeesFriends = audience });
        var expect = new Expectations();

        foreach (var who in Everyone.Where(w => w != Who.Blocked))
        {
            var sees = seesFriends.Contains(who);
            var viewerId = IdOf(who);

            var profile = (await Directory.GetProfileAsync(viewerId, TargetName)).Value;
            expect.Equal(sees, profile?.CanSeeFriends, $"{who}: CanSeeFriends");
            expect.Equal(sees ? 1 : (int?)null, profile?.FriendCount, $"{who}: FriendCount");

            var list = await Directory.GetFriendsOfAsync(viewerId, TargetName, 0, 100);
            if (sees)
            {
                expect.True(list.Succeeded, $"{who}: friends list should be a page, got {list.Error?.Kind}");
                expect.Equal(_friend.Id, list.Value?.Items.SingleOrDefault()?.Id, $"{who}: the one friend in the list");
                expect.Equal(1, list.Value?.TotalCount, $"{who}: friends list total");
            }
            else
            {
                expect.Equal(ErrorKind.Forbidden, list.Error?.Kind, $"{who}: friends list refusal");
            }
        }

        // The owner always sees their own list.
        var own = await Directory.GetFriendsOfAsync(_target.Id, TargetName, 0, 100);
        expect.Equal(1, own.Value?.TotalCount, "owner: own friends list");
        expect.Equal(true, (await Directory.GetProfileAsync(_target.Id, TargetName)).Value?.CanSeeFriends, "owner: CanSeeFriends");

        await ExpectInvisibleToBlockedAsync(expect);
        expect.Verify();
    }

    // ---------------------------------------------------------------- directory

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Directory_listing_respects_ShowInDirectory_but_an_exact_username_search_and_the_profile_still_find_T(bool showInDirectory)
    {
        await BuildWorldAsync(new PrivacySettings { ShowInDirectory = showInDirectory });
        var expect = new Expectations();

        foreach (var who in Everyone.Where(w => w != Who.Blocked))
        {
            var viewerId = IdOf(who);
            var listed = showInDirectory || who == Who.Moderator;

            expect.Equal(listed, await FindsTargetAsync(viewerId, null), $"{who}: T in the full listing");
            expect.Equal(listed, await FindsTargetAsync(viewerId, "ta"), $"{who}: T in a username-prefix search");
            expect.Equal(listed, await FindsTargetAsync(viewerId, "target"), $"{who}: T in a display-name search");
            expect.Equal(true, await FindsTargetAsync(viewerId, "TARA"), $"{who}: T in an exact-username search (other case)");
            expect.Equal(true, await FindsTargetAsync(viewerId, " tara "), $"{who}: T in an exact-username search (spaces)");
            expect.True((await Directory.GetProfileAsync(viewerId, TargetName)).Succeeded, $"{who}: profile by username");

            var page = await Directory.SearchAsync(viewerId, null, 0, 100);
            expect.Equal(page.Items.Count, page.TotalCount, $"{who}: total matches the listing");
        }

        // People always find themselves.
        expect.Equal(true, await FindsTargetAsync(_target.Id, null), "T: self in the full listing");

        expect.Equal(false, await FindsTargetAsync(_blocked.Id, null), "Blocked: T in the listing");
        expect.Equal(false, await FindsTargetAsync(_blocked.Id, "tara"), "Blocked: T in an exact-username search");
        expect.Equal(false, await FindsTargetAsync(_blocked.Id, "target"), "Blocked: T in a display-name search");
        expect.Verify();
    }

    private async Task<bool> FindsTargetAsync(string? viewerId, string? search)
    {
        var page = await Directory.SearchAsync(viewerId, search, 0, 100);
        return page.Items.Any(u => u.User.Id == _target.Id);
    }

    // ---------------------------------------------------------------- request policy

    public static TheoryData<RequestPolicy, Who[]> RequestPolicyRows => new()
    {
        // A moderator gets no special right to reach people: the policy applies to them like to anyone.
        { RequestPolicy.Everyone, [Who.Stranger, Who.FriendOfFriend, Who.Moderator] },
        { RequestPolicy.FriendsOfFriends, [Who.FriendOfFriend] },
        { RequestPolicy.Nobody, [] },
    };

    [Theory]
    [MemberData(nameof(RequestPolicyRows))]
    public async Task Request_policy_decides_CanSendRequest_on_the_profile_and_the_server_enforces_it(RequestPolicy policy, Who[] maySend)
    {
        await BuildWorldAsync(new PrivacySettings { WhoCanSendRequests = policy });
        var expect = new Expectations();

        foreach (var who in Everyone.Where(w => w != Who.Blocked))
        {
            var profile = (await Directory.GetProfileAsync(IdOf(who), TargetName)).Value;
            expect.Equal(maySend.Contains(who), profile?.CanSendRequest, $"{who}: CanSendRequest");
        }

        foreach (var who in new[] { Who.Stranger, Who.Friend, Who.FriendOfFriend, Who.Blocked, Who.Moderator })
        {
            var result = await Friendships.SendRequestAsync(IdOf(who)!, _target.Id);
            var expected = who switch
            {
                Who.Friend => "Conflict",
                Who.Blocked => "NotFound",
                _ when maySend.Contains(who) => "RequestSent",
                _ => "Forbidden",
            };
            expect.Equal(expected, result.Succeeded ? result.Value.ToString() : result.Error!.Kind.ToString(), $"{who}: SendRequestAsync");
        }

        await using var db = App.NewDbContext();
        var pendingFrom = await db.FriendRequests.Where(r => r.ToUserId == _target.Id && r.State == FriendRequestState.Pending)
            .Select(r => r.FromUserId).ToListAsync();
        var expectedFrom = maySend.Select(IdOf).OrderBy(id => id).ToList();
        expect.Equal(string.Join(",", expectedFrom), string.Join(",", pendingFrom.OrderBy(id => id)), "requests written to T");
        var notifiedBy = await db.Notifications.Where(n => n.RecipientId == _target.Id).Select(n => n.ActorId).ToListAsync();
        expect.Equal(string.Join(",", expectedFrom), string.Join(",", notifiedBy.OrderBy(id => id)), "notifications T received");
        expect.Verify();
    }

    // ---------------------------------------------------------------- moderators

    [Fact]
    public async Task A_moderator_sees_everything_even_under_the_most_private_settings()
    {
        await BuildWorldAsync(new PrivacySettings
        {
            WhoSeesStatus = StatusAudience.Friends, WhoSeesFriends = FriendsListAudience.OnlyMe,
            ShowInDirectory = false, WhoCanSendRequests = RequestPolicy.Nobody,
        });

        var profile = (await Directory.GetProfileAsync(Moderator.Id, TargetName)).ShouldBeOk();
        Assert.Equal(TargetStatus, profile.User.StatusText);
        Assert.True(profile.CanSeeFriends);
        Assert.Equal(1, profile.FriendCount);
        Assert.Equal(_friend.Id, Assert.Single((await Directory.GetFriendsOfAsync(Moderator.Id, TargetName, 0, 10)).ShouldBeOk().Items).Id);
        Assert.Single((await Statuses.GetHistoryAsync(Moderator.Id, _target.Id, null, 10)).Items);
        var listed = Assert.Single((await Directory.SearchAsync(Moderator.Id, "target", 0, 10)).Items);
        Assert.Equal(TargetStatus, listed.User.StatusText);

        // The same settings hide all of it from a signed-in stranger.
        var strangers = (await Directory.GetProfileAsync(_stranger.Id, TargetName)).ShouldBeOk();
        Assert.Null(strangers.User.StatusText);
        Assert.Null(strangers.FriendCount);
        Assert.False(strangers.CanSeeFriends);
        Assert.Empty((await Directory.SearchAsync(_stranger.Id, "target", 0, 10)).Items);
    }

    // ---------------------------------------------------------------- blocked pair

    public enum BlockDirection { TargetBlocksViewer, ViewerBlocksTarget }

    [Theory]
    [InlineData(BlockDirection.TargetBlocksViewer)]
    [InlineData(BlockDirection.ViewerBlocksTarget)]
    public async Task A_blocked_pair_is_invisible_to_each_other_everywhere(BlockDirection direction)
    {
        var tara = await AddUserAsync(TargetName, "Tara Target");
        var bob = await AddUserAsync("bob", "Bob Blocked");
        var fred = await AddUserAsync("fred", "Fred Friend");
        var cleo = await AddUserAsync("cleo", "Cleo Control");
        await BefriendViaRequestAsync(tara, bob);
        await BefriendAsync(tara, fred);
        await BefriendAsync(bob, fred);
        await BefriendAsync(fred, cleo);
        await PostAsync(tara, "from tara");
        await PostAsync(bob, "from bob");
        await PostAsync(fred, "from fred");
        Assert.Contains((await Statuses.GetFeedAsync(bob.Id, null, 50)).Items, i => i.Author.Id == tara.Id);

        var (blocker, blocked) = direction == BlockDirection.TargetBlocksViewer ? (tara, bob) : (bob, tara);
        (await Privacy.BlockAsync(blocker.Id, blocked.Id)).ShouldBeOk();

        var expect = new Expectations();
        foreach (var (me, other) in new[] { (tara, bob), (bob, tara) })
        {
            var who = me.UserName;
            await ExpectHiddenFromAsync(expect, me, other, who!);

            var fredsFriends = (await Directory.GetFriendsOfAsync(me.Id, "fred", 0, 100)).Value;
            expect.True(fredsFriends is not null && fredsFriends.Items.All(u => u.Id != other.Id), $"{who}: other absent from mutual friend's list");
            expect.Equal(fredsFriends?.Items.Count, fredsFriends?.TotalCount, $"{who}: mutual friend's list total counts only visible friends");

            var suggestions = await Suggestions.GetAsync(me.Id, 10);
            expect.True(suggestions.All(s => s.User.Id != other.Id), $"{who}: other absent from suggestions");
            expect.True(suggestions.Any(s => s.User.Id == cleo.Id), $"{who}: control user still suggested");

            var notifications = await Notifications.GetRecentAsync(me.Id, 100);
            expect.True(notifications.All(n => n.Actor.Id != other.Id), $"{who}: no notification caused by the other");
            expect.True(notifications.Any(n => n.Actor.Id == fred.Id), $"{who}: notification from the mutual friend kept");
        }

        // Third parties still see both.
        foreach (var viewer in new[] { fred.Id, Moderator.Id })
        {
            expect.True((await Directory.GetProfileAsync(viewer, "tara")).Succeeded, "third party sees tara");
            expect.True((await Directory.GetProfileAsync(viewer, "bob")).Succeeded, "third party sees bob");
        }
        expect.Verify();
    }

    [Fact]
    public async Task A_mutual_friends_friend_count_agrees_with_the_list_a_blocked_user_sees()
    {
        await BuildWorldAsync(new PrivacySettings());

        var list = (await Directory.GetFriendsOfAsync(_blocked.Id, "fred", 0, 100)).ShouldBeOk();
        var profile = (await Directory.GetProfileAsync(_blocked.Id, "fred")).ShouldBeOk();

        Assert.DoesNotContain(list.Items, u => u.Id == _target.Id);
        // Fred has three friends (T, Gina, Bob); Bob may see only two of them, so a count of 3 reveals T.
        Assert.Equal(list.TotalCount, profile.FriendCount);
    }

    private async Task ExpectInvisibleToBlockedAsync(Expectations expect)
    {
        await ExpectHiddenFromAsync(expect, _blocked, _target, "Blocked");
        var fredsFriends = (await Directory.GetFriendsOfAsync(_blocked.Id, "fred", 0, 100)).Value;
        expect.True(fredsFriends is not null, "Blocked: can still see Fred's friends list");
        expect.True(fredsFriends?.Items.All(u => u.Id != _target.Id) == true, "Blocked: T absent from Fred's friends list");
        expect.True(fredsFriends?.Items.Any(u => u.Id == _fof.Id) == true, "Blocked: others still in Fred's friends list");
    }

    /// <summary>Everything <paramref name="me"/> could use to see or reach <paramref name="other"/>.</summary>
    private async Task ExpectHiddenFromAsync(Expectations expect, User me, User other, string who)
    {
        const string ghost = "nosuchuser";
        var name = other.UserName!;

        var profile = await Directory.GetProfileAsync(me.Id, name);
        var missing = await Directory.GetProfileAsync(me.Id, ghost);
        expect.Equal(ErrorKind.NotFound, profile.Error?.Kind, $"{who}: profile of {name}");
        expect.Equal(missing.Error!.Message.Replace(ghost, name), profile.Error?.Message, $"{who}: profile refusal looks like a missing user");

        var friends = await Directory.GetFriendsOfAsync(me.Id, name, 0, 10);
        var missingFriends = await Directory.GetFriendsOfAsync(me.Id, ghost, 0, 10);
        expect.Equal(ErrorKind.NotFound, friends.Error?.Kind, $"{who}: friends list of {name}");
        expect.Equal(missingFriends.Error!.Message.Replace(ghost, name), friends.Error?.Message, $"{who}: friends list refusal looks like a missing user");

        expect.Equal(false, (await Directory.SearchAsync(me.Id, null, 0, 100)).Items.Any(u => u.User.Id == other.Id), $"{who}: {name} in listing");
        expect.Equal(false, (await Directory.SearchAsync(me.Id, name, 0, 100)).Items.Any(u => u.User.Id == other.Id), $"{who}: {name} in exact search");
        expect.Equal(0, (await Statuses.GetHistoryAsync(me.Id, other.Id, null, 10)).Items.Count, $"{who}: {name}'s history");
        expect.Equal(false, (await Statuses.GetFeedAsync(me.Id, null, 50)).Items.Any(i => i.Author.Id == other.Id), $"{who}: {name} in feed");

        var before = await DatabaseFingerprintAsync();
        var send = await Friendships.SendRequestAsync(me.Id, other.Id);
        var sendToNobody = await Friendships.SendRequestAsync(me.Id, Guid.NewGuid().ToString());
        expect.Equal(ErrorKind.NotFound, send.Error?.Kind, $"{who}: request to {name}");
        expect.Equal(sendToNobody.Error!.Message, send.Error?.Message, $"{who}: request refusal looks like a missing user");
        expect.Equal(before, await DatabaseFingerprintAsync(), $"{who}: refused request wrote nothing");
    }

    // ---------------------------------------------------------------- preview

    public static TheoryData<StatusAudience, FriendsListAudience, RequestPolicy> PreviewRows
    {
        get
        {
            var rows = new TheoryData<StatusAudience, FriendsListAudience, RequestPolicy>();
            var policies = Enum.GetValues<RequestPolicy>();
            var i = 0;
            foreach (var status in Enum.GetValues<StatusAudience>())
                foreach (var friends in Enum.GetValues<FriendsListAudience>())
                    rows.Add(status, friends, policies[i++ % policies.Length]);
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(PreviewRows))]
    public async Task Preview_as_friend_or_stranger_shows_exactly_what_a_real_friend_or_stranger_sees(
        StatusAudience status, FriendsListAudience friends, RequestPolicy requests)
    {
        await BuildWorldAsync(new PrivacySettings { WhoSeesStatus = status, WhoSeesFriends = friends, WhoCanSendRequests = requests });
        var expect = new Expectations();

        foreach (var (asFriend, realViewer) in new[] { (true, _friend), (false, _stranger) })
        {
            var label = asFriend ? "as friend" : "as stranger";
            var preview = (await Directory.PreviewProfileAsync(_target.Id, asFriend)).ShouldBeOk();
            var real = (await Directory.GetProfileAsync(realViewer.Id, TargetName)).ShouldBeOk();
            expect.Equal(real.User, preview.User, $"{label}: summary (status text and time)");
            expect.Equal(real.Relation, preview.Relation, $"{label}: relation");
            expect.Equal(real.FriendCount, preview.FriendCount, $"{label}: friend count");
            expect.Equal(real.CanSeeFriends, preview.CanSeeFriends, $"{label}: CanSeeFriends");
            expect.Equal(real.CanSendRequest, preview.CanSendRequest, $"{label}: CanSendRequest");
            expect.Equal(real.JoinedAt, preview.JoinedAt, $"{label}: joined");
            expect.Equal(real.PendingRequestId, preview.PendingRequestId, $"{label}: pending request");
            expect.Equal(false, preview.IsOnline, $"{label}: preview never shows presence");
        }
        expect.Verify();
    }
}
