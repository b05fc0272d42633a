using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FriendConnect.Bench.Browser;

/// <summary>Debian's Chromium driven by Playwright (never `playwright install`), with the sign-in step every suite needs.</summary>
public sealed class BenchBrowser : IAsyncDisposable
{
    public const string Password = "Bench!pass123";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;

    private BenchBrowser(IPlaywright playwright, IBrowser browser, string baseUrl)
    {
        _playwright = playwright;
        Browser = browser;
        BaseUrl = baseUrl;
    }

    public IBrowser Browser { get; }
    public string BaseUrl { get; }

    /// <param name="extraArgs">E.g. --renderer-process-limit for the circuits suite, where hundreds of pages would otherwise each spawn a renderer.</param>
    public static async Task<BenchBrowser> LaunchAsync(string baseUrl, params string[] extraArgs)
    {
        var playwright = await Playwright.CreateAsync();
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } env && File.Exists(env)
            ? env
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException("No Chromium found; set CHROMIUM_PATH.");
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable, Args = [.. ChromiumArgs, .. extraArgs], Headless = true,
        });
        return new BenchBrowser(playwright, browser, baseUrl);
    }

    /// <summary>New contexts record their WebSocket frames (<see cref="PushProbe.SocketTap"/>), for the latency split.</summary>
    public bool TapSockets { get; set; }

    /// <param name="baseUrl">The node this context talks to; the launch URL when not given.</param>
    public async Task<IBrowserContext> NewContextAsync(string? storageState = null, string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl ?? BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            StorageState = storageState,
        });
        if (TapSockets) await context.AddInitScriptAsync(PushProbe.SocketTap);
        return context;
    }

    /// <summary>Signs in through the real login form; returns the context and its dashboard page, proven interactive.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> SignInAsync(string login, string? baseUrl = null)
    {
        var context = await NewContextAsync(baseUrl: baseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Username or e-mail").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard");
        await WaitInteractiveAsync(page);
        return (context, page);
    }

    public static async Task GoInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
    }

    /// <summary>The layout (and the bench pages) render #fc-interactive only once the circuit is live.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30000 });

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }

    /// <summary>Creates password users (through AccountService, so they can sign in) and friendships, before the app starts.</summary>
    public static async Task<IReadOnlyList<User>> SeedAsync(string dbPath, IEnumerable<(string UserName, string DisplayName)> people,
        IEnumerable<(int A, int B)>? friendships = null)
    {
        await using var domain = await BenchDomain.OpenAsync(dbPath);
        var users = new List<User>();
        foreach (var (userName, displayName) in people)
        {
            await using var scope = domain.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .RegisterAsync(new Registration(userName, $"{userName}@bench.example", displayName, Password));
            if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Message)));
            users.Add(result.Value!);
        }
        var friendshipService = domain.Get<FriendshipService>();
        foreach (var (a, b) in friendships ?? [])
        {
            var sent = await friendshipService.SendRequestAsync(users[a].Id, users[b].Id);
            if (!sent.Succeeded) throw new InvalidOperationException(sent.Error!.Message);
            var back = await friendshipService.SendRequestAsync(users[b].Id, users[a].Id); // a request back accepts it
            if (!back.Succeeded) throw new InvalidOperationException(back.Error!.Message);
        }
        return users;
    }
}
