using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>
/// Anonymous reads come from the output cache, and every committed change that alters what a visitor sees evicts it
/// at once. A change written behind the services' back (no event) is what shows that an answer came from the cache.
/// </summary>
public sealed class AnonymousReadCacheTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static Task RenameBehindTheServicesAsync(ApiFactory app, string userId, string name) =>
        app.QueryAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, name)));

    private static async Task<(string? Name, string? Status)> AnonymousProfileAsync(HttpClient anonymous, string userName)
    {
        var profile = await Http.JsonAsync(await anonymous.GetAsync($"/api/v1/users/{userName}"));
        return ((string?)profile["user"]!["displayName"], (string?)profile["user"]!["statusText"]);
    }

    [Fact]
    public async Task A_status_hidden_from_everyone_leaves_the_next_anonymous_profile_read_at_once()
    {
        var ann = await app.RegisterAndLoginAsync(displayName: "Ann Cached");
        await ann.PostStatusAsync("Out sailing");
        using var anonymous = app.Anonymous();
        Assert.Equal(("Ann Cached", "Out sailing"), await AnonymousProfileAsync(anonymous, ann.UserName));

        // Cached: a rename that publishes nothing is not seen yet.
        await RenameBehindTheServicesAsync(app, ann.Id, "Ann Renamed");
        Assert.Equal(("Ann Cached", "Out sailing"), await AnonymousProfileAsync(anonymous, ann.UserName));
        // A signed-in read is never served from the cache.
        Assert.Equal("Ann Renamed", (string?)(await ann.GetJsonAsync($"/api/v1/users/{ann.UserName}"))["user"]!["displayName"]);

        // Her status becomes friends-only: the very next anonymous read no longer shows it.
        await Http.ExpectAsync(await ann.PutAsync("/api/v1/me/privacy", new { whoSeesStatus = "Friends" }), 204);
        Assert.Equal(("Ann Renamed", null), await AnonymousProfileAsync(anonymous, ann.UserName));
    }

    [Fact]
    public async Task A_moderator_hiding_a_status_evicts_it_from_the_anonymous_directory_and_history()
    {
        var (reporter, ben) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(displayName: "Ben Cached"));
        var statusId = await ben.PostStatusAsync("Buy cheap pills here");
        using var anonymous = app.Anonymous();
        var listUrl = $"/api/v1/users?search={ben.UserName}";
        var historyUrl = $"/api/v1/users/{ben.UserName}/statuses";
        Assert.Equal("Buy cheap pills here", (string?)(await Http.JsonAsync(await anonymous.GetAsync(listUrl)))["items"]![0]!["user"]!["statusText"]);
        Assert.Single((await Http.JsonAsync(await anonymous.GetAsync(historyUrl)))["items"]!.AsArray());

        var reportId = await reporter.ReportAsync(app, ben, statusId, "Spam", "spam");
        await Http.ExpectAsync(await app.Moderator.PostAsync($"/api/v1/moderation/reports/{reportId}/hide-status"), 204);

        Assert.Null((string?)(await Http.JsonAsync(await anonymous.GetAsync(listUrl)))["items"]![0]!["user"]!["statusText"]);
        Assert.Empty((await Http.JsonAsync(await anonymous.GetAsync(historyUrl)))["items"]!.AsArray());
    }

    [Fact]
    public async Task Leaving_the_directory_and_posting_a_new_status_reach_the_next_anonymous_list_at_once()
    {
        // Found by a part of the name, as the directory lists them (an exact username would find them even when unlisted).
        var token = "cy" + Guid.NewGuid().ToString("N")[..8];
        var cy = await app.RegisterAndLoginAsync(displayName: $"Cy {token} Cached");
        using var anonymous = app.Anonymous();
        var listUrl = $"/api/v1/users?search={token}";
        Assert.Null((string?)(await Http.JsonAsync(await anonymous.GetAsync(listUrl)))["items"]![0]!["user"]!["statusText"]);

        await cy.PostStatusAsync("First post");
        Assert.Equal("First post", (string?)(await Http.JsonAsync(await anonymous.GetAsync(listUrl)))["items"]![0]!["user"]!["statusText"]);

        await Http.ExpectAsync(await cy.PutAsync("/api/v1/me/privacy", new { showInDirectory = false }), 204);
        Assert.Empty((await Http.JsonAsync(await anonymous.GetAsync(listUrl)))["items"]!.AsArray());
    }
}
