using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>What a browser gets from the app's pages and cookie-authenticated calls: redirects, not-found pages, CSRF refusals.</summary>
public sealed partial class WebSecurityTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private const string NotFoundText = "There's nothing here";

    [Theory]
    [InlineData("/Account/ExternalLogin")]
    [InlineData("/Account/Manage/ExternalLogins")]
    [InlineData("/Account/RegisterConfirmation?email=moderator@example.com")]
    public async Task Removed_account_pages_answer_not_found(string url)
    {
        using var browser = app.CreateClient();

        var response = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_external_login_endpoints_are_gone()
    {
        using var browser = app.CreateClient();

        var perform = await browser.PostAsync("/Account/PerformExternalLogin", Form(("provider", "Google"), ("returnUrl", "/")));
        var link = await browser.PostAsync("/Account/Manage/LinkExternalLogin", Form(("provider", "Google")));

        Assert.Contains(perform.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.Contains(link.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
    }

    [Fact]
    public async Task An_unknown_url_answers_404_with_the_apps_not_found_page()
    {
        using var browser = app.CreateClient();

        var response = await browser.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(NotFoundText, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_profile_of_nobody_answers_404_with_the_not_found_content()
    {
        using var browser = app.CreateClient();

        var response = await browser.GetAsync("/u/nobody-by-that-name");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(NotFoundText, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_profile_that_exists_still_answers_200()
    {
        using var browser = app.CreateClient();

        var response = await browser.GetAsync($"/u/{app.Moderator.UserName}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("%2F%2Fevil.example")]
    public async Task Joining_with_a_foreign_return_url_goes_to_the_home_page(string returnUrl)
    {
        var response = await RegisterThroughThePageAsync(returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("localhost", location.Host);
        Assert.Equal("/", location.AbsolutePath);
    }

    [Fact]
    public async Task Joining_with_a_local_return_url_goes_there()
    {
        var response = await RegisterThroughThePageAsync($"/u/{app.Moderator.UserName}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("localhost", location.Host);
        Assert.Equal($"/u/{app.Moderator.UserName}", location.AbsolutePath);
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "null")]
    public async Task A_cookie_signed_request_from_another_site_is_refused_and_changes_nothing(string header, string value)
    {
        var (browser, name, stranger, requestId) = await SignedInBrowserWithARequestAsync();
        using var _ = browser;

        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/friend-requests/{requestId}/accept")
        {
            Content = new StringContent("x=1", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        accept.Headers.Add(header, value);
        var refused = await browser.SendAsync(accept);
        var readAll = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications/read-all") { Content = new StringContent("", Encoding.UTF8, "text/plain") };
        readAll.Headers.Add(header, value);
        var readAllRefused = await browser.SendAsync(readAll);

        await Http.ProblemAsync(refused, 403);
        await Http.ProblemAsync(readAllRefused, 403);
        Assert.False(await AreFriendsAsync(name, stranger.UserName));
        Assert.Equal(1, await UnreadAsync(browser));
    }

    [Fact]
    public async Task A_cookie_signed_request_from_the_app_itself_works()
    {
        var (browser, name, stranger, requestId) = await SignedInBrowserWithARequestAsync();
        using var _ = browser;

        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/friend-requests/{requestId}/accept");
        accept.Headers.Add("Origin", "http://localhost");
        accept.Headers.Add("Sec-Fetch-Site", "same-origin");

        await Http.ExpectAsync(await browser.SendAsync(accept), 204);
        Assert.True(await AreFriendsAsync(name, stranger.UserName));
    }

    [Fact]
    public async Task A_state_changing_api_request_with_a_text_body_is_refused_even_from_the_app()
    {
        var (browser, name, stranger, requestId) = await SignedInBrowserWithARequestAsync();
        using var _ = browser;

        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/friend-requests/{requestId}/accept")
        {
            Content = new StringContent("{}", Encoding.UTF8, "text/plain"),
        };
        accept.Headers.Add("Sec-Fetch-Site", "same-origin");
        var status = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses") { Content = new StringContent("text=hello", Encoding.UTF8, "application/x-www-form-urlencoded") };

        await Http.ProblemAsync(await browser.SendAsync(accept), 415);
        await Http.ProblemAsync(await browser.SendAsync(status), 415);
        Assert.False(await AreFriendsAsync(name, stranger.UserName));
    }

    [Fact]
    public async Task A_bearer_token_request_is_not_affected_by_where_it_came_from()
    {
        var (me, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var requestId = await stranger.SendRequestAsync(me);

        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/friend-requests/{requestId}/accept");
        accept.Headers.Add("Origin", "https://evil.example");
        accept.Headers.Add("Sec-Fetch-Site", "cross-site");

        await Http.ExpectAsync(await me.Client.SendAsync(accept), 204);
        Assert.True(await AreFriendsAsync(me.UserName, stranger.UserName));
    }

    [Fact]
    public async Task A_request_that_names_a_bearer_token_is_authenticated_by_that_token_alone_and_the_cookie_is_ignored()
    {
        var (browser, name, stranger, requestId) = await SignedInBrowserWithARequestAsync();
        using var _ = browser;

        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/friend-requests/{requestId}/accept");
        accept.Headers.Add("Sec-Fetch-Site", "same-origin");
        accept.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var readAll = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications/read-all");
        readAll.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        await Http.ExpectAsync(await browser.SendAsync(accept), 401);
        await Http.ExpectAsync(await browser.SendAsync(readAll), 401);
        await Http.ExpectAsync(await browser.SendAsync(me), 401);
        Assert.False(await AreFriendsAsync(name, stranger.UserName));
        Assert.Equal(1, await UnreadAsync(browser));
    }

    [Fact]
    public async Task A_cross_site_request_with_the_cookie_and_a_made_up_bearer_token_is_refused_and_changes_nothing()
    {
        var (browser, name, stranger, requestId) = await SignedInBrowserWithARequestAsync();
        using var _ = browser;

        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/friend-requests/{requestId}/accept");
        accept.Headers.Add("Origin", "https://evil.example");
        accept.Headers.Add("Sec-Fetch-Site", "cross-site");
        accept.Headers.TryAddWithoutValidation("Authorization", "Bearer x");
        var response = await browser.SendAsync(accept);

        Assert.Contains((int)response.StatusCode, new[] { 401, 403 });
        Assert.False(await AreFriendsAsync(name, stranger.UserName));
    }

    /// <summary>A browser signed in by its cookie, whose person has a pending friend request from a stranger.</summary>
    private async Task<(HttpClient Browser, string Name, ApiUser Stranger, long RequestId)> SignedInBrowserWithARequestAsync()
    {
        var browser = app.CreateClient();
        var (_, name) = await RegisterThroughThePageAsync("/", browser);
        var stranger = await app.RegisterAndLoginAsync();
        return (browser, name, stranger, await stranger.SendRequestAsync(await MeAsync(name)));
    }

    private async Task<ApiUser> MeAsync(string name)
    {
        var id = await app.QueryAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync());
        return new ApiUser(app, name, id, "", "");
    }

    private Task<bool> AreFriendsAsync(string a, string b) => app.QueryAsync(db => db.Friendships.AnyAsync(f =>
        db.Users.Any(u => u.Id == f.UserId && u.UserName == a) && db.Users.Any(u => u.Id == f.FriendId && u.UserName == b)));

    private static async Task<int> UnreadAsync(HttpClient browser) =>
        (int)(await Http.JsonAsync(await browser.GetAsync("/api/v1/notifications/unread-count")))["count"]!;

    /// <summary>Fills in and posts the registration form as a browser would (signing that browser in), returning the answer to the post.</summary>
    private async Task<(HttpResponseMessage Response, string Name)> RegisterThroughThePageAsync(string returnUrl, HttpClient browser)
    {
        var url = $"/Account/Register?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var page = await browser.GetAsync(url);
        await Http.ExpectAsync(page, 200);
        var token = AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var name = app.NewName("joiner");

        var response = await browser.PostAsync(url, Form(
            ("_handler", "register"), ("__RequestVerificationToken", token), ("Input.UserName", name), ("Input.Email", ""),
            ("Input.DisplayName", ""), ("Input.Password", ApiFactory.Password), ("Input.ConfirmPassword", ApiFactory.Password)));
        return (response, name);
    }

    private async Task<HttpResponseMessage> RegisterThroughThePageAsync(string returnUrl)
    {
        using var browser = app.CreateClient();
        return (await RegisterThroughThePageAsync(returnUrl, browser)).Response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
