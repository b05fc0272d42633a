using System.Net;
using System.Text.RegularExpressions;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OtpNet;

namespace FriendConnect.Tests.Api;

/// <summary>The account pages a signed-in person manages their sign-in with: two-factor set-up, e-mail, personal data, passkeys.</summary>
public sealed partial class AccountPagesTests(MailingApiFactory app) : IClassFixture<MailingApiFactory>
{
    public static TheoryData<string> TwoFactorPages =>
    [
        "/Account/Manage/TwoFactorAuthentication",
        "/Account/Manage/EnableAuthenticator",
        "/Account/Manage/ResetAuthenticator",
        "/Account/Manage/GenerateRecoveryCodes",
        "/Account/Manage/Disable2fa",
    ];

    [Fact]
    public async Task A_username_only_account_sets_up_an_authenticator_app_labelled_with_its_username()
    {
        var name = app.NewName("nomail");
        var user = await RegisterWithoutEmailAsync(name);
        using var browser = await SignedInBrowserAsync(name);

        var page = await browser.GetAsync("/Account/Manage/EnableAuthenticator");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var created = await BrowserForms.PostFormAsync(browser, "/Account/Manage/EnableAuthenticator", "authenticator-key", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var html = WebUtility.HtmlDecode(await (await browser.GetAsync("/Account/Manage/EnableAuthenticator")).Content.ReadAsStringAsync());
        var uri = OtpAuthUri().Match(html);
        Assert.True(uri.Success, "the page shows no otpauth link");
        Assert.Equal(name, uri.Groups["label"].Value);
        var code = new Totp(Base32Encoding.ToBytes(uri.Groups["secret"].Value)).ComputeTotp();
        var verified = await BrowserForms.PostFormAsync(browser, "/Account/Manage/EnableAuthenticator", "send-code",
            new Dictionary<string, string> { ["Input.Code"] = code });

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Contains("Your authenticator app has been verified", WebUtility.HtmlDecode(await verified.Content.ReadAsStringAsync()));
        Assert.True(await app.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(TwoFactorPages))]
    public async Task Opening_a_two_factor_page_changes_nothing(string path)
    {
        var name = app.NewName("opener");
        var user = await app.CreateUserDirectAsync(name, signIn: false);
        using var browser = await SignedInBrowserAsync(name);
        var before = await StampAsync(user.Id);

        var response = await browser.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"GET {path}: {(int)response.StatusCode}");
        Assert.Equal(before, await StampAsync(user.Id));
        Assert.False(await app.QueryAsync(db => db.UserTokens.AnyAsync(t => t.UserId == user.Id)), $"GET {path} created an authenticator key");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Manage")).StatusCode);
    }

