using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Presence;
using FriendConnect.Domain.Statuses;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Web.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>A server with small circuit limits: two tabs per person, and a hidden tab pauses after one second.</summary>
public sealed class LimitedCircuitsApp : IAsyncLifetime
{
    public AppFactory App { get; } = new(new Dictionary<string, string>
    {
        ["Circuits:MaxPerUser"] = "2",
        ["Circuits:PauseHiddenAfter"] = "00:00:01",
    });

    public Task InitializeAsync()
    {
        App.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

[Collection(BrowserCollection.Name)]
public sealed class CircuitLimitBrowserTests(BrowserFixture browser, LimitedCircuitsApp limited) : IClassFixture<LimitedCircuitsApp>
{
    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    private async Task<UserPage> OpenAsUserAsync(string userName)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = limited.App.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var user = new UserPage(context, await context.NewPageAsync());
        await user.SignInAsync(userName, AppFactory.Password);
        return user;
    }

    /// <summary>Tells the page it is hidden or shown, as switching tabs or minimizing the window does.</summary>
    private static Task SetVisibilityAsync(UserPage user, string state) => user.Page.EvaluateAsync(@"state => {
        if (!window.__fcVisibilityPatched) {
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => window.__fcVisibility || 'visible' });
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => (window.__fcVisibility || 'visible') === 'hidden' });
            window.__fcVisibilityPatched = true;
        }
        window.__fcVisibility = state;
        document.dispatchEvent(new Event('visibilitychange'));
    }", state);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_third_tab_closes_the_oldest_with_a_message_and_the_other_two_stay_live()
    {
        var name = Unique("tabs");
        var user = await limited.App.CreateUserAsync(name, "Tabitha Tabs");
        await using var first = await OpenAsUserAsync(name);
        await using var second = await first.NewTabAsync("/dashboard");
        await second.MarkPageAsync();
        var registry = limited.App.Services.GetRequiredService<CircuitRegistry>();
        await WaitUntilAsync(() => registry.CountFor(user.Id) == 2, "two circuits are counted");

        await using var third = await first.NewTabAsync("/");

        await first.Page.WaitForURLAsync("**/Account/TabClosed**");
        await Expect(first.Page.GetByRole(AriaRole.Heading, new() { Name = "This tab was closed to make room" })).ToBeVisibleAsync();
        await Expect(first.Page.GetByRole(AriaRole.Link, new() { Name = "Continue here" })).ToHaveAttributeAsync("href", "/dashboard");
        Assert.Equal(2, registry.CountFor(user.Id));
        await second.AssertNotReloadedAsync();
        await Expect(third.Page.GetByRole(AriaRole.Heading, new() { Name = "People on FriendConnect" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_hidden_tab_pauses_its_circuit_and_shown_again_resumes_with_what_was_posted_meanwhile_exactly_once()
    {
        var (annName, benName) = (Unique("ann"), Unique("ben"));
        var ann = await limited.App.CreateUserAsync(annName, "Ann Away");
        var ben = await limited.App.CreateUserAsync(benName, "Ben Poster");
        var friendships = limited.App.Get<FriendshipService>();
        await friendships.SendRequestAsync(ann.Id, ben.Id);
        await friendships.SendRequestAsync(ben.Id, ann.Id);
        var presence = limited.App.Get<PresenceTracker>();
        await using var annPage = await OpenAsUserAsync(annName);
        await annPage.MarkPageAsync();
        await WaitUntilAsync(() => presence.IsOnline(ann.Id), "Ann's circuit is up");

        // Hidden past the configured second: the circuit pauses, and the server lets it go.
        await SetVisibilityAsync(annPage, "hidden");
        await annPage.Page.Locator("body[data-circuit='paused']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30000 });
        await WaitUntilAsync(() => !presence.IsOnline(ann.Id), "the paused circuit has closed on the server");

        await limited.App.Get<StatusService>().PostAsync(ben.Id, "Back from the hike");

        // Shown again: the same page resumes and shows the post from the database, once.
        await SetVisibilityAsync(annPage, "visible");
        await annPage.Page.Locator("body[data-circuit='live']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30000 });
        var feed = annPage.Page.Locator("[aria-label='Feed'] li");
        await Expect(feed.Filter(new() { HasText = "Back from the hike" })).ToHaveCountAsync(1);
        await annPage.AssertNotReloadedAsync();

        // And the resumed circuit hears what happens next, live.
        await limited.App.Get<StatusService>().PostAsync(ben.Id, "Now making tea");
        await Expect(feed.Filter(new() { HasText = "Now making tea" })).ToHaveCountAsync(1);
        await Expect(feed.Filter(new() { HasText = "Back from the hike" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Show_older_keeps_a_window_of_the_feed_and_back_to_the_newest_brings_the_top_back()
    {
        var reader = Unique("rd");
        var readerUser = await limited.App.CreateUserAsync(reader, "Rita Reader");
        var friendships = limited.App.Get<FriendshipService>();
        var statuses = limited.App.Get<StatusService>();
        // Two friends post 40 updates each (the hourly limit is per person).
        foreach (var (name, display) in new[] { (Unique("wa"), "Walt Writer"), (Unique("wi"), "Wendy Writer") })
        {
            var friend = await limited.App.CreateUserAsync(name, display);
            await friendships.SendRequestAsync(readerUser.Id, friend.Id);
            await friendships.SendRequestAsync(friend.Id, readerUser.Id);
            for (var i = 1; i <= 40; i++) await statuses.PostAsync(friend.Id, $"{display} update {i:D2}");
        }
        await using var page = await OpenAsUserAsync(reader);
        var feed = page.Page.Locator("[aria-label='Feed'] li");
        await Expect(feed).ToHaveCountAsync(20);
        await Expect(feed.First).ToContainTextAsync("Wendy Writer update 40");

        for (var shown = 40; shown <= 60; shown += 20)
        {
            await page.Button("Show older updates").ClickAsync();
            await Expect(feed).ToHaveCountAsync(shown);
        }
        // A fourth page lets the newest go: the circuit never keeps more than three pages.
        await page.Button("Show older updates").ClickAsync();
        await Expect(page.Button("Back to the newest updates")).ToBeVisibleAsync();
        await Expect(feed).ToHaveCountAsync(60);
        await Expect(feed.Filter(new() { HasText = "Walt Writer update 01" })).ToHaveCountAsync(1);
        await Expect(feed.Filter(new() { HasText = "Wendy Writer update 40" })).ToHaveCountAsync(0);

        await page.Button("Back to the newest updates").ClickAsync();
        await Expect(feed).ToHaveCountAsync(20);
        await Expect(feed.First).ToContainTextAsync("Wendy Writer update 40");
        await Expect(page.Button("Back to the newest updates")).ToHaveCountAsync(0);
    }
}
