namespace FriendConnect.Tests.Api;

/// <summary>The HTTP details a generic client relies on: 405 with Allow.</summary>
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
}