    [Fact]
    public async Task Changing_the_email_without_the_right_password_is_refused_and_changes_nothing()
    {
        var name = app.NewName("mover");
        var user = await app.CreateUserDirectAsync(name, signIn: false);
        using var browser = await SignedInBrowserAsync(name);
        var refusedAddress = $"{name}-refused@example.org";

        var refused = await ChangeEmailAsync(browser, refusedAddress, "Wrong!pass123");
        var missing = await ChangeEmailAsync(browser, refusedAddress, "");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Your password is not right", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Contains("Enter your current password", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync()));
        // With the right password the same browser goes through, and both messages arrive; the refused address got none.
        var accepted = await ChangeEmailAsync(browser, $"{name}-new@example.org", ApiFactory.Password);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await app.WaitForMailAsync($"{name}-new@example.org", "Confirm your e-mail address");
        await app.WaitForMailAsync($"{name}@example.com", EmailChangeNoticeSubject);
        Assert.Empty(app.MailTo(refusedAddress));
        Assert.Equal($"{name}@example.com", await app.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.Email).SingleAsync()));
    }

    [Fact]
    public async Task Changing_the_email_tells_the_old_address_without_a_link()
    {
        var name = app.NewName("mover");
        await app.CreateUserDirectAsync(name, signIn: false);
        using var browser = await SignedInBrowserAsync(name);
        var newAddress = $"{name}-new@example.org";

        var response = await ChangeEmailAsync(browser, newAddress, ApiFactory.Password);

        Assert.Contains("Confirmation link to change email sent", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        var notice = await app.WaitForMailAsync($"{name}@example.com", EmailChangeNoticeSubject);
        Assert.Contains(newAddress, notice.TextBody);
        Assert.DoesNotContain("http", notice.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href", notice.HtmlBody, StringComparison.OrdinalIgnoreCase);
        var confirmation = await app.WaitForMailAsync(newAddress, "Confirm your e-mail address");
        Assert.Contains("/Account/ConfirmEmailChange?", confirmation.TextBody);
    }

    [Fact]
    public async Task The_templates_personal_data_download_is_gone_and_the_export_holds_no_authenticator_key()
    {
        var name = app.NewName("exporter");
        var user = await app.CreateUserDirectAsync(name, signIn: false);
        string key;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            await users.ResetAuthenticatorKeyAsync(stored);
            key = (await users.GetAuthenticatorKeyAsync(stored))!;
        }
        using var browser = await SignedInBrowserAsync(name);

        var posted = await PostWithTokenAsync(browser, "/Account/Manage/DownloadPersonalData");

        Assert.DoesNotContain(key, await posted.Content.ReadAsStringAsync());
        Assert.Contains(posted.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        var personalData = await (await browser.GetAsync("/Account/Manage/PersonalData")).Content.ReadAsStringAsync();
        Assert.Contains("href=\"account/data\"", personalData);
        Assert.DoesNotContain("DownloadPersonalData", personalData);
        var export = await browser.GetAsync("/account/data");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var exported = await export.Content.ReadAsStringAsync();
        Assert.Contains(name, exported);
        Assert.DoesNotContain(key, exported);
    }

    [Theory]
    [InlineData("/Account/PasskeyRequestOptions")]
    [InlineData("/Account/PasskeyCreationOptions")]
    public async Task Asking_for_passkey_options_without_the_forms_token_is_a_bad_request(string path)
    {
        using var anonymous = BrowserForms.NewBrowser(app);
        var name = app.NewName("keyless");
        await app.CreateUserDirectAsync(name, signIn: false);
        using var signedIn = await SignedInBrowserAsync(name);

        foreach (var browser in new[] { anonymous, signedIn })
        {
            var response = await browser.PostAsync($"{path}?username={name}", new StringContent(""));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"id\":\"AAAA\",\"type\":\"public-key\"}")]
    public async Task Signing_in_with_a_passkey_nobody_asked_for_is_refused_with_a_message(string credentialJson)
    {
        using var browser = BrowserForms.NewBrowser(app);

        var response = await BrowserForms.PostFormAsync(browser, "/Account/Login", "login",
            new Dictionary<string, string> { ["Input.Passkey.CredentialJson"] = credentialJson });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This passkey sign-in has expired or was not started on this page", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private const string EmailChangeNoticeSubject = "Your FriendConnect e-mail address is being changed";

    private async Task<User> RegisterWithoutEmailAsync(string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .RegisterAsync(new Registration(name, null, $"User {name}", ApiFactory.Password));
        Assert.True(result.Succeeded);
        return result.Value!;
    }

    private async Task<HttpClient> SignedInBrowserAsync(string login)
    {
        var browser = BrowserForms.NewBrowser(app);
        var signedIn = await BrowserForms.SignInAsync(browser, login, ApiFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    private static Task<HttpResponseMessage> ChangeEmailAsync(HttpClient browser, string newEmail, string password) =>
        BrowserForms.PostFormAsync(browser, "/Account/Manage/Email", "change-email", new Dictionary<string, string>
        {
            ["Input.NewEmail"] = newEmail,
            ["Input.Password"] = password,
        });

    /// <summary>A form post with a valid antiforgery token (read from the account page) to an arbitrary address.</summary>
    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient browser, string path)
    {
        var html = await (await browser.GetAsync("/Account/Manage")).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        return await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    private Task<string?> StampAsync(string userId) =>
        app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());

    [GeneratedRegex(@"otpauth://totp/FriendConnect:(?<label>[^?""]+)\?secret=(?<secret>[A-Z2-7]+)&issuer=FriendConnect")]
    private static partial Regex OtpAuthUri();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
