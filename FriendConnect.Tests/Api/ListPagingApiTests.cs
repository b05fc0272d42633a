using System.Text.Json.Nodes;

namespace FriendConnect.Tests.Api;

/// <summary>
/// Pending requests, blocks and mutes page like every other list: a page of items, the next cursor and a link to the
/// next page. Walked one item at a time, each list gives every item once, in its order.
/// </summary>
public sealed class ListPagingApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    /// <summary>Follows the <c>next</c> links from <paramref name="url"/> to the last page; every page is checked for the shape.</summary>
    private static async Task<List<JsonNode>> WalkAsync(ApiUser user, string url, int expectedPages)
    {
        var items = new List<JsonNode>();
        var pages = 0;
        string? next = url;
        while (next is not null)
        {
            Assert.True(++pages <= expectedPages, $"more than {expectedPages} pages from {url}");
            var page = await user.GetJsonAsync(next);
            var pageItems = page["items"]!.AsArray();
            Assert.True(pageItems.Count <= 1, $"limit=1 gave {pageItems.Count} items");
            items.AddRange(pageItems.Select(i => i!));
            next = (string?)page["next"];
            var cursor = (string?)page["nextCursor"];
            Assert.Equal(next is null, cursor is null);
            if (next is not null)
            {
                Assert.Contains("limit=1", next);
                Assert.Contains($"cursor={Uri.EscapeDataString(cursor!)}", next);
            }
        }
        Assert.Equal(expectedPages, pages);
        return items;
    }

    private static List<string> ByUserName(IEnumerable<ApiUser> users) =>
        users.Select(u => u.UserName).OrderBy(n => n.ToUpperInvariant(), StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Incoming_and_outgoing_requests_page_newest_first_with_next_links()
    {
        var me = await app.CreateUserDirectAsync();
        var senders = new List<ApiUser>();
        var sentIds = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var sender = await app.CreateUserDirectAsync();
            senders.Add(sender);
            sentIds.Add(await sender.SendRequestAsync(me));
        }
        var addressees = new List<ApiUser>();
        var myIds = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var addressee = await app.CreateUserDirectAsync();
            addressees.Add(addressee);
            myIds.Add(await me.SendRequestAsync(addressee));
        }

        var incoming = await WalkAsync(me, "/api/v1/friend-requests/incoming?limit=1", expectedPages: 3);
        Assert.Equal(Enumerable.Reverse(sentIds), incoming.Select(r => (long)r["id"]!));
        Assert.Equal(Enumerable.Reverse(senders).Select(u => u.UserName), incoming.Select(r => (string)r["otherUser"]!["userName"]!));

        var outgoing = await WalkAsync(me, "/api/v1/friend-requests/outgoing?limit=1", expectedPages: 3);
        Assert.Equal(Enumerable.Reverse(myIds), outgoing.Select(r => (long)r["id"]!));
        Assert.Equal(Enumerable.Reverse(addressees).Select(u => u.UserName), outgoing.Select(r => (string)r["otherUser"]!["userName"]!));
    }

    [Fact]
    public async Task Blocks_page_by_username_with_next_links()
    {
        var me = await app.CreateUserDirectAsync();
        var blocked = new List<ApiUser>();
        foreach (var name in new[] { "pzeta", "palpha", "pmid" })
        {
            var user = await app.CreateUserDirectAsync(app.NewName(name));
            blocked.Add(user);
            await me.BlockAsync(user);
        }

        var listed = await WalkAsync(me, "/api/v1/blocks?limit=1", expectedPages: 3);

        Assert.Equal(ByUserName(blocked), listed.Select(u => (string)u["userName"]!));
    }

    [Fact]
    public async Task Mutes_page_by_username_with_next_links()
    {
        var me = await app.CreateUserDirectAsync();
        var muted = new List<ApiUser>();
        foreach (var name in new[] { "qzeta", "qalpha", "qmid" })
        {
            var friend = await app.CreateUserDirectAsync(app.NewName(name));
            await me.BefriendAsync(friend);
            muted.Add(friend);
            await me.MuteAsync(friend);
        }

        var listed = await WalkAsync(me, "/api/v1/mutes?limit=1", expectedPages: 3);

        Assert.Equal(ByUserName(muted), listed.Select(u => (string)u["userName"]!));
    }

    [Fact]
    public async Task A_bad_request_cursor_is_400()
    {
        var me = await app.CreateUserDirectAsync();
        await Http.ProblemAsync(await me.GetAsync("/api/v1/friend-requests/incoming?cursor=yesterday"), 400);
        await Http.ProblemAsync(await me.GetAsync("/api/v1/friend-requests/outgoing?cursor=yesterday"), 400);
    }
}
