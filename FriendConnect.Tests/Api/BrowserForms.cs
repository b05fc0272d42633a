using System.Net;
using System.Text.RegularExpressions;

namespace FriendConnect.Tests.Api;

/// <summary>A browser without JavaScript: reads a statically rendered form's antiforgery token and posts the form.</summary>
public static partial class BrowserForms
{
    /// <summary>A client that keeps cookies and follows no redirects, as a signed-out browser starts.</summary>
    public static HttpClient NewBrowser(ApiFactory app) => app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>GET <paramref name="path"/>, then POST the form named <paramref name="formName"/> with <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, string formName, IDictionary<string, string> fields)
    {
        var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {path}");
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        };
        return await browser.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Signs in through the sign-in page; the client then carries the Identity cookie.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string login, string password) =>
        await PostFormAsync(browser, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Login"] = login,
            ["Input.Password"] = password,
        });

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
