using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>/api/v1/users…, /api/v1/me and /api/v1/me/privacy.</summary>
public sealed class UsersApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    /// <summary>Follows nextCursor to the end; fails if a page repeats a cursor (a loop) or runs past 100 pages.</summary>
    private static async Task<List<JsonNode>> WalkAsync(HttpClient client, string url, int limit)
    {
        var items = new List<JsonNode>();
        var cursors = new HashSet<string>();
        string? cursor = null;
        for (var page = 0; ; page++)
        {
            Assert.True(page < 100, "too many pages");
            var separator = url.Contains('?') ? '&' : '?';
            var pageUrl = $"{url}{separator}limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var body = await Http.JsonAsync(await client.GetAsync(pageUrl));
            var pageItems = body["items"]!.AsArray();
            Assert.True(pageItems.Count <= limit, $"a page of {pageItems.Count} items for limit {limit}");
            items.AddRange(pageItems.Select(i => i!.DeepClone()));
            cursor = (string?)body["nextCursor"];
            if (cursor is null) return items;
            Assert.Equal(limit, pageItems.Count);
            Assert.True(cursors.Add(cursor), $"cursor {cursor} came back twice");
        }
    }

    [Fact]
    public async Task Users_list_walks_every_matching_user_exactly_once_with_the_cursor()
    {
        var prefix = "walk" + Guid.NewGuid().ToString("N")[..6];
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var user = await app.RegisterAndLoginAsync($"{prefix}-{(char)('g' - i)}{i}");
            created.Add(user.UserName);
        }
        using var anonymous = app.Anonymous();

        var items = await WalkAsync(anonymous, $"/api/v1/users?search={prefix}", limit: 3);

        var names = items.Select(i => (string)i["user"]!["userName"]!).ToList();
        Assert.Equal(created.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(names.OrderBy(n => n.ToUpperInvariant(), StringComparer.Ordinal), names);
        Assert.All(items, i => Assert.Equal("None", (string?)i["relation"]));
    }

    [Fact]
    public async Task Users_list_without_a_search_walks_the_whole_directory_exactly_once()
    {
        await app.UsersAsync(5);
        var hidden = await app.RegisterAndLoginAsync();
        await Http.ExpectAsync(await hidden.PutAsync("/api/v1/me/privacy", new { showInDirectory = false }), 204);
        var signedIn = await app.RegisterAndLoginAsync();

        var expected = await app.QueryAsync(db => db.Users.Where(u => u.Privacy.ShowInDirectory).Select(u => u.UserName!).ToListAsync());
        using var anonymous = app.Anonymous();
        var names = (await WalkAsync(anonymous, "/api/v1/users", limit: 4)).Select(i => (string)i["user"]!["userName"]!).ToList();

        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(hidden.UserName, names);

        var asUser = (await WalkAsync(signedIn.Client, "/api/v1/users", limit: 5)).ToList();
        Assert.Equal(asUser.Count, asUser.Select(i => (string)i["user"]!["id"]!).Distinct().Count());
        Assert.Equal("Self", (string?)asUser.Single(i => (string?)i["user"]!["userName"] == signedIn.UserName)["relation"]);
        // Someone hidden from the directory is still found by their exact username.
        var exact = await Http.JsonAsync(await anonymous.GetAsync($"/api/v1/users?search={hidden.UserName}"));
        Assert.Contains(exact["items"]!.AsArray(), i => (string?)i!["user"]!["userName"] == hidden.UserName);
    }

    [Fact]
    public async Task Profile_is_200_for_anyone_and_404_for_unknown_or_blocked_users()
    {
        var (owner, viewer, blocker) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await owner.PostStatusAsync("Profile status");
        await blocker.BlockAsync(viewer);
        using var anonymous = app.Anonymous();

        var asAnonymous = await Http.JsonAsync(await anonymous.GetAsync($"/api/v1/users/{owner.UserName}"));
        Assert.Equal(owner.UserName, (string?)asAnonymous["user"]!["userName"]);
        Assert.Equal("Profile status", (string?)asAnonymous["user"]!["statusText"]);
        var asViewer = await viewer.GetJsonAsync($"/api/v1/users/{owner.UserName.ToUpperInvariant()}");
        Assert.Equal("None", (string?)asViewer["relation"]);
        Assert.True((bool)asViewer["canSendRequest"]!);

        await Http.ProblemAsync(await anonymous.GetAsync("/api/v1/users/no-such-user-here"), 404);
        await Http.ProblemAsync(await viewer.GetAsync($"/api/v1/users/{blocker.UserName}"), 404);
    }

    [Fact]
    public async Task User_friends_list_is_200_403_when_private_and_404_when_unknown()
    {
        var (owner, friend, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await owner.BefriendAsync(friend);
        using var anonymous = app.Anonymous();

        var list = await Http.JsonAsync(await anonymous.GetAsync($"/api/v1/users/{owner.UserName}/friends"));
        Assert.Equal(friend.UserName, (string?)Assert.Single(list["items"]!.AsArray())!["userName"]);

        await Http.ExpectAsync(await owner.PutAsync("/api/v1/me/privacy", new { whoSeesFriends = "Friends" }), 204);
        await Http.ExpectAsync(await friend.GetAsync($"/api/v1/users/{owner.UserName}/friends"), 200);
        await Http.ProblemAsync(await stranger.GetAsync($"/api/v1/users/{owner.UserName}/friends"), 403);
        await Http.ProblemAsync(await anonymous.GetAsync($"/api/v1/users/{owner.UserName}/friends"), 403);

        await Http.ExpectAsync(await owner.PutAsync("/api/v1/me/privacy", new { whoSeesFriends = "OnlyMe" }), 204);
        var problem = await Http.ProblemAsync(await friend.GetAsync($"/api/v1/users/{owner.UserName}/friends"), 403);
        Assert.Contains("private", (string?)problem["detail"]);
        await Http.ExpectAsync(await owner.GetAsync($"/api/v1/users/{owner.UserName}/friends"), 200);
        await Http.ExpectAsync(await app.Moderator.GetAsync($"/api/v1/users/{owner.UserName}/friends"), 200);

        await Http.ProblemAsync(await anonymous.GetAsync("/api/v1/users/no-such-user-here/friends"), 404);
    }

    [Fact]
    public async Task User_statuses_page_newest_first_follow_privacy_and_404_for_unknown()
    {
        var (author, friend, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await author.BefriendAsync(friend);
        var ids = new List<long>();
        for (var i = 1; i <= 5; i++) ids.Add(await author.PostStatusAsync($"History {i}"));
        using var anonymous = app.Anonymous();

        var walked = await WalkAsync(anonymous, $"/api/v1/users/{author.UserName}/statuses", limit: 2);
        Assert.Equal(ids.AsEnumerable().Reverse(), walked.Select(s => (long)s["statusId"]!));
        Assert.All(walked, s => Assert.Equal(author.UserName, (string?)s["author"]!["userName"]));

        await Http.ExpectAsync(await author.PutAsync("/api/v1/me/privacy", new { whoSeesStatus = "Friends" }), 204);
        Assert.Empty((await stranger.GetJsonAsync($"/api/v1/users/{author.UserName}/statuses"))["items"]!.AsArray());
        Assert.Equal(5, (await friend.GetJsonAsync($"/api/v1/users/{author.UserName}/statuses"))["items"]!.AsArray().Count);

        await Http.ProblemAsync(await anonymous.GetAsync("/api/v1/users/no-such-user-here/statuses"), 404);
        await Http.ValidationProblemAsync(await anonymous.GetAsync($"/api/v1/users/{author.UserName}/statuses?cursor=garbage"), "cursor");
    }

    [Fact]
    public async Task Me_returns_my_profile_email_and_privacy()
    {
        var me = await app.RegisterAndLoginAsync();

        var body = await me.GetJsonAsync("/api/v1/me");

        Assert.Equal(me.UserName, (string?)body["profile"]!["user"]!["userName"]);
        Assert.Equal("Self", (string?)body["profile"]!["relation"]);
        Assert.Equal($"{me.UserName}@example.com", (string?)body["email"]);
        Assert.Equal("Everyone", (string?)body["privacy"]!["whoSeesStatus"]);
        Assert.True((bool)body["privacy"]!["showInDirectory"]!);
    }

    [Fact]
    public async Task Patch_me_changes_the_display_name()
    {
        var me = await app.RegisterAndLoginAsync();

        await Http.ExpectAsync(await me.PatchAsync("/api/v1/me", new { displayName = "  Brand New Name  " }), 204);

        Assert.Equal("Brand New Name", (string?)(await me.GetJsonAsync("/api/v1/me"))["profile"]!["user"]!["displayName"]);
        Assert.Equal("BRAND NEW NAME", await app.QueryAsync(db => db.Users.Where(u => u.Id == me.Id).Select(u => u.NormalizedDisplayName).SingleAsync()));
    }

    [Theory]
    [InlineData(65)]
    [InlineData(0)]
    public async Task Patch_me_with_a_bad_display_name_is_400_with_errors_displayName(int length)
    {
        var me = await app.RegisterAndLoginAsync();
        var before = await app.QueryAsync(db => db.Users.Where(u => u.Id == me.Id).Select(u => u.DisplayName).SingleAsync());

        var problem = await Http.ValidationProblemAsync(await me.PatchAsync("/api/v1/me", new { displayName = new string('n', length) }), "displayName");

        Assert.NotNull(problem["errors"]!["displayName"]![0]);
        Assert.Equal(before, await app.QueryAsync(db => db.Users.Where(u => u.Id == me.Id).Select(u => u.DisplayName).SingleAsync()));
    }

    [Fact]
    public async Task Privacy_get_and_put_round_trip()
    {
        var me = await app.RegisterAndLoginAsync();
        var defaults = await me.GetJsonAsync("/api/v1/me/privacy");
        Assert.Equal("Everyone", (string?)defaults["whoCanSendRequests"]);
        Assert.Equal("Everyone", (string?)defaults["whoSeesFriends"]);

        await Http.ExpectAsync(await me.PutAsync("/api/v1/me/privacy",
            new { whoCanSendRequests = "FriendsOfFriends", whoSeesStatus = "SignedInUsers", whoSeesFriends = "OnlyMe", showInDirectory = false }), 204);

        var now = await me.GetJsonAsync("/api/v1/me/privacy");
        Assert.Equal("FriendsOfFriends", (string?)now["whoCanSendRequests"]);
        Assert.Equal("SignedInUsers", (string?)now["whoSeesStatus"]);
        Assert.Equal("OnlyMe", (string?)now["whoSeesFriends"]);
        Assert.False((bool)now["showInDirectory"]!);
    }

    [Fact]
    public async Task Privacy_put_with_an_unknown_option_is_400_and_changes_nothing()
    {
        var me = await app.RegisterAndLoginAsync();
        await Http.ProblemAsync(await me.PutAsync("/api/v1/me/privacy", Http.RawJson("""{"whoSeesStatus":"Aliens"}""")), 400);
        await Http.ProblemAsync(await me.PutAsync("/api/v1/me/privacy", Http.RawJson("""{"whoSeesStatus":2}""")), 400);
        Assert.Equal("Everyone", (string?)(await me.GetJsonAsync("/api/v1/me/privacy"))["whoSeesStatus"]);
    }

    [Fact]
    public async Task Me_endpoints_are_401_for_anonymous_callers()
    {
        using var anonymous = app.Anonymous();
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/me"), 401);
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/me/privacy"), 401);
    }
}
