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

    /// <summary>
    /// Installed into a browser context before its pages load (<see cref="BenchBrowser.TapSockets"/>): every WebSocket
    /// the page opens records when it sends a frame and when a frame arrives, before the page's own handler runs. So a
    /// push splits into the browser's part on each side and the server's part in between.
    /// </summary>
    public const string SocketTap = """
        (() => {
          const Native = window.WebSocket;
          const now = () => performance.timeOrigin + performance.now();
          window.__benchSent = [];
          window.__benchReceived = [];
          const record = (list, data) => { if (list.length < 200) list.push([now(), data.byteLength ?? data.length ?? 0]); };
          class Tapped extends Native {
            constructor(...args) {
              super(...args);
              this.addEventListener('message', e => record(window.__benchReceived, e.data));
            }
            send(data) { record(window.__benchSent, data); super.send(data); }
          }
          window.WebSocket = Tapped;
        })();
        """;

    public static Task InstallClickRecorderAsync(IPage a) => a.EvaluateAsync(ClickRecorder);

    /// <summary>Arms B, runs <paramref name="click"/> in A, and returns the milliseconds from A's click to B's DOM change.</summary>
    public static async Task<double> MeasureAsync(IPage a, IPage b, string selector, string text, Func<Task> click, float timeoutMs = 10_000) =>
        (await MeasureSplitAsync(a, b, selector, text, click, timeoutMs)).Total;

    /// <summary>
    /// As <see cref="MeasureAsync"/>, split at the sockets when both pages are tapped (<see cref="SocketTap"/>): A's
    /// click to A's first frame out, that frame to the last frame B received before the text showed (the server, the
    /// loopback both ways), and that frame to the text in B's DOM.
    /// </summary>
    public static async Task<PushSample> MeasureSplitAsync(IPage a, IPage b, string selector, string text, Func<Task> click, float timeoutMs = 10_000)
    {
        const string Clear = "() => { window.__benchClickAt = null; if (window.__benchSent) { window.__benchSent = []; window.__benchReceived = []; } }";
        await InstallClickRecorderAsync(a);
        await a.EvaluateAsync(Clear);
        await b.EvaluateAsync(Clear);
        await b.EvaluateAsync(Arm, new[] { selector, text });
        if (await b.EvaluateAsync<double?>("() => window.__benchSeenAt") is -1)
            throw new InvalidOperationException($"'{text}' was already in {selector} before the click.");
        await click();
        await b.WaitForFunctionAsync("() => window.__benchSeenAt !== null", null, new() { Timeout = timeoutMs, PollingInterval = 2 });
        var seenAt = await b.EvaluateAsync<double>("() => window.__benchSeenAt");
        var clickAt = await a.EvaluateAsync<double?>("() => window.__benchClickAt")
            ?? throw new InvalidOperationException("The click was not seen in A.");
        var sent = await a.EvaluateAsync<double[][]?>("() => window.__benchSent ?? null");
        var received = await b.EvaluateAsync<double[][]?>("() => window.__benchReceived ?? null");
        var total = seenAt - clickAt;
        var firstOut = sent?.Select(f => f[0]).Where(t => t >= clickAt).DefaultIfEmpty(double.NaN).Min() ?? double.NaN;
        var inFrames = received?.Where(f => f[0] >= clickAt && f[0] <= seenAt).ToArray() ?? [];
        if (double.IsNaN(firstOut) || inFrames.Length == 0) return new PushSample(total, null, null, null, 0, 0);
        var carrying = inFrames[^1][0];
        return new PushSample(total, firstOut - clickAt, carrying - firstOut, seenAt - carrying, inFrames.Length, (long)inFrames.Sum(f => f[1]));
    }

    /// <summary>Waits until <paramref name="selector"/> no longer contains <paramref name="text"/> (or does not exist).</summary>
    public static Task WaitGoneAsync(IPage page, string selector, string text, float timeoutMs = 10_000) =>
        page.WaitForFunctionAsync("([selector, text]) => { const el = document.querySelector(selector); return !el || !el.textContent.includes(text); }",
            new[] { selector, text }, new() { Timeout = timeoutMs, PollingInterval = 5 });
}

/// <summary>
/// One push, click to DOM, and its parts when the sockets are tapped: the browser in A, the server between A's frame
/// out and the frame that carried the change into B (with every frame B got before it), and the browser in B.
/// </summary>
public sealed record PushSample(double Total, double? ClickToSend, double? Server, double? ReceiveToDom, int FramesIntoB, long BytesIntoB);
