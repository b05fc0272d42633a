namespace FriendConnect.Web.Diagnostics;

/// <summary>
/// The raw-hub half of the latency baseline: a static page with the official SignalR browser client
/// (@microsoft/signalr 10.0.11, dist/browser/signalr.min.js, embedded in this assembly and served only
/// when Bench:Enabled). Clicking "Send" broadcasts the text field's value; every page writes what it
/// receives into #received — the same click-to-DOM path the app's pages are measured on.
/// </summary>
internal static class BenchHubPage
{
    private static readonly Lazy<byte[]> Script = new(() =>
    {
        using var stream = typeof(BenchHubPage).Assembly.GetManifestResourceStream("FriendConnect.Web.Diagnostics.signalr.min.js")
            ?? throw new InvalidOperationException("signalr.min.js is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    public static IResult ScriptResult() => Results.Bytes(Script.Value, "text/javascript");

    /// <summary>The page's own script, a file like every script the Content-Security-Policy allows.</summary>
    public const string PageScript = """
        const connection = new signalR.HubConnectionBuilder()
          .withUrl("/bench/hub", { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
          .build();
        connection.on("pushed", text => { document.getElementById("received").textContent = text; });
        document.getElementById("send").addEventListener("click", () =>
          connection.invoke("Broadcast", document.getElementById("text").value));
        connection.start().then(() => {
          document.getElementById("state").textContent = "connected";
          document.getElementById("send").disabled = false;
        });
        """;

    public const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Bench hub</title></head>
        <body>
          <input id="text" aria-label="Text" value="">
          <button id="send" type="button" disabled>Send</button>
          <div id="state">connecting</div>
          <div id="received"></div>
          <script src="/bench/signalr.min.js"></script>
          <script src="/bench/hub-page.js"></script>
        </body>
        </html>
        """;
}
