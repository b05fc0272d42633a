using System.Net.Http.Json;
using FriendConnect.Domain.Photos;
using FriendConnect.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Photos;

/// <summary>GET /photos/{userId}/{version}/{size}.webp and avatarUrl in the API.</summary>
public sealed class PhotoHttpTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private async Task<string> UploadAsync(ApiUser user)
    {
        var file = TestImages.Jpeg(200, 150);
        var result = await app.Services.GetRequiredService<PhotoService>().UploadAsync(user.Id, new MemoryStream(file), file.Length);
        return result.Value ?? throw new InvalidOperationException(result.Error!.Message);
    }

    [Fact]
    public async Task A_photo_is_served_as_webp_with_a_year_of_immutable_caching()
    {
        var alice = await app.RegisterAndLoginAsync();
        var version = await UploadAsync(alice);
        using var anonymous = app.Anonymous();

        foreach (var size in PhotoRules.Sizes)
        {
            var response = await anonymous.GetAsync($"/photos/{alice.Id}/{version}/{size}.webp");

            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            var image = TestImages.Inspect(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((size, size), (image.Width, image.Height));
        }
    }

    [Fact]
    public async Task A_blocked_viewer_an_unknown_version_and_an_unknown_size_get_an_uncached_404()
    {
        var alice = await app.RegisterAndLoginAsync();
        var bob = await app.RegisterAndLoginAsync();
        var eve = await app.RegisterAndLoginAsync();
        var version = await UploadAsync(alice);
        await alice.BlockAsync(eve);

        Assert.Equal(200, (int)(await bob.Client.GetAsync($"/photos/{alice.Id}/{version}/96.webp")).StatusCode);
        foreach (var (client, url) in new[]
                 {
                     (eve.Client, $"/photos/{alice.Id}/{version}/96.webp"),
                     (bob.Client, $"/photos/{alice.Id}/0123456789abcdef/96.webp"),
                     (bob.Client, $"/photos/{alice.Id}/{version}/100.webp"),
                     (bob.Client, $"/photos/{bob.Id}/{version}/96.webp"),
                 })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(404, (int)response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_new_photo_answers_at_a_new_address_and_the_old_one_is_gone()
    {
        var alice = await app.RegisterAndLoginAsync();
        var first = await UploadAsync(alice);
        var second = await UploadAsync(alice);

        Assert.Equal(404, (int)(await alice.Client.GetAsync($"/photos/{alice.Id}/{first}/96.webp")).StatusCode);
        Assert.Equal(200, (int)(await alice.Client.GetAsync($"/photos/{alice.Id}/{second}/96.webp")).StatusCode);
    }

    [Fact]
    public async Task The_api_gives_each_person_an_avatarUrl_or_null()
    {
        var alice = await app.RegisterAndLoginAsync();
        var bob = await app.RegisterAndLoginAsync();

        var before = await Http.JsonAsync(await bob.Client.GetAsync($"/api/v1/users/{alice.UserName}"));
        var version = await UploadAsync(alice);
        var after = await Http.JsonAsync(await bob.Client.GetAsync($"/api/v1/users/{alice.UserName}"));

        Assert.Null((string?)before["user"]!["avatarUrl"]);
        Assert.True(before["user"]!.AsObject().ContainsKey("avatarUrl"));
        Assert.Equal($"/photos/{alice.Id}/{version}/256.webp", (string?)after["user"]!["avatarUrl"]);
    }

    [Fact]
    public async Task A_photo_reported_through_the_api_can_be_removed_by_a_moderator_through_the_api()
    {
        var alice = await app.RegisterAndLoginAsync();
        var bob = await app.RegisterAndLoginAsync();
        var version = await UploadAsync(alice);

        var reported = await bob.Client.PostAsJsonAsync("/api/v1/reports", new { userName = alice.UserName, reason = "InappropriateContent", photo = true });
        Assert.Equal(200, (int)reported.StatusCode);
        var queue = await Http.JsonAsync(await app.Moderator.Client.GetAsync("/api/v1/moderation/reports?limit=100"));
        var report = queue["items"]!.AsArray().Single(r => (string?)r!["target"]!["id"] == alice.Id && (bool)r["aboutPhoto"]!)!;

        var removed = await app.Moderator.Client.PostAsync($"/api/v1/moderation/reports/{(long)report["id"]!}/remove-photo?blockUploads=true", null);

        Assert.Equal(204, (int)removed.StatusCode);
        Assert.Equal(404, (int)(await bob.Client.GetAsync($"/photos/{alice.Id}/{version}/96.webp")).StatusCode);
        var profile = await Http.JsonAsync(await bob.Client.GetAsync($"/api/v1/users/{alice.UserName}"));
        Assert.Null((string?)profile["user"]!["avatarUrl"]);
    }
}
