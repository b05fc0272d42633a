using FriendConnect.Bench.Browser;
using FriendConnect.Tests.Browser;
using FriendConnect.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FriendConnect.Tests.Drills;

/// <summary>
/// NOTHING LOST WITH REAL CLIENTS, CI size: 10 users (5 in Chromium circuits, 5 on SSE streams) through random drops
/// while a few hundred requests, accepts and status posts go through the UI and the API.
/// </summary>
public sealed class RealClientsDrillTests : IAsyncLifetime
{
    private readonly AppFactory _app = new(new Dictionary<string, string>
    {
        // The drill acts far faster than a person; the product's rate limits are not what is tested here.
        ["ActionLimits:StatusUpdatesPerHour"] = "1000000",
        ["ActionLimits:FriendRequestsPerDay"] = "1000000",
        ["Api:RequestsPerMinute"] = "1000000",
    });
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _app.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.FindChromium(),
            Args = BrowserFixture.ChromiumArgs,
            Headless = true,
        });
    }

    [Fact]
    public async Task Every_stream_gets_every_notification_once_and_every_page_shows_the_database_through_drops()
    {
        var outcome = await new RealClientsDrill(_app.BaseUrl, _browser!, userCount: 10, actionCount: 300, uiShare: 0.2, seed: 7).RunAsync();

        Assert.True(outcome.Expected > 50, $"The drill produced too few notifications to mean anything: {outcome}");
        Assert.True(outcome.UiActions > 0 && outcome.BrowserDrops > 0 && outcome.SseDrops > 0, $"UI actions and both kinds of drop must happen: {outcome}");
        Assert.True(outcome.CaughtUp > 0 && outcome.DeliveredLive > 0, $"Both paths (live and catch-up) must be exercised: {outcome}");
        Assert.True(outcome.Lost == 0 && outcome.Duplicated == 0 && outcome.Expected == outcome.DeliveredLive + outcome.CaughtUp,
            $"Every notification exactly once: {outcome}\n{string.Join("\n", outcome.Problems)}");
        Assert.True(outcome.PagesWrong == 0, string.Join("\n", outcome.Problems));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        await _app.DisposeAsync();
    }
}
