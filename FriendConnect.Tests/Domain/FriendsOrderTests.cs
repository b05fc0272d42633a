using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Safety;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

/// <summary>
/// A friends list shows the most recently active first (each friend's newest visible status), then by username, and
/// people who never posted last; it follows every write that changes a current status, for few friends or very many.
/// </summary>
public sealed class FriendsOrderTests : SafetyTestBase
{
    [Fact]
    public async Task Posting_a_status_moves_the_author_to_the_top_of_each_friends_list()
    {
        var (ann, bob, cat) = await ThreeAsync();
        await BefriendAsync(ann, bob);
        await BefriendAsync(ann, cat);
        Assert.Equal(["bob", "cat"], await FriendsOrderAsync(ann));

        await PostAsync(cat, "cat first");
        Assert.Equal(["cat", "bob"], await FriendsOrderAsync(ann));

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(bob, "bob again");
        Assert.Equal(["bob", "cat"], await FriendsOrderAsync(ann));
    }

    [Fact]
    public async Task Hiding_the_newest_status_falls_back_to_the_newest_visible_one_and_hiding_the_last_puts_the_author_last()
    {
        var (ann, bob, cat) = await ThreeAsync();
        var rhea = await AddUserAsync("rhea");
        await BefriendAsync(ann, bob);
        await BefriendAsync(ann, cat);
        var older = await PostAsync(bob, "fine words");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(cat, "cat in between");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var rude = await PostAsync(bob, "rude words");
        Assert.Equal(["bob", "cat"], await FriendsOrderAsync(ann));

        await HideAsync(rhea, bob, rude.StatusId);
        Assert.Equal(["cat", "bob"], await FriendsOrderAsync(ann));

        await HideAsync(rhea, bob, older.StatusId);
        Assert.Equal(["cat", "bob"], await FriendsOrderAsync(ann));
        await using var db = App.NewDbContext();
        Assert.Null(await db.Users.Where(u => u.Id == bob.Id).Select(u => u.StatusAt).SingleAsync());
    }

    [Fact]
    public async Task A_new_friend_takes_their_place_by_the_status_they_posted_before()
    {
        var (ann, bob, cat) = await ThreeAsync();
        await BefriendViaRequestAsync(bob, cat);
        await PostAsync(ann, "ann was here");

        await BefriendViaRequestAsync(ann, bob);

        Assert.Equal(["ann", "cat"], await FriendsOrderAsync(bob));
    }

    [Fact]
    public async Task Unfriending_removes_both_rows_and_a_later_post_reaches_only_the_remaining_friends_lists()
    {
        var (ann, bob, cat) = await ThreeAsync();
        await BefriendViaRequestAsync(ann, bob);
        await BefriendViaRequestAsync(cat, bob);
        (await Friendships.UnfriendAsync(ann.Id, bob.Id)).ShouldBeOk();

        await PostAsync(bob, "after the split");

        await using var db = App.NewDbContext();
        Assert.False(await db.Friendships.AnyAsync(f => (f.UserId == ann.Id && f.FriendId == bob.Id) || (f.UserId == bob.Id && f.FriendId == ann.Id)));
        Assert.Equal(["bob"], await FriendsOrderAsync(cat));
        Assert.Empty(await FriendsOrderAsync(ann));
    }

