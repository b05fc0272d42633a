using System.Text.Json.Nodes;

namespace FriendConnect.Tests.Api;

/// <summary>The read paths of the privacy rule over HTTP: what the JSON carries, and what a blocked person can tell.</summary>
public sealed class ReadPathPrivacyApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private const string Secret = "only for my friends";

    private async Task<ApiUser> FriendsOnlyAuthorAsync()
    {
        var author = await app.RegisterAndLoginAsync();
        await author.PostStatusAsync(Secret);
        await Http.ExpectAsync(await author.PutAsync("/api/v1/me/privacy", new { whoSeesStatus = "Friends", whoSeesFriends = "OnlyMe", whoCanSendRequests = "Everyone", showInDirectory = true }), 204);
        return author;
    }

    [Fact]
    public async Task A_stranger_who_sent_a_request_does_not_see_a_friends_only_status_in_either_request_list()
    {
        var (tara, sam, kim) = (await FriendsOnlyAuthorAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await sam.SendRequestAsync(tara);
        await tara.SendRequestAsync(kim);

        var outgoing = (await sam.GetJsonAsync("/api/v1/friend-requests/outgoing"))["items"]!.AsArray().Single()!["otherUser"]!;
        var incoming = (await kim.GetJsonAsync("/api/v1/friend-requests/incoming"))["items"]!.AsArray().Single()!["otherUser"]!;

        Assert.Equal(tara.UserName, (string?)outgoing["userName"]);
        Assert.Null((string?)outgoing["statusText"]);
        Assert.Equal(tara.UserName, (string?)incoming["userName"]);
        Assert.Null((string?)incoming["statusText"]);
    }

    [Fact]
    public async Task An_ex_friend_sees_neither_a_new_private_status_nor_the_old_quote_in_notifications_or_the_event_stream()
    {
        var (tara, eve) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await eve.BefriendAsync(tara);
        await tara.PostStatusAsync("old news for friends");
        await Http.ExpectAsync(await eve.DeleteAsync($"/api/v1/friends/{tara.UserName}"), 204);
        await Http.ExpectAsync(await tara.PutAsync("/api/v1/me/privacy", new { whoSeesStatus = "Friends", whoSeesFriends = "Everyone", whoCanSendRequests = "Everyone", showInDirectory = true }), 204);
        await tara.PostStatusAsync(Secret);

        var listed = await eve.NotificationsAsync();
        // Posts notify friends only while they are friends: the ex-friend's list has the accepted request, not the posts.
        Assert.Contains(listed, n => (string?)n!["kind"] == "FriendRequestAccepted");
        Assert.DoesNotContain(listed, n => (string?)n!["kind"] == "StatusPosted");
        AssertNothingPrivate(listed.ToJsonString());
        Assert.Equal(listed.Count(n => !(bool)n!["isRead"]!), await eve.UnreadCountAsync());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await SseConnection.OpenAsync(eve, "0", timeout.Token);
        for (var i = 0; i < listed.Count; i++)
            AssertNothingPrivate((await stream.NextNotificationAsync(timeout.Token)).Data);
    }

    private static void AssertNothingPrivate(string json)
    {
        Assert.DoesNotContain(Secret, json);
        Assert.DoesNotContain("old news", json);
    }

    [Fact]
    public async Task The_mutes_list_shows_no_private_status_of_a_muted_ex_friend()
    {
        var (tara, eve) = (await FriendsOnlyAuthorAsync(), await app.RegisterAndLoginAsync());
        await eve.BefriendAsync(tara);
        await eve.MuteAsync(tara);
        Assert.Equal(Secret, (string?)(await eve.GetJsonAsync("/api/v1/mutes"))["items"]!.AsArray().Single()!["statusText"]);
        await Http.ExpectAsync(await eve.DeleteAsync($"/api/v1/friends/{tara.UserName}"), 204);

        var muted = (await eve.GetJsonAsync("/api/v1/mutes"))["items"]!.AsArray().Single()!;

        Assert.Equal(tara.UserName, (string?)muted["userName"]);
        Assert.Null((string?)muted["statusText"]);
    }

    [Fact]
    public async Task A_profile_shows_no_mutual_friend_chips_when_its_owner_hid_their_friends_list()
    {
        var (tara, fred, gina) = (await FriendsOnlyAuthorAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await tara.BefriendAsync(fred);
        await fred.BefriendAsync(gina);

        var profile = await gina.GetJsonAsync($"/api/v1/users/{tara.UserName}");
        var back = await tara.GetJsonAsync($"/api/v1/users/{gina.UserName}");

        Assert.Equal(0, (int)profile["mutualFriendCount"]!);
        Assert.Empty(profile["mutualFriends"]!.AsArray());
        Assert.Equal(fred.UserName, (string?)back["mutualFriends"]!.AsArray().Single()!["userName"]);
    }

    [Fact]
    public async Task Every_endpoint_answers_someone_I_blocked_exactly_as_for_a_user_who_does_not_exist()
    {
        var (tara, bob) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await tara.BefriendAsync(bob);
        await tara.BlockAsync(bob);
        const string ghost = "nosuchuser";
        var before = await DbSnapshot.TakeAsync(app);

        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("GET", "/api/v1/users/{0}", null),
            ("GET", "/api/v1/users/{0}/friends", null),
            ("GET", "/api/v1/users/{0}/statuses", null),
            ("POST", "/api/v1/friend-requests", new { userName = "{0}" }),
            ("POST", "/api/v1/reports", new { userName = "{0}", reason = "Harassment" }),
            ("PUT", "/api/v1/blocks/{0}", null),
            ("DELETE", "/api/v1/blocks/{0}", null),
            ("PUT", "/api/v1/mutes/{0}", null),
            ("DELETE", "/api/v1/mutes/{0}", null),
            ("DELETE", "/api/v1/friends/{0}", null),
        })
        {
            var forBlocker = await Answer(bob, method, path, body, tara.UserName);
            var forGhost = await Answer(bob, method, path, body, ghost);
            Assert.Equal(forGhost.Replace(ghost, tara.UserName), forBlocker);
        }
        DbSnapshot.AssertUnchanged(before, await DbSnapshot.TakeAsync(app), "calls about the blocker");
        Assert.Empty((await bob.GetJsonAsync("/api/v1/blocks"))["items"]!.AsArray());
        Assert.Empty((await bob.GetJsonAsync("/api/v1/mutes"))["items"]!.AsArray());
        Assert.Empty((await bob.GetJsonAsync("/api/v1/friend-requests/outgoing"))["items"]!.AsArray());
        Assert.DoesNotContain(tara.UserName, (await bob.NotificationsAsync()).ToJsonString());
    }

    /// <summary>Status and body of a call naming <paramref name="name"/>, without the per-request trace id.</summary>
    private static async Task<string> Answer(ApiUser caller, string method, string path, object? body, string name)
    {
        var url = string.Format(path, name);
        var content = body is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body).Replace("{0}", name));
        var response = await caller.Client.SendAsync(Http.Request(new HttpMethod(method), url, content?.ToJsonString()));
        var json = await response.Content.ReadAsStringAsync();
        var node = json.Length == 0 ? null : JsonNode.Parse(json) as JsonObject;
        node?.Remove("traceId");
        return $"{method} {path} → {(int)response.StatusCode} {node?.ToJsonString()}";
    }
}
