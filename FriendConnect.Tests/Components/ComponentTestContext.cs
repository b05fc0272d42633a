using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Web.Realtime;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace FriendConnect.Tests.Components;

/// <summary>
/// A bUnit context wired like one interactive Blazor Server circuit: MudBlazor, a test
/// authentication state, the real domain services on a fresh SQLite file, and the per-circuit
/// <see cref="LiveSession"/>.
/// Test classes derive from it, so every test gets its own database and its own "circuit".
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Auth = AddAuthorization();
    }

    /// <summary>The domain on its own database; use it to arrange and to check what was written.</summary>
    protected DomainFixture App { get; } = new();

    protected BunitAuthorizationContext Auth { get; }

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    /// <summary>The messages of every snackbar shown so far in this circuit.</summary>
    protected IReadOnlyList<string?> SnackbarMessages => Snackbar.ShownSnackbars.Select(s => s.Message).ToList();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await App.InitializeAsync();
        Services.AddSingleton(App.Get<FriendshipService>());
        Services.AddSingleton(App.Get<StatusService>());
        Services.AddSingleton(App.Get<NotificationService>());
        Services.AddSingleton(App.Get<UserDirectory>());
        Services.AddSingleton(App.Get<FriendConnect.Domain.Moderation.ModerationService>());
        Services.AddSingleton(App.Get<ILiveEventSubscriber>());
        Services.AddSingleton(App.Get<ILiveEventPublisher>());
        Services.AddSingleton(App.Get<SessionValidator>());
        Services.AddScoped<LiveSession>();
        // Last: this creates the renderer, after which no service may be added.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private bool _disposed;

    async Task IAsyncLifetime.DisposeAsync()
    {
        // MudBlazor registers services that can only be disposed asynchronously, so the context is
        // disposed here; the synchronous Dispose that xUnit calls afterwards then has nothing to do.
        await DisposeAsync();
        _disposed = true;
        await App.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        base.Dispose(disposing);
    }

    /// <summary>Makes <paramref name="user"/> the signed-in user of this circuit.</summary>
    protected void SignIn(User user)
    {
        Auth.SetAuthorized(user.UserName!);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
    }

    /// <summary>Subscribes this circuit to its user's live events, as MainLayout does in the app.</summary>
    protected async Task<LiveSession> StartLiveSessionAsync()
    {
        var session = Services.GetRequiredService<LiveSession>();
        await session.StartAsync();
        return session;
    }

    /// <summary>Renders the MudBlazor providers that menus, dialogs and snackbars render into.</summary>
    protected IRenderedComponent<IComponent> RenderProviders() => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });

    protected static UserSummary Summary(User user) => UserSummary.OfSelf(user);

    /// <summary>The single element whose aria-label is exactly <paramref name="label"/>.</summary>
    protected static IElement ByLabel<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        Assert.Single(AllByLabel(cut, label));

    protected static IReadOnlyList<IElement> AllByLabel<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        cut.FindAll("[aria-label]").Where(e => e.GetAttribute("aria-label") == label).ToList();

    /// <summary>Waits until <paramref name="find"/> stops throwing, and returns what it found.</summary>
    protected static IElement WaitFor<T>(IRenderedComponent<T> cut, Func<IElement> find) where T : IComponent
    {
        IElement? found = null;
        cut.WaitForAssertion(() => found = find());
        return found!;
    }

    /// <summary>Fails if any component in the circuit threw an exception the renderer caught.</summary>
    protected void AssertNoUnhandledException() =>
        Assert.False(Renderer.UnhandledException.IsCompleted,
            $"A component threw: {(Renderer.UnhandledException.IsCompleted ? Renderer.UnhandledException.Result : null)}");
}
