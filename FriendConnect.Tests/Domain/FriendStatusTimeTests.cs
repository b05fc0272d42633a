using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Safety;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

/// <summary>Each friendship row carries the friend's current status time, kept in step by every write that changes it.</summary>
public sealed class FriendStatusTimeTests : SafetyTestBase
{
    [Fact]
    public async Task Posting_a_status_moves_the_authors_time_onto_each_friends_row_and_to_the_top_of_their_list()
    {
        var (ann, bob, cat) = await ThreeAsync();
        await BefriendAsync(ann, bob);
        await BefriendAsync(ann, cat);
        await PostAsync(bob, "bob first");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var posted = await PostAsync(cat, "cat second");

        Assert.Equal(posted.CreatedAt, await FriendStatusAtAsync(ann, cat));
        Assert.Null(await FriendStatusAtAsync(cat, ann));
        Assert.Equal(["cat", "bob"], await FriendsOrderAsync(ann));

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(bob, "bob again");
        Assert.Equal(["bob", "cat"], await FriendsOrderAsync(ann));
    }

    [Fact]
    public async Task Hiding_the_newest_status_falls_back_to_the_newest_visible_one_and_hiding_the_last_clears_it()
    {
        var (ann, bob, rhea) = await ThreeAsync();
        await BefriendAsync(ann, bob);
        var older = await PostAsync(bob, "fine words");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var rude = await PostAsync(bob, "rude words");
        Assert.Equal(rude.CreatedAt, await FriendStatusAtAsync(ann, bob));

        await HideAsync(rhea, bob, rude.StatusId);
        Assert.Equal(older.CreatedAt, await FriendStatusAtAsync(ann, bob));

        await HideAsync(rhea, bob, older.StatusId);
        Assert.Null(await FriendStatusAtAsync(ann, bob));
    }

    [Fact]
    public async Task A_new_friendship_starts_from_each_friends_current_status_time()
    {
        var (ann, bob, _) = await ThreeAsync();
        var annPost = await PostAsync(ann, "ann was here");
        App.Clock.Advance(TimeSpan.FromMinutes(1));

        await BefriendViaRequestAsync(ann, bob);

        Assert.Equal(annPost.CreatedAt, await FriendStatusAtAsync(bob, ann));
        Assert.Null(await FriendStatusAtAsync(ann, bob));
    }

    [Fact]
    public async Task Unfriending_removes_both_rows_and_a_later_post_touches_no_one_else()
    {
        var (ann, bob, cat) = await ThreeAsync();
        await BefriendViaRequestAsync(ann, bob);
        await BefriendViaRequestAsync(cat, bob);
        (await Friendships.UnfriendAsync(ann.Id, bob.Id)).ShouldBeOk();

        var posted = await PostAsync(bob, "after the split");

        await using var db = App.NewDbContext();
        Assert.False(await db.Friendships.AnyAsync(f => (f.UserId == ann.Id && f.FriendId == bob.Id) || (f.UserId == bob.Id && f.FriendId == ann.Id)));
        Assert.Equal(posted.CreatedAt, await FriendStatusAtAsync(cat, bob));
        Assert.Empty(await FriendsOrderAsync(ann));
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_statuses_and_the_rows_that_carried_their_time()
    {
        var (ann, bob, _) = await ThreeAsync();
        await BefriendViaRequestAsync(ann, bob);
        await PostAsync(bob, "soon gone");

        (await App.WithAccountsAsync(accounts => accounts.DeleteAsync(bob.Id))).ShouldBeOk();

        await using var db = App.NewDbContext();
        Assert.False(await db.StatusUpdates.AnyAsync(s => s.AuthorId == bob.Id));
        Assert.False(await db.Friendships.AnyAsync(f => f.FriendId == bob.Id || f.UserId == bob.Id));
        Assert.Empty(await FriendsOrderAsync(ann));
    }

    private async Task<(User, User, User)> ThreeAsync()
    {
        var users = await AddUsersAsync([("ann", "Ann"), ("bob", "Bob"), ("cat", "Cat")]);
        return (users[0], users[1], users[2]);
    }

    private async Task HideAsync(User reporter, User author, long statusId)
    {
        (await Reports.ReportAsync(reporter.Id, author.Id, statusId, ReportReason.Spam, null)).ShouldBeOk();
        (await Moderation.HideStatusAsync(Moderator.Id, await OpenReportIdAsync(reporter, author, statusId))).ShouldBeOk();
    }

    private async Task<DateTime?> FriendStatusAtAsync(User user, User friend)
    {
        await using var db = App.NewDbContext();
        return await db.Friendships.Where(f => f.UserId == user.Id && f.FriendId == friend.Id).Select(f => f.FriendStatusAt).SingleAsync();
    }

    private async Task<List<string>> FriendsOrderAsync(User user) =>
        (await Friendships.GetFriendsAsync(user.Id, 0, 20)).Items.Select(f => f.UserName).ToList();
}