    [Fact]
    public async Task Deleting_an_account_takes_it_off_every_friends_list()
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Someone_with_very_many_friends_sees_the_same_order_on_every_page(bool mostNeverPosted)
    {
        // Past FriendsSortThreshold the list is read by walking everyone in order; near pages use that plan and
        // deep ones sort, and both must agree with the rule: newest status first, ties by username, never-posted last.
        var count = FriendshipService.FriendsSortThreshold + 60;
        var hub = await AddUserAsync("hub");
        bool NeverPosted(int i) => mostNeverPosted ? i >= 30 : i % 7 == 0;
        var start = App.Clock.GetUtcNow().UtcDateTime;
        var people = Enumerable.Range(0, count).Select(i => new User
        {
            Id = Guid.NewGuid().ToString(),
            UserName = $"f{i:D4}",
            NormalizedUserName = $"F{i:D4}",
            DisplayName = $"Friend {i}",
            NormalizedDisplayName = $"FRIEND {i}",
            SecurityStamp = Guid.NewGuid().ToString(),
            CreatedAt = start,
            // Some never posted (or all but 30, so a near page runs out of people who posted), some share a time
            // (ties go by username), the rest spread out.
            StatusAt = NeverPosted(i) ? null : start.AddMinutes(-(i % 5 == 0 ? 30 : i * 13 % 997)),
            StatusText = NeverPosted(i) ? null : $"status {i}",
        }).ToList();
        // Strangers interleaved in the same order must never show up.
        var strangers = Enumerable.Range(0, 50).Select(i => new User
        {
            Id = Guid.NewGuid().ToString(), UserName = $"s{i:D4}", NormalizedUserName = $"S{i:D4}", DisplayName = $"Stranger {i}",
            NormalizedDisplayName = $"STRANGER {i}", SecurityStamp = Guid.NewGuid().ToString(), CreatedAt = start,
            StatusAt = start.AddMinutes(-i * 20), StatusText = "not a friend",
        }).ToList();
        await using (var db = App.NewDbContext())
        {
            db.Users.AddRange(people);
            db.Users.AddRange(strangers);
            db.Friendships.AddRange(people.SelectMany(p => new[]
            {
                new Friendship { UserId = hub.Id, FriendId = p.Id, CreatedAt = start },
                new Friendship { UserId = p.Id, FriendId = hub.Id, CreatedAt = start },
            }));
            await db.SaveChangesAsync();
        }
        var expected = people.OrderBy(p => p.StatusAt is null).ThenByDescending(p => p.StatusAt)
            .ThenBy(p => p.NormalizedUserName, StringComparer.Ordinal).Select(p => p.UserName).ToList();

        foreach (var skip in new[] { 0, 20, 80, FriendshipService.FriendsWalkMaxSkip, count - 20 })
        {
            var page = await Friendships.GetFriendsAsync(hub.Id, skip, 20);
            Assert.Equal(count, page.TotalCount);
            Assert.Equal(expected.Skip(skip).Take(20), page.Items.Select(f => f.UserName));
        }
    }

    [Theory]
    [InlineData("f1")] // on the first page, below the top
    [InlineData("f0")] // already on top
    [InlineData("f4")] // on a later page
    [InlineData("quiet")] // never posted, so last
    public async Task A_friends_post_moves_them_up_the_first_page_exactly_as_reading_it_again_would(string poster)
    {
        // A dashboard shows a friend's post from the live event without reading its friends page again; the page it
        // makes from the event must be the one the database gives.
        var ann = await AddUserAsync("ann");
        var friends = new List<User>();
        foreach (var name in new[] { "f0", "f1", "f2", "f3", "f4", "quiet" })
        {
            var friend = await AddUserAsync(name);
            await BefriendAsync(ann, friend);
            friends.Add(friend);
        }
        foreach (var friend in friends.Where(f => f.UserName != "quiet").Reverse())
        {
            await PostAsync(friend, $"{friend.UserName} says hi");
            App.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var before = await Friendships.GetFriendsAsync(ann.Id, 0, 3);
        Assert.Equal(["f0", "f1", "f2"], before.Items.Select(f => f.UserName));

        await PostAsync(friends.Single(f => f.UserName == poster), "news");
        var author = (await Statuses.GetFeedAsync(ann.Id, null, 1)).Items.Single().Author;

        var fromEvent = FriendshipService.FirstPageAfterPost(before, author, 3);
        var read = await Friendships.GetFriendsAsync(ann.Id, 0, 3);
        Assert.NotNull(fromEvent);
        Assert.Equal(read.TotalCount, fromEvent.TotalCount);
        Assert.Equal(read.Items.Select(f => (f.Id, f.UserName, f.DisplayName, f.StatusText, f.StatusAt, f.AvatarUrl)),
            fromEvent.Items.Select(f => (f.Id, f.UserName, f.DisplayName, f.StatusText, f.StatusAt, f.AvatarUrl)));
    }

    [Fact]
    public async Task A_post_from_someone_the_first_page_does_not_count_yet_asks_for_a_fresh_read()
    {
        var (ann, bob, cat) = await ThreeAsync();
        await BefriendAsync(ann, bob);
        var before = await Friendships.GetFriendsAsync(ann.Id, 0, 3);
        await BefriendAsync(ann, cat);
        await PostAsync(cat, "new friend's news");
        var author = (await Statuses.GetFeedAsync(ann.Id, null, 1)).Items.Single().Author;

        Assert.Null(FriendshipService.FirstPageAfterPost(before, author, 3));
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

    private async Task<List<string>> FriendsOrderAsync(User user) =>
        (await Friendships.GetFriendsAsync(user.Id, 0, 20)).Items.Select(f => f.UserName).ToList();
}
