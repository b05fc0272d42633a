using Microsoft.Playwright;

namespace FriendConnect.Bench.Browser;

/// <summary>
/// Click-in-A to DOM-change-in-B, on one clock: A records performance.timeOrigin + performance.now() in a capturing
/// click listener (before Blazor's own delegated handler runs); B's MutationObserver records the same clock the moment
/// the expected text is in the watched element. Both pages run in one Chromium on one machine.
/// </summary>
public static class PushProbe
{
    private const string ClickRecorder = """
        () => {
          if (window.__benchClickInstalled) return;
          window.__benchClickInstalled = true;
          document.addEventListener('click', () => { window.__benchClickAt = performance.timeOrigin + performance.now(); }, true);
        }
        """;

    private const string Arm = """
        ([selector, text]) => {
          window.__benchSeenAt = null;
          if (window.__benchObserver) window.__benchObserver.disconnect();
          const seen = () => { const el = document.querySelector(selector); return !!el && el.textContent.includes(text); };
          if (seen()) { window.__benchSeenAt = -1; return; }
          const observer = new MutationObserver(() => {
            if (window.__benchSeenAt === null && seen()) {
              window.__benchSeenAt = performance.timeOrigin + performance.now();
              observer.disconnect();
            }
          });
          window.__benchObserver = observer;
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        }
        """;

    public static Task InstallClickRecorderAsync(IPage a) => a.EvaluateAsync(ClickRecorder);

    /// <summary>Arms B, runs <paramref name="click"/> in A, and returns the milliseconds from A's click to B's DOM change.</summary>
    public static async Task<double> MeasureAsync(IPage a, IPage b, string selector, string text, Func<Task> click, float timeoutMs = 10_000)
    {
        await InstallClickRecorderAsync(a);
        await a.EvaluateAsync("() => { window.__benchClickAt = null; }");
        await b.EvaluateAsync(Arm, new[] { selector, text });
        if (await b.EvaluateAsync<double?>("() => window.__benchSeenAt") is -1)
            throw new InvalidOperationException($"'{text}' was already in {selector} before the click.");
        await click();
        await b.WaitForFunctionAsync("() => window.__benchSeenAt !== null", null, new() { Timeout = timeoutMs, PollingInterval = 2 });
        var seenAt = await b.EvaluateAsync<double>("() => window.__benchSeenAt");
        var clickAt = await a.EvaluateAsync<double?>("() => window.__benchClickAt")
            ?? throw new InvalidOperationException("The click was not seen in A.");
        return seenAt - clickAt;
    }

    /// <summary>Waits until <paramref name="selector"/> no longer contains <paramref name="text"/> (or does not exist).</summary>
    public static Task WaitGoneAsync(IPage page, string selector, string text, float timeoutMs = 10_000) =>
        page.WaitForFunctionAsync("([selector, text]) => { const el = document.querySelector(selector); return !el || !el.textContent.includes(text); }",
            new[] { selector, text }, new() { Timeout = timeoutMs, PollingInterval = 5 });
}
