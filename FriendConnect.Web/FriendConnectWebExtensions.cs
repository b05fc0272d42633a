using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Api;
using FriendConnect.Web.Components;
using FriendConnect.Web.Components.Account;
using FriendConnect.Web.Realtime;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace FriendConnect.Web;

public static class FriendConnectWebExtensions
{
    public static IHostApplicationBuilder AddFriendConnectWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // UI
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            options.SnackbarConfiguration.VisibleStateDuration = 5000;
        });

        // Accounts
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();
        // A suspended account's other sessions fail their next request within a minute, not after the default 30.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddIdentityCore<User>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddSingleton<IEmailSender<User>, IdentityNoOpEmailSender>();
        if (builder.Environment.IsDevelopment())
            services.AddDatabaseDeveloperPageExceptionFilter();

        // Live updates: one session per circuit, subscribed for its signed-in user
        services.AddScoped<LiveSession>();
        services.AddScoped<CircuitHandler, LiveCircuitHandler>();
        services.AddScoped<RelativeTimeTicker>();
        return builder;
    }

    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await SqliteDatabase.MigrateAsync(app.Services);
        var demoPassword = app.Configuration["DemoData:Password"];
        if (app.Configuration.GetValue<bool>("DemoData:Seed") && !string.IsNullOrEmpty(demoPassword))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(demoPassword);
        }
        await app.Services.GetRequiredService<ModerationService>()
            .EnsureModeratorsAsync(app.Services.GetRequiredService<ModerationOptions>().Moderators);
    }

    public static WebApplication UseFriendConnectWeb(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
        }
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapAccountDataEndpoints();
        return app;
    }
}
