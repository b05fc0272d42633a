using FriendConnect.Tests.Browser;
using Microsoft.Playwright;
using netDumbster.smtp;

namespace FriendConnect.Tests.Hosting;

/// <summary>
/// One self-hosted installation for the self-hosting tests: the published app with its data in a temporary folder,
/// nginx in front with TLS, an SMTP server that keeps what it receives, and Chromium.
/// </summary>
public sealed class SelfHostFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"fc-selfhost-{Guid.NewGuid():N}");
    public AppProcess App { get; private set; } = default!;
    public Nginx Proxy { get; private set; } = default!;
    public SimpleSmtpServer Smtp { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public int AppPort { get; } = PublishedApp.FreePort();

    public Dictionary<string, string> Settings => new()
    {
        ["ASPNETCORE_HTTPS_PORT"] = Proxy.HttpsPort.ToString(),
        ["App__PublicUrl"] = Proxy.HttpsUrl,
        ["Email__Smtp__Host"] = "127.0.0.1",
        ["Email__Smtp__Port"] = Smtp.Configuration.Port.ToString(),
        ["Email__Smtp__Security"] = "None",
        ["Email__From"] = "FriendConnect <friendconnect@example.org>",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Smtp = SimpleSmtpServer.Start(PublishedApp.FreePort());
        Proxy = await Nginx.StartAsync(AppPort);
        App = await AppProcess.StartAsync(DataDirectory, Settings, AppPort);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.FindChromium(),
            Args = [.. BrowserFixture.ChromiumArgs, Nginx.HostResolverRule],
            Headless = true,
        });
    }

    /// <summary>Stops the app as systemd would and starts it again on the same port and data.</summary>
    public async Task<TimeSpan> RestartAsync()
    {
        await App.DisposeAsync();
        var started = DateTime.UtcNow;
        App = await AppProcess.StartAsync(DataDirectory, Settings, AppPort);
        return DateTime.UtcNow - started;
    }

    public Task<IBrowserContext> NewContextAsync(int width = 1280) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Proxy.HttpsUrl,
        IgnoreHTTPSErrors = true,
        ViewportSize = new ViewportSize { Width = width, Height = 900 },
    });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Proxy is not null) await Proxy.DisposeAsync();
        Smtp?.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SelfHostCollection : ICollectionFixture<SelfHostFixture>
{
    public const string Name = "Self-hosted";
}
