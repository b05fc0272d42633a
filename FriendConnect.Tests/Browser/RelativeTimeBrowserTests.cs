using System.Globalization;
using FriendConnect.Domain.Statuses;
using Humanizer;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>
/// Relative times age in the browser (app.js) with the server's words, so no circuit re-renders a page to keep
/// "5 minutes ago" true.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RelativeTimeBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_browser_words_every_age_as_the_server_does()
    {
        await using var visitor = await fixture.OpenAnonymousAsync("/");
        var now = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        double[] seconds =
        [
            0, 0.4, 0.6, 1, 2, 59, 60, 61, 119, 120, 121, 3599, 3600, 3601, 5399, 5400, 5401, 7199, 7200, 86399, 86400,
            86401, 100_000, 129_600, 172_799, 172_800, 172_801, 1_000_000, 2_419_199, 2_419_200, 2_500_000, 2_591_999, 2_592_000,
            2_600_000, 5_000_000, 10_000_000, 29_807_999, 29_808_000, 31_535_999, 31_536_000, 40_000_000, 80_000_000,
        ];
        var offsets = seconds.SelectMany(s => new[] { -s, s }).Distinct().ToArray();
        var nowMs = new DateTimeOffset(now).ToUnixTimeMilliseconds();
        var differences = new List<string>();
        foreach (var offset in offsets)
        {
            var at = now.AddSeconds(-offset);
            var expected = at.Humanize(utcDate: true, dateToCompareAgainst: now, culture: CultureInfo.GetCultureInfo("en-US"));
            var actual = await visitor.Page.EvaluateAsync<string>("([iso, now]) => window.friendConnect.relativeTime(iso, now)",
                new object[] { at.ToString("O"), nowMs });
            if (expected != actual) differences.Add($"{offset} s: the server says \"{expected}\", the browser \"{actual}\".");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public async Task A_time_on_an_open_page_ages_without_a_render_from_the_server()
    {
        var name = $"tim{Guid.NewGuid():N}"[..12];
        var user = await fixture.App.CreateUserAsync(name, "Tim Ticker");
        await fixture.App.Get<StatusService>().PostAsync(user.Id, "Ticking along");
        await using var page = await fixture.OpenAsUserAsync(name, $"/u/{name}");
        var time = page.Page.Locator("time.relative-time").First;
        await Expect(time).ToBeVisibleAsync();

        // Pretend the page has been open for three hours: the next refresh rewrites the words from the datetime.
        await page.Page.EvaluateAsync("""
            () => {
                const t = document.querySelector('time.relative-time');
                t.setAttribute('datetime', new Date(Date.now() - 3 * 3600 * 1000).toISOString());
                document.dispatchEvent(new Event('visibilitychange'));
            }
            """);
        await Expect(time).ToHaveTextAsync("3 hours ago");
    }
}
