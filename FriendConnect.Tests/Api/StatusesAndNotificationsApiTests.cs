using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>POST /api/v1/statuses, GET /api/v1/feed and /api/v1/notifications….</summary>
public sealed class StatusesAndNotificationsApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Post_status_is_201_with_the_item_and_a_location()
    {
        var me = await app.RegisterAndLoginAsync();

        var response = await me.PostAsync("/api/v1/statuses", new { text = "  Hello, world  " });

        var item = await Http.JsonAsync(response, 201);
        Assert.Equal($"/api/v1/users/{me.UserName}/statuses", response.Headers.Location?.OriginalString);
        Assert.Equal("Hello, world", (string?)item["text"]);
        Assert.Equal(me.UserName, (string?)item["author"]!["userName"]);
        var id = (long)item["statusId"]!;
        var row = await app.QueryAsync(db => db.StatusUpdates.SingleAsync(s => s.Id == id));
        Assert.Equal(me.Id, row.AuthorId);
        Assert.Equal("Hello, world", await app.QueryAsync(db => db.Users.Where(u => u.Id == me.Id).Select(u => u.StatusText).SingleAsync()));
    }

    [Fact]
    public async Task Post_status_counts_characters_not_utf16_units()
    {
        var me = await app.RegisterAndLoginAsync();
        await Http.JsonAsync(await me.PostAsync("/api/v1/statuses", new { text = string.Concat(Enumerable.Repeat("😀", 280)) }), 201);
        await Http.ValidationProblemAsync(await me.PostAsync("/api/v1/statuses", new { text = string.Concat(Enumerable.Repeat("😀", 281)) }), "text");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("281")]
    public async Task Post_status_with_bad_text_is_400_with_errors_text(string? text)
    {
        var me = await app.RegisterAndLoginAsync();
        if (text == "281") text = new string('x', 281);

        await Http.ValidationProblemAsync(await me.PostAsync("/api/v1/statuses", new { text }), "text");

        Assert.Equal(0, await app.QueryAsync(db => db.StatusUpdates.CountAsync(s => s.AuthorId == me.Id)));
    }

    [Fact]
    public async Task Post_status_notifies_friends_but_not_friends_who_muted_me()
    {
        var (author, friend, muter, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(),
            await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await author.BefriendAsync(friend);
        await author.BefriendAsync(muter);
        await muter.MuteAsync(author);

        await author.PostStatusAsync("News!");

        var n = Assert.Single(await friend.NotificationsAsync(), x => (string?)x!["kind"] == "StatusPosted");
        Assert.Contains("News!", (string?)n!["text"]);
        Assert.DoesNotContain(await muter.NotificationsAsync(), x => (string?)x!["kind"] == "StatusPosted");
        Assert.Empty(await stranger.NotificationsAsync());
        Assert.Equal(1, await app.QueryAsync(db => db.Notifications.CountAsync(x =>
            x.Kind == FriendConnect.Domain.Notifications.NotificationKind.StatusPosted && x.ActorId == author.Id)));
    }

    [Fact]
    public async Task Feed_walks_my_own_and_friends_statuses_newest_first_exactly_once()
    {
        var (me, f1, f2, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(),
            await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BefriendAsync(f1);
        await me.BefriendAsync(f2);
        var expected = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            expected.Add(await f1.PostStatusAsync($"f1 #{i}"));
            expected.Add(await f2.PostStatusAsync($"f2 #{i}"));
        }
        await stranger.PostStatusAsync("not in my feed");
        expected.Add(await me.PostStatusAsync("my own post is in my feed too"));
        expected.Reverse();

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await me.GetJsonAsync("/api/v1/feed?limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(page["items"]!.AsArray().Select(i => (long)i!["statusId"]!));
            cursor = (string?)page["nextCursor"];
            Assert.True(++pages < 20);
        } while (cursor is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Feed_leaves_out_muted_friends()
    {
        var (me, loud, quiet) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BefriendAsync(loud);
        await me.BefriendAsync(quiet);
        await me.MuteAsync(loud);
        await loud.PostStatusAsync("LOUD");
        var quietId = await quiet.PostStatusAsync("quiet");

        var items = (await me.GetJsonAsync("/api/v1/feed"))["items"]!.AsArray();

        Assert.Equal(quietId, (long)Assert.Single(items)!["statusId"]!);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("123")]
    [InlineData("1.2.3")]
    [InlineData("abc.5")]
    [InlineData("-1.5")]
    [InlineData("99999999999999999999.5")]
    [InlineData("3155378976000000000.5")]
    public async Task Feed_with_an_invalid_cursor_is_400_with_errors_cursor(string cursor)
    {
        var me = await app.RegisterAndLoginAsync();
        await Http.ValidationProblemAsync(await me.GetAsync($"/api/v1/feed?cursor={Uri.EscapeDataString(cursor)}"), "cursor");
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("3155378975999999999.9223372036854775807")]
    public async Task Feed_with_an_extreme_but_well_formed_cursor_is_200(string cursor)
    {
        var (me, friend) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BefriendAsync(friend);
        await friend.PostStatusAsync("something");
        var page = await me.GetJsonAsync($"/api/v1/feed?cursor={cursor}");
        Assert.Equal(cursor == "0.0" ? 0 : 1, page["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Notifications_list_pages_with_the_cursor_newest_first()
    {
        var me = await app.RegisterAndLoginAsync();
        var senders = await app.UsersAsync(5);
        foreach (var sender in senders) await sender.SendRequestAsync(me);
        var expected = await app.QueryAsync(db => db.Notifications.Where(n => n.RecipientId == me.Id)
            .OrderByDescending(n => n.Id).Select(n => n.Id).ToListAsync());
        Assert.Equal(5, expected.Count);

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await me.GetJsonAsync("/api/v1/notifications?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = page["items"]!.AsArray();
            seen.AddRange(items.Select(i => (long)i!["id"]!));
            Assert.All(items, i => Assert.Equal("FriendRequestReceived", (string?)i!["kind"]));
            Assert.All(items, i => Assert.False((bool)i!["isRead"]!));
            cursor = (string?)page["nextCursor"];
            Assert.True(++pages < 20);
        } while (cursor is not null);

        Assert.Equal(expected, seen);
        var first = (await me.NotificationsAsync())[0]!;
        Assert.Equal(senders[^1].UserName, (string?)first["actor"]!["userName"]);
        Assert.Contains("sent you a friend request", (string?)first["text"]);
    }

    [Fact]
    public async Task Unread_count_read_one_and_read_all()
    {
        var me = await app.RegisterAndLoginAsync();
        foreach (var sender in await app.UsersAsync(3)) await sender.SendRequestAsync(me);
        Assert.Equal(3, await me.UnreadCountAsync());
        var newest = (long)(await me.NotificationsAsync())[0]!["id"]!;

        await Http.ExpectAsync(await me.PostAsync($"/api/v1/notifications/{newest}/read"), 204);
        Assert.Equal(2, await me.UnreadCountAsync());
        Assert.True((bool)(await me.NotificationsAsync())[0]!["isRead"]!);
        await Http.ExpectAsync(await me.PostAsync($"/api/v1/notifications/{newest}/read"), 204);
        Assert.Equal(2, await me.UnreadCountAsync());

        await Http.ExpectAsync(await me.PostAsync("/api/v1/notifications/read-all"), 204);
        Assert.Equal(0, await me.UnreadCountAsync());
        Assert.All(await me.NotificationsAsync(), n => Assert.True((bool)n!["isRead"]!));
        await Http.ExpectAsync(await me.PostAsync("/api/v1/notifications/read-all"), 204);
    }

    [Fact]
    public async Task Marking_someone_elses_notification_read_is_404_and_leaves_it_unread()
    {
        var (owner, sender, other) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await sender.SendRequestAsync(owner);
        var id = (long)(await owner.NotificationsAsync())[0]!["id"]!;

        var response = await other.PostAsync($"/api/v1/notifications/{id}/read");

        Assert.Equal(1, await owner.UnreadCountAsync());
        await Http.ProblemAsync(response, 404);
    }

    [Fact]
    public async Task Statuses_feed_and_notifications_are_401_for_anonymous_callers()
    {
        using var anonymous = app.Anonymous();
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/feed"), 401);
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/notifications"), 401);
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/notifications/unread-count"), 401);
        await Http.ExpectAsync(await anonymous.PostAsync("/api/v1/statuses", Http.RawJson("""{"text":"hi"}""")), 401);
    }
}
