using FriendConnect.Tests.Infrastructure;
using FriendConnect.Domain.Statuses;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>
/// A signed-out visitor reads the directory and profiles as static pages: no request to /_blazor, no WebSocket, no
/// circuit. Signing in turns the same pages interactive.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class VisitorBrowserTests(BrowserFixture fixture)
{
    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task A_visitor_searches_and_reads_a_profile_without_a_circuit_and_signing_in_makes_the_page_interactive()
    {
        var bobName = Unique("bob");
        var bob = await fixture.App.CreateUserAsync(bobName, "Bob Static");
        await fixture.App.Get<StatusService>().PostAsync(bob.Id, "Painting the fence");
        var visitorName = Unique("vic");
        await fixture.App.CreateUserAsync(visitorName, "Vic Visitor");

        await using var visitor = await fixture.OpenAnonymousAsync("/");
        var blazorTraffic = new List<string>();
        visitor.Page.WebSocket += (_, socket) => blazorTraffic.Add("websocket " + socket.Url);
        visitor.Page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.StartsWith("/_blazor", StringComparison.Ordinal)) blazorTraffic.Add("request " + request.Url);
        };
        await visitor.Page.ReloadAsync();
        await visitor.MarkPageAsync();

        // The search is a GET form: the address carries it, and enhanced navigation keeps the page (no reload).
        await visitor.Page.GetByLabel("Search people").FillAsync(bobName);
        await visitor.Page.GetByLabel("Search people").PressAsync("Enter");
        await visitor.Page.WaitForURLAsync($"**/?q={bobName}");
        var bobLink = visitor.Page.GetByRole(AriaRole.Link, new() { Name = "Bob Static", Exact = true });
        await Expect(bobLink).ToHaveCountAsync(1);
        await Expect(visitor.Page.GetByText("Painting the fence")).ToBeVisibleAsync();
        await bobLink.ClickAsync();
        await Expect(visitor.Page.GetByRole(AriaRole.Heading, new() { Name = "Bob Static", Level = 1 })).ToBeVisibleAsync();
        await visitor.AssertNotReloadedAsync();

        // The theme button works without a circuit: it flips the cookie and the page comes back dark.
        await visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        Assert.Contains(await visitor.Context.CookiesAsync(), c => c is { Name: "fc-theme", Value: "dark" });
        Assert.Empty(blazorTraffic);

        // "Sign in to add Bob" signs in and comes back to his profile, now interactive.
        await visitor.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in to add Bob Static" }).ClickAsync();
        await visitor.Page.GetByLabel("Username or e-mail").FillAsync(visitorName);
        await visitor.Page.GetByLabel("Password").FillAsync(AppFactory.Password);
        await visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await visitor.Page.WaitForURLAsync($"**/u/{bobName}");
        visitor.SignedIn = true;
        await visitor.WaitInteractiveAsync();
        await visitor.Button("Add friend Bob Static").ClickAsync();
        await Expect(visitor.Button("Cancel request to Bob Static")).ToBeVisibleAsync();
        Assert.Contains(blazorTraffic, t => t.StartsWith("websocket ", StringComparison.Ordinal) && t.Contains("/_blazor"));
    }

    [Fact]
    public async Task A_visitor_pages_through_the_directory_with_links_and_the_drawer_opens_without_a_circuit()
    {
        var prefix = Unique("pg");
        for (var i = 0; i < 23; i++) await fixture.App.CreateUserAsync($"{prefix}{i:D2}", $"Pager Person {prefix} {i:D2}");

        await using var visitor = await fixture.OpenAnonymousAsync($"/?q={prefix}", width: 390);
        await Expect(visitor.Page.GetByText("1–20 of 23")).ToBeVisibleAsync();
        await visitor.Page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Expect(visitor.Page.GetByText("21–23 of 23")).ToBeVisibleAsync();
        await Expect(visitor.Page.GetByRole(AriaRole.Link, new() { Name = $"Pager Person {prefix} 22", Exact = true })).ToBeVisibleAsync();
        await Expect(visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();

        // On a phone the drawer starts closed; the menu button opens it.
        var drawer = visitor.Page.Locator(".mud-drawer");
        await Expect(drawer).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await Expect(visitor.Page.GetByRole(AriaRole.Link, new() { Name = "Join FriendConnect" }).Last).ToBeVisibleAsync();
    }
}
