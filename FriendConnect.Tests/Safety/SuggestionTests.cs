using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;

namespace FriendConnect.Tests.Safety;

public sealed class SuggestionTests : SafetyTestBase
{
    [Fact]
    public async Task Suggestions_are_friends_of_friends_ranked_by_mutual_count_excluding_everyone_who_should_not_be_suggested()
    {
        var me = await AddUserAsync("me");
        var (a, b, c) = (await AddUserAsync("a"), await AddUserAsync("b"), await AddUserAsync("c"));
        await BefriendAsync(me, a);
        await BefriendAsync(me, b);
        await BefriendAsync(me, c);

        var three = await AddUserAsync("three", "Three Mutual");
        var two = await AddUserAsync("two", "Two Mutual");
        var one = await AddUserAsync("one", "One Mutual");
        foreach (var f in new[] { a, b, c }) await BefriendAsync(three, f);
        foreach (var f in new[] { a, b }) await BefriendAsync(two, f);
        await BefriendAsync(one, a);
        await SetPrivacyAsync(one, new PrivacySettings { WhoSeesStatus = StatusAudience.Friends });
        await PostAsync(one, "for friends only");

        // Each of these is a friend of all three of my friends, and must still not be suggested.
        var friend = await AddUserAsync("alreadyfriend");
        await BefriendAsync(me, friend);
        var askedByMe = await AddUserAsync("askedbyme");
        var askedMe = await AddUserAsync("askedme");
        var iBlocked = await AddUserAsync("iblocked");
        var blockedMe = await AddUserAsync("blockedme");
        var hidden = await AddUserAsync("hidden");
        var dismissed = await AddUserAsync("dismissed");
        foreach (var excluded in new[] { friend, askedByMe, askedMe, iBlocked, blockedMe, hidden, dismissed })
            foreach (var f in new[] { a, b, c })
                await BefriendAsync(excluded, f);
        (await Friendships.SendRequestAsync(me.Id, askedByMe.Id)).ShouldBeOk();
        (await Friendships.SendRequestAsync(askedMe.Id, me.Id)).ShouldBeOk();
        (await Privacy.BlockAsync(me.Id, iBlocked.Id)).ShouldBeOk();
        (await Privacy.BlockAsync(blockedMe.Id, me.Id)).ShouldBeOk();
        await SetPrivacyAsync(hidden, new PrivacySettings { ShowInDirectory = false });
        await Suggestions.DismissAsync(me.Id, dismissed.Id);

        var suggestions = await Suggestions.GetAsync(me.Id, 10);

        Assert.Equal([three.Id, two.Id, one.Id], suggestions.Select(s => s.User.Id));
        Assert.Equal([3, 2, 1], suggestions.Select(s => s.MutualFriends));
        // The suggestion shows a status only to its audience.
        Assert.Null(suggestions[2].User.StatusText);
    }

    [Fact]
    public async Task People_hidden_from_the_directory_do_not_crowd_out_visible_suggestions()
    {
        var me = await AddUserAsync("me");
        var (a, b) = (await AddUserAsync("a"), await AddUserAsync("b"));
        await BefriendAsync(me, a);
        await BefriendAsync(me, b);
        var hidden = await AddUsersAsync(Enumerable.Range(0, 10).Select(i => ($"hidden{i}", $"Hidden {i}")));
        foreach (var h in hidden)
        {
            await BefriendAsync(h, a);
            await BefriendAsync(h, b);
            await SetPrivacyAsync(h, new PrivacySettings { ShowInDirectory = false });
        }
        var visible = await AddUserAsync("visible");
        await BefriendAsync(visible, a);

        var suggestions = await Suggestions.GetAsync(me.Id, 5);

        Assert.Equal([visible.Id], suggestions.Select(s => s.User.Id));
    }

    [Fact]
    public async Task A_dismissed_suggestion_stays_dismissed_and_dismissing_twice_or_a_missing_user_is_harmless()
    {
        var me = await AddUserAsync("me");
        var a = await AddUserAsync("a");
        var x = await AddUserAsync("x");
        await BefriendAsync(me, a);
        await BefriendAsync(x, a);
        Assert.Equal(x.Id, Assert.Single(await Suggestions.GetAsync(me.Id)).User.Id);

        await Suggestions.DismissAsync(me.Id, x.Id);
        await Suggestions.DismissAsync(me.Id, x.Id);
        await Suggestions.DismissAsync(me.Id, Guid.NewGuid().ToString());

        Assert.Empty(await Suggestions.GetAsync(me.Id));
        // Dismissing is mine alone: x still gets me suggested.
        Assert.Equal(me.Id, Assert.Single(await Suggestions.GetAsync(x.Id)).User.Id);
    }
}
