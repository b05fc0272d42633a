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

    /// <summary>Fills in and posts the registration form as a browser would, returning the answer to the post.</summary>
    private async Task<HttpResponseMessage> RegisterThroughThePageAsync(string returnUrl)
    {
        using var browser = app.CreateClient();
        var url = $"/Account/Register?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var page = await browser.GetAsync(url);
        await Http.ExpectAsync(page, 200);
        var token = AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var name = app.NewName("joiner");

        return await browser.PostAsync(url, Form(
            ("_handler", "register"), ("__RequestVerificationToken", token), ("Input.UserName", name), ("Input.Email", ""),
            ("Input.DisplayName", ""), ("Input.Password", ApiFactory.Password), ("Input.ConfirmPassword", ApiFactory.Password)));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
