using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Api;
using FriendConnect.Web.Auth;
using FriendConnect.Web.Diagnostics;
using FriendConnect.Web.Hosting;
using FriendConnect.Web.Components;
using FriendConnect.Web.Components.Account;
using FriendConnect.Web.Components.Layout;
using FriendConnect.Web.Photos;
using FriendConnect.Web.Realtime;
using FriendConnect.Web.Scaling;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace FriendConnect.Web;

public static class FriendConnectWebExtensions
{
    public static IHostApplicationBuilder AddFriendConnectWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // UI
        services.AddScoped<ThemeState>();
        services.AddRazorComponents().AddInteractiveServerComponents()
            .RegisterPersistentService<ThemeState>(RenderMode.InteractiveServer);
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            options.SnackbarConfiguration.VisibleStateDuration = 5000;
        });

        // Accounts
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = SessionAuthentication.Scheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            });
        // Scripts send a bearer token; browsers send the Identity cookie. A request is authenticated by one of them, never both.
        authentication.AddPolicyScheme(SessionAuthentication.Scheme, SessionAuthentication.Scheme,
            options => options.ForwardDefaultSelector = SessionAuthentication.SelectScheme);
        // Every cookie and token meets the session rule on every request (SessionAuthentication), not once a minute.
        authentication.AddBearerToken(IdentityConstants.BearerScheme, options =>
            options.Events.OnMessageReceived = SessionAuthentication.ValidateBearerAsync);
        authentication.AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
        {
            options.Events.OnValidatePrincipal = SessionAuthentication.ValidateCookieAsync;
            // API callers get status codes, not a redirect to the sign-in page.
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        }));
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SessionRefusalResultHandler>();
        services.AddIdentityCore<User>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // Sign-in: one flow for the page and the API, with guess limits per address, per account and per known device.
        FriendConnectHosting.AddSettings<SignInLimitOptions>(services, SignInLimitOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SignInLimitOptions>>().Value);
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<KnownDevices>();
        services.AddScoped<SignInFlow>();
        if (builder.Environment.IsDevelopment())
            services.AddDatabaseDeveloperPageExceptionFilter();

        // Live updates: one session per circuit, subscribed for its signed-in user
        services.AddScoped<LiveSession>();
        services.AddScoped<CircuitHandler, LiveCircuitHandler>();
        builder.AddCircuitLimits();
        builder.AddSessionSweep();

        builder.AddFriendConnectApi();
        builder.AddFriendConnectScaling();
        builder.AddBenchServices();
        return builder;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.HttpContext.IsApiRequest())
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Checks the settings and brings the database up to date; false when the process must stop (the exit code says why).</summary>
    public static async Task<bool> InitializeDatabaseAsync(this WebApplication app)
    {
        if (!FriendConnectHosting.CheckSettings(app)) return false;
        var upgrade = app.Services.GetRequiredService<DatabaseUpgrade>();
        if (!app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart
            && await upgrade.PendingAsync() is { Count: > 0 } pending)
        {
            app.Logger.LogCritical("The database needs {Count} migration(s) ({Migrations}). Run: dotnet FriendConnect.Web.dll migrate",
                pending.Count, string.Join(", ", pending));
            Environment.ExitCode = FriendConnectHosting.ConfigurationExitCode;
            return false;
        }
        try
        {
            await upgrade.ApplyAsync();
        }
        catch (UpgradeFailedException e)
        {
            app.Logger.LogCritical("{Message}", e.Message);
            Environment.ExitCode = FriendConnectHosting.ConfigurationExitCode;
            return false;
        }
        var demoPassword = app.Configuration["DemoData:Password"];
        if (app.Configuration.GetValue<bool>("DemoData:Seed") && !string.IsNullOrEmpty(demoPassword))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(demoPassword);
        }
        if (app.Configuration.GetSection("Moderation:Moderators").GetChildren().Any())
            app.Logger.LogWarning("Moderation:Moderators is no longer read. Grant the role with: dotnet FriendConnect.Web.dll moderators grant <username>");
        return true;
    }

    public static WebApplication UseFriendConnectWeb(this WebApplication app)
    {
        app.UseFriendConnectHosting();
        app.UseNodeAffinity();
        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
        }
        else
        {
            app.UseWhen(context => !context.IsApiRequest(), pages => pages.UseExceptionHandler("/Error", createScopeForErrors: true));
            app.UseHsts();
            // A load balancer or watchdog probes health over plain http on loopback; everyone else is sent to https.
            app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health"), pages => pages.UseHttpsRedirection());
        }
        // The API answers every error with problem details; pages re-render the friendly not-found page.
        app.UseWhen(context => context.IsApiRequest(), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
                // A malformed request is the caller's mistake, not an error of ours to log.
                SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
            });
            api.UseStatusCodePages();
        });
        // Not inside UseWhen: re-execution must pass through routing again, which a branch does not. Only page
        // reads are re-executed; a form post re-executed would fail the page's antiforgery check instead.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            var pageRead = !context.IsApiRequest() && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method));
            if (!pageRead && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            return next(context);
        });
        app.UseCrossSiteRequestGuard();
        app.UseJsonBodyGuard();
        // Explicitly after the status-code pages, so an API 401 or 403 from a challenge gets a problem body too.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseOutputCache();
        app.UseAnonymousCircuitLimit();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapAccountDataEndpoints();
        app.MapPhotoEndpoints();
        app.MapFriendConnectApi();
        app.MapBenchEndpoints();
        return app;
    }
}
