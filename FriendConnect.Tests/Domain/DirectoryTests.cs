using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Domain;

public sealed class DirectoryTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private UserDirectory Directory => _app.Get<UserDirectory>();
    private FriendshipService Friendships => _app.Get<FriendshipService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Search_pages_through_users_by_username_with_an_exact_total()
    {
        await _app.SeedUsersAsync(Enumerable.Range(0, 25).Reverse().Select(i => ($"user{i:00}", $"User {i}")));

        var page = await Directory.SearchAsync(null, null, 10, 10);
        var last = await Directory.SearchAsync(null, null, 20, 10);

        Assert.Equal(25, page.TotalCount);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"user{i:00}"), page.Items.Select(u => u.User.UserName));
        Assert.Equal(25, last.TotalCount);
        Assert.Equal(5, last.Items.Count);
    }

    [Fact]
    public async Task Search_total_counts_every_match_not_just_the_page()
    {
        await _app.SeedUsersAsync(Enumerable.Range(0, 12).Select(i => ($"sam{i:00}", $"Sam {i}")));
        await _app.SeedUsersAsync(Enumerable.Range(0, 5).Select(i => ($"tom{i:00}", $"Tom {i}")));

        var page = await Directory.SearchAsync(null, "sam", 0, 5);

        Assert.Equal(12, page.TotalCount);
        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, u => Assert.StartsWith("sam", u.User.UserName));
    }

    [Fact]
    public async Task A_search_matching_more_than_its_limit_reads_as_a_lower_bound_and_pages_in_username_order()
    {
        var over = UserDirectory.SearchCountLimit + 5;
        await _app.SeedUsersAsync(Enumerable.Range(0, over).Reverse().Select(i => ($"anna{i:000}", $"Anna {i}")));
        await _app.SeedUsersAsync([("zed", "Joanna Zed"), ("bob", "Bob")]);

        var first = await Directory.SearchAsync(null, "anna", 0, 20);
        var listing = await Directory.SearchAsync(null, null, 0, 20);

        Assert.Equal(UserDirectory.SearchCountLimit, first.TotalCount);
        Assert.True(first.TotalIsLowerBound);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"anna{i:000}"), first.Items.Select(u => u.User.UserName));
        // The plain listing keeps its own, higher limit: every one of these people is counted.
        Assert.Equal(over + 2, listing.TotalCount);
        Assert.False(listing.TotalIsLowerBound);
    }

    [Fact]
    public async Task Search_matches_the_start_of_a_username_ignoring_case()
    {
        await _app.SeedUsersAsync([("alice", "Someone"), ("Albert", "Person"), ("mal", "Nobody"), ("bob", "Robert")]);

        var found = await Directory.SearchAsync(null, "AL", 0, 10);

        Assert.Equal(["Albert", "alice"], found.Items.Select(u => u.User.UserName));
        Assert.Equal(2, found.TotalCount);
    }

    [Fact]
    public async Task Search_matches_any_part_of_a_display_name_ignoring_case()
    {
        await _app.SeedUsersAsync([("u1", "Mary Smith"), ("u2", "John SMITHERS"), ("u3", "Jane Doe")]);

        var found = await Directory.SearchAsync(null, "smit", 0, 10);

        Assert.Equal(["u1", "u2"], found.Items.Select(u => u.User.UserName));
    }

    [Theory]
    [InlineData("%", "percent")]
    [InlineData("a_", "a_b")]
    [InlineData("x\\", "backslash")]
    public async Task Search_treats_wildcard_characters_as_plain_text(string term, string expected)
    {
        await _app.SeedUsersAsync([
            ("percent", "100% real"), ("plain", "Plain Person"),
            ("a_b", "Underscore"), ("axb", "Ax Bee"),
            ("backslash", "X\\Y"), ("xy", "Xylophone"),
        ]);

        var found = await Directory.SearchAsync(null, term, 0, 10);

        Assert.Equal([expected], found.Items.Select(u => u.User.UserName));
        Assert.Equal(1, found.TotalCount);
    }

    [Fact]
    public async Task Search_reports_each_users_relation_to_the_viewer()
    {
        var viewer = await _app.SeedUserAsync("viewer");
        var friend = await _app.SeedUserAsync("friend");
        var asked = await _app.SeedUserAsync("asked");
        var asker = await _app.SeedUserAsync("asker");
        var stranger = await _app.SeedUserAsync("stranger");
        await _app.MakeFriendsAsync(viewer, friend);
        await Friendships.SendRequestAsync(viewer.Id, asked.Id);
        await Friendships.SendRequestAsync(asker.Id, viewer.Id);
        var sentId = Assert.Single(await Friendships.GetOutgoingAsync(viewer.Id)).Id;
        var receivedId = Assert.Single(await Friendships.GetIncomingAsync(viewer.Id)).Id;

        var found = (await Directory.SearchAsync(viewer.Id, null, 0, 10)).Items.ToDictionary(u => u.User.Id);

        Assert.Equal((Relation.Self, (long?)null), (found[viewer.Id].Relation, found[viewer.Id].PendingRequestId));
        Assert.Equal((Relation.Friend, (long?)null), (found[friend.Id].Relation, found[friend.Id].PendingRequestId));
        Assert.Equal((Relation.RequestSent, (long?)sentId), (found[asked.Id].Relation, found[asked.Id].PendingRequestId));
        Assert.Equal((Relation.RequestReceived, (long?)receivedId), (found[asker.Id].Relation, found[asker.Id].PendingRequestId));
        Assert.Equal((Relation.None, (long?)null), (found[stranger.Id].Relation, found[stranger.Id].PendingRequestId));
    }

    [Fact]
    public async Task A_declined_request_no_longer_shows_as_a_relation()
    {
        var viewer = await _app.SeedUserAsync("viewer");
        var other = await _app.SeedUserAsync("other");
        await Friendships.SendRequestAsync(viewer.Id, other.Id);
        await Friendships.DeclineAsync(Assert.Single(await Friendships.GetIncomingAsync(other.Id)).Id, other.Id);

        var found = await Directory.SearchAsync(viewer.Id, "other", 0, 10);

        Assert.Equal(Relation.None, Assert.Single(found.Items).Relation);
    }

    [Fact]
    public async Task An_anonymous_viewer_sees_no_relation_to_anyone()
    {
        var alice = await _app.SeedUserAsync("alice");
        var bob = await _app.SeedUserAsync("bob");
        var carol = await _app.SeedUserAsync("carol");
        await _app.MakeFriendsAsync(alice, bob);
        await Friendships.SendRequestAsync(alice.Id, carol.Id);

        var found = await Directory.SearchAsync(null, null, 0, 10);

        Assert.Equal(3, found.Items.Count);
        Assert.All(found.Items, u =>
        {
            Assert.Equal(Relation.None, u.Relation);
            Assert.Null(u.PendingRequestId);
        });
    }

    [Fact]
    public async Task The_profile_of_an_unknown_username_is_not_found()
    {
        await _app.SeedUserAsync("alice");

        var result = await Directory.GetProfileAsync(null, "nobody");

        Assert.Contains("nobody", result.ShouldFailWith(ErrorKind.NotFound).Message);
    }

    [Fact]
    public async Task A_profile_shows_the_friend_count_and_the_viewers_relation()
    {
        var alice = await _app.SeedUserAsync("alice", "Alice");
        var viewer = await _app.SeedUserAsync("viewer");
        var others = await _app.SeedUsersAsync([("bob", "Bob"), ("carol", "Carol"), ("dave", "Dave")]);
        foreach (var other in others) await _app.MakeFriendsAsync(alice, other);
        await Friendships.SendRequestAsync(alice.Id, viewer.Id);

        var result = await Directory.GetProfileAsync(viewer.Id, "ALICE");

        result.ShouldSucceed();
        var profile = result.Value!;
        Assert.Equal(alice.Id, profile.User.Id);
        Assert.Equal("Alice", profile.User.DisplayName);
        Assert.Equal(3, profile.FriendCount);
        Assert.Equal(Relation.RequestReceived, profile.Relation);
        Assert.Equal(Assert.Single(await Friendships.GetIncomingAsync(viewer.Id)).Id, profile.PendingRequestId);
    }

    [Fact]
    public async Task A_profile_of_someone_without_friends_shows_zero()
    {
        await _app.SeedUserAsync("loner");

        var profile = (await Directory.GetProfileAsync(null, "loner")).Value!;

        Assert.Equal(0, profile.FriendCount);
        Assert.Equal(Relation.None, profile.Relation);
    }
}
