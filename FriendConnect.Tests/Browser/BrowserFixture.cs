using FriendConnect.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FriendConnect.Tests.Browser;

/// <summary>One server and one Chromium for all browser tests; each test opens its own contexts (one per user).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    internal static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public AppFactory App { get; } = new();
    public IBrowser Browser { get; private set; } = default!;
    public static string ArtifactsDir { get; } = Path.Combine(AppContext.BaseDirectory, "test-artifacts");

    public async Task InitializeAsync()
    {
        App.StartServer();
        Directory.CreateDirectory(ArtifactsDir);
        _playwright = await Playwright.CreateAsync();
        var executable = FindChromium();
        if (executable is null)
        {
            // No system browser: let Playwright fetch its own, so the suite also runs on a fresh machine elsewhere.
            var exitCode = Microsoft.Playwright.Program.Main(["install", "chromium"]);
            if (exitCode != 0) throw new InvalidOperationException("No Chromium found (set CHROMIUM_PATH) and Playwright could not install one.");
        }
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Args = ChromiumArgs,
            Headless = true,
        });
    }

    internal static string? FindChromium()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv)) return fromEnv;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }

    public async Task<UserPage> OpenAsUserAsync(string userName, string path = "/dashboard", int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var user = new UserPage(context, page);
        await user.SignInAsync(userName, AppFactory.Password);
        if (path != "/dashboard") await user.GoToAsync(path);
        return user;
    }

    public async Task<UserPage> OpenAnonymousAsync(string path = "/", int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        var user = new UserPage(context, await context.NewPageAsync());
        await user.GoToAsync(path);
        return user;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>One person's browser context and page, with the steps every journey uses.</summary>
public sealed class UserPage(IBrowserContext context, IPage page, bool ownsContext = true) : IAsyncDisposable
{
    /// <summary>Signed in: pages are interactive (a circuit). A visitor's pages are static server rendering.</summary>
    public bool SignedIn { get; set; }

    /// <summary>Another tab of the same signed-in person; disposing it closes only that tab.</summary>
    public async Task<UserPage> NewTabAsync(string path)
    {
        var tab = new UserPage(context, await context.NewPageAsync(), ownsContext: false) { SignedIn = SignedIn };
        await tab.GoToAsync(path);
        return tab;
    }

    public IBrowserContext Context => context;
    public IPage Page => page;

    public async Task SignInAsync(string login, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Username or e-mail").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard");
        SignedIn = true;
        await WaitInteractiveAsync();
    }

    /// <summary>Opens the page and waits until it is ready: its circuit live when signed in, loaded for a visitor.</summary>
    public async Task GoToAsync(string path)
    {
        await page.GotoAsync(path);
        if (SignedIn) await WaitInteractiveAsync();
    }

    /// <summary>Clicks before the circuit is live are lost; the layout renders this marker only once it is.</summary>
    public Task WaitInteractiveAsync() =>
        page.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 15000 });

    /// <summary>Marks the page; <see cref="AssertNotReloadedAsync"/> fails if the page was reloaded since.</summary>
    public Task MarkPageAsync() => page.EvaluateAsync("() => { window.__fcNoReload = true; }");

    public async Task AssertNotReloadedAsync()
    {
        var marked = await page.EvaluateAsync<bool>("() => window.__fcNoReload === true");
        Assert.True(marked, "The page was reloaded, but updates must arrive live.");
    }

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Bell => page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Notifications") });

    public Task ScreenshotAsync(string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDir, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (ownsContext) await context.CloseAsync();
        else await page.CloseAsync();
    }
}
