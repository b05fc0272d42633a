using System.Text;
using Deque.AxeCore.Playwright;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Statuses;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>
/// Every page, signed out and signed in, in both themes: axe-core finds no serious or critical violation once the page
/// is ready, and a screenshot at desktop and phone width is saved to test-artifacts for review.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageAuditTests(BrowserFixture fixture)
{
    private const int Desktop = 1280;
    private const int Phone = 390;

    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Every_signed_out_page_has_no_serious_accessibility_violations_in_either_theme()
    {
        var bobName = Unique("bob");
        var bob = await fixture.App.CreateUserAsync(bobName, "Bob Builder");
        await fixture.App.Get<StatusService>().PostAsync(bob.Id, "Building a shed this weekend");

        var pages = new (string Name, string Path)[]
        {
            ("directory", "/"),
            ("profile", $"/u/{bobName}"),
            ("login", "/Account/Login"),
            ("register", "/Account/Register"),
            ("forgot-password", "/Account/ForgotPassword"),
            ("signed-out", "/Account/SignedOut"),
            ("not-found", "/no-such-page"),
        };
        await AuditBothThemesAsync(null, "signed-out", pages);
    }

    [Fact]
    public async Task Every_signed_in_page_has_no_serious_accessibility_violations_in_either_theme()
    {
        var (adaName, bobName, cyName) = (Unique("ada"), Unique("bob"), Unique("cy"));
        var ada = await fixture.App.CreateUserAsync(adaName, "Ada Auditor");
        var bob = await fixture.App.CreateUserAsync(bobName, "Bob Builder");
        var cy = await fixture.App.CreateUserAsync(cyName, "Cy Newcomer");
        await fixture.App.Get<ModerationService>().GrantAsync(adaName);
        var friendships = fixture.App.Get<FriendshipService>();
        await friendships.SendRequestAsync(ada.Id, bob.Id);
        await friendships.SendRequestAsync(bob.Id, ada.Id);
        await friendships.SendRequestAsync(cy.Id, ada.Id);
        var statuses = fixture.App.Get<StatusService>();
        await statuses.PostAsync(bob.Id, "Building a shed this weekend");
        await statuses.PostAsync(ada.Id, "Reviewing every page in both themes");

        var pages = new (string Name, string Path)[]
        {
            ("dashboard", "/dashboard"),
            ("directory", "/"),
            ("profile", $"/u/{bobName}"),
            ("own-profile", $"/u/{adaName}"),
            ("settings", "/settings"),
            ("moderation", "/moderation"),
            ("moderation-audit", "/moderation/audit"),
            ("manage", "/Account/Manage"),
            ("change-password", "/Account/Manage/ChangePassword"),
            ("email", "/Account/Manage/Email"),
            ("two-factor", "/Account/Manage/TwoFactorAuthentication"),
            ("authenticator", "/Account/Manage/EnableAuthenticator"),
            ("passkeys", "/Account/Manage/Passkeys"),
            ("personal-data", "/Account/Manage/PersonalData"),
            ("not-found", "/no-such-page"),
        };
        await AuditBothThemesAsync(adaName, "signed-in", pages);
    }

    /// <summary>The two themes are audited side by side, each in its own browser context.</summary>
    private async Task AuditBothThemesAsync(string? userName, string group, (string Name, string Path)[] pages)
    {
        var reports = await Task.WhenAll(AuditAsync(userName, "light", group, pages), AuditAsync(userName, "dark", group, pages));
        var failures = string.Concat(reports);
        Assert.True(failures.Length == 0, failures);
    }

    /// <summary>
    /// One browser context per group and theme: each page is loaded once at desktop width, audited and photographed,
    /// then narrowed to phone width and photographed again.
    /// </summary>
    private async Task<string> AuditAsync(string? userName, string theme, string group, (string Name, string Path)[] pages)
    {
        var report = new StringBuilder();
        await using var user = userName is null
            ? await fixture.OpenAnonymousAsync("/", Desktop)
            : await fixture.OpenAsUserAsync(userName, "/dashboard", Desktop);
        await UseThemeAsync(user, theme);
        foreach (var (name, path) in pages)
        {
            await user.Page.SetViewportSizeAsync(Desktop, 900);
            await user.Page.GotoAsync(path);
            await WaitReadyAsync(user);
            // The pointer stays where the last page was clicked: audit each page at rest, not whatever it happens to hover.
            await user.Page.Mouse.MoveAsync(0, 0);
            var results = await user.Page.RunAxe();
            foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                report.AppendLine($"{group} {name} ({theme}): {violation.Impact} {violation.Id} — {violation.Help}");
                foreach (var node in violation.Nodes.Take(5))
                    report.AppendLine($"    {node.Target}: {string.Join("; ", node.Any.Concat(node.All).Select(c => c.Message))}");
            }
            await user.ScreenshotAsync($"{group}-{name}-{theme}-{Desktop}");

            await user.Page.SetViewportSizeAsync(Phone, 900);
            // On a phone the navigation drawer closes once the layout hears of the new width.
            await Expect(user.Page.Locator(".mud-drawer--open")).ToHaveCountAsync(0);
            await user.Page.WaitForFunctionAsync("() => { const main = document.querySelector('.mud-main-content'); return !main || getComputedStyle(main).marginLeft === '0px'; }");
            await user.ScreenshotAsync($"{group}-{name}-{theme}-{Phone}");
        }
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ArtifactsDir, $"axe-{group}-{theme}.txt"), report.ToString());
        return report.ToString();
    }

    /// <summary>The theme choice lives in a cookie, so the server renders the right one from the first byte.</summary>
    private async Task UseThemeAsync(UserPage user, string theme)
    {
        await user.Context.AddCookiesAsync([new Cookie { Name = "fc-theme", Value = theme, Url = fixture.App.BaseUrl }]);
    }

    /// <summary>Account pages and every page a visitor sees render statically; a signed-in page is ready once its circuit is live.</summary>
    private static async Task WaitReadyAsync(UserPage user)
    {
        await user.Page.WaitForLoadStateAsync(LoadState.Load);
        if (user.SignedIn && !new Uri(user.Page.Url).AbsolutePath.StartsWith("/Account", StringComparison.OrdinalIgnoreCase))
            await user.WaitInteractiveAsync();
        await user.Page.EvaluateAsync("() => document.fonts.ready");
    }
}
