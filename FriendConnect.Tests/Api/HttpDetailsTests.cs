namespace FriendConnect.Tests.Api;

/// <summary>The HTTP details a generic client relies on: 405 with Allow, ETag and 304 for polled reads.</summary>
public sealed class HttpDetailsTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    [Fact]
    public async Task A_wrong_method_on_any_route_is_405_with_allow()
    {
        var operations = await ApiContract.OperationsAsync(app);
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Moderator.AccessToken);
        var failures = new List<string>();
        foreach (var path in operations.GroupBy(o => o.Url))
        {
            var allowed = path.Select(o => o.Method).ToHashSet();
            foreach (var method in Methods.Where(m => !allowed.Contains(m)))
            {
                var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Key));
                var allow = response.Content.Headers.Allow.Concat(response.Headers.TryGetValues("Allow", out var values) ? values : []).ToHashSet();
                if ((int)response.StatusCode != 405 || !allowed.All(allow.Contains))
                    failures.Add($"{method} {path.Key}: {(int)response.StatusCode}, Allow: {string.Join(", ", allow)} (expected 405, Allow: {string.Join(", ", allowed)})");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_path_no_route_takes_stays_404_whatever_the_method()
    {
        using var client = app.Anonymous();
        await Http.ProblemAsync(await client.GetAsync("/api/v1/friend-requests/not-a-number/accept"), 404);
        await Http.ProblemAsync(await client.GetAsync("/api/v1/no-such-thing"), 404);
    }

    private static async Task<HttpResponseMessage> GetIfNoneMatchAsync(ApiUser user, string url, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        return await user.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("/api/v1/me")]
    [InlineData("/api/v1/users/{friend}")]
    [InlineData("/api/v1/users/{friend}/statuses")]
    [InlineData("/api/v1/feed")]
    public async Task A_polled_read_answers_304_until_what_it_shows_changes(string template)
    {
        var (user, friend) = (await app.CreateUserDirectAsync(), await app.CreateUserDirectAsync());
        await user.BefriendAsync(friend);
        var url = template.Replace("{friend}", friend.UserName);

        var first = await GetIfNoneMatchAsync(user, url, null);
        await Http.ExpectAsync(first, 200);
        var etag = first.Headers.ETag?.ToString();
        Assert.False(string.IsNullOrEmpty(etag), $"GET {url} has no ETag");

        var unchanged = await GetIfNoneMatchAsync(user, url, etag);
        await Http.ExpectAsync(unchanged, 304);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, unchanged.Headers.ETag?.ToString());

        // Something each read shows changes: the friend's status (profile, history, feed), my display name (/me).
        await friend.PostStatusAsync("something new");
        if (template == "/api/v1/me") await Http.ExpectAsync(await user.PatchAsync("/api/v1/me", new { displayName = "Renamed" }), 204);

        var changed = await GetIfNoneMatchAsync(user, url, etag);
        await Http.ExpectAsync(changed, 200);
        Assert.NotEqual(etag, changed.Headers.ETag?.ToString());
    }
}
