using FriendConnect.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>Passkeys in Chromium, with a virtual authenticator (a platform authenticator that verifies the person) in place of a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_passkey_added_on_the_account_page_signs_its_owner_in_from_the_sign_in_page()
    {
        var name = $"pat{Guid.NewGuid():N}"[..12];
        await fixture.App.CreateUserAsync(name, "Pat Passkey");
        // A passkey belongs to a domain name; an IP address cannot be the relying party.
        var siteUrl = new UriBuilder(fixture.App.BaseUrl) { Host = "localhost" }.Uri.ToString().TrimEnd('/');
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = siteUrl });
        var page = await context.NewPageAsync();
        await using var owner = new UserPage(context, page);
        var devtools = await context.NewCDPSessionAsync(page);
        await devtools.SendAsync("WebAuthn.enable");
        await devtools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
            },
        });

        await owner.SignInAsync(name, AppFactory.Password);
        await page.GotoAsync("/Account/Manage/Passkeys");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a new passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/Account/Manage/RenamePasskey/**");
        await page.GetByLabel("Passkey name").FillAsync("Laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Laptop" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Manage"));
        Assert.Equal(401, (await context.APIRequest.GetAsync("/api/v1/me")).Status);

        await page.GotoAsync("/Account/Login");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" })).ToBeVisibleAsync();
        await owner.ScreenshotAsync("passkey-sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();

        await page.WaitForURLAsync("**/dashboard");
        await owner.WaitInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync();
        Assert.Equal(200, (await context.APIRequest.GetAsync("/api/v1/me")).Status);
    }
}
