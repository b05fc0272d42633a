using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Scaling;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Hosting;

/// <summary>What running on a real server needs: settings from anywhere, keys that survive restarts, the proxy in front, headers, logs, e-mail.</summary>
public static class FriendConnectHosting
{
    public const string CspNonceKey = "csp-nonce";

    /// <summary>
    /// The app's own folder is its content root, whatever folder it was started from. <c>dotnet run</c> starts in the
    /// project folder, which holds the settings too, and keeps it.
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        var options = new WebApplicationOptions { Args = args };
        var startedAsApp = Assembly.GetEntryAssembly() == typeof(FriendConnectHosting).Assembly;
        if (startedAsApp && !File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")))
            options = new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory };
        return options;
    }

    public static IHostApplicationBuilder AddFriendConnectHosting(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // Settings, checked at start-up: a bad value stops the app with the key's name.
        AddSettings<DataOptions>(services, DataOptions.SectionName);
        AddSettings<ProxyOptions>(services, ProxyOptions.SectionName);
        AddSettings<EmailOptions>(services, EmailOptions.SectionName);
        AddSettings<DatabaseOptions>(services, DatabaseOptions.SectionName);
        PublicAddressOptions.AddTo(builder);
        // Bound by the domain; checked here with the rest.
        services.AddSingleton<IValidateOptions<ActionLimits>>(new SectionValidator<ActionLimits>(ActionLimits.SectionName));
        services.AddOptions<ActionLimits>().ValidateOnStart();

        // Keys in the data directory under a fixed name: a restart or a new release folder keeps everyone signed in.
        // With several nodes they live in Redis instead, so a cookie or token minted on one node opens on every node;
        // there they are encrypted with a certificate from the settings, required in Production.
        var dataDirectory = DataDirectory(builder);
        var keysInRedis = RealtimeOptions.From(builder.Configuration).UsesRedis;
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>>(new KeyRingValidator(keysInRedis && builder.Environment.IsProduction()));
        var dataProtection = services.AddDataProtection().SetApplicationName("FriendConnect");
        if (keysInRedis)
            dataProtection.PersistKeysToRedis();
        else
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        if (KeyRingOptions.From(builder.Configuration).TryLoadCertificate() is { } certificate)
            dataProtection.ProtectKeysWithCertificate(certificate);

        // Behind nginx: the client's scheme and address come from the proxy's headers, believed only from known proxies.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var address in proxy.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(address));
            foreach (var network in proxy.Value.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(180);
            options.IncludeSubDomains = false;
        });

        // Logs: one line each, with a UTC timestamp and control characters escaped; under systemd, the journal's own format.
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        services.AddSystemd();
        services.EscapeControlCharacters();

        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<MailLimits>();
        services.AddSingleton<MailOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<MailOutbox>());
        services.AddScoped<AccountEmails>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<EmailOptions>>((identity, email) =>
            identity.SignIn.RequireConfirmedEmail = email.Value.RequireConfirmedEmail);

        // Backups and upgrades work on the configured database file and the keys beside it.
        services.AddSingleton(sp =>
        {
            using var db = sp.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>().CreateDbContext();
            return Backups.For(db, dataDirectory, sp.GetRequiredService<Domain.Photos.PhotoStore>().Directory);
        });
        services.AddSingleton(sp => new DatabaseUpgrade(
            sp.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>(), sp.GetRequiredService<Backups>(),
            Path.Combine(dataDirectory, "backups"), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("FriendConnect.Upgrade")));
        return builder;
    }

    internal static void AddSettings<T>(IServiceCollection services, string section) where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
    }

    /// <summary>
    /// Reads every setting once, before anything else runs: a bad value ends the process with a message naming its key
    /// and exit code 78, which the systemd unit does not restart.
    /// </summary>
    public static bool CheckSettings(WebApplication app)
    {
        try
        {
            _ = app.Services.GetRequiredService<IOptions<DataOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<EmailOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<PublicAddressOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<ActionLimits>>().Value;
            _ = app.Services.GetRequiredService<IOptions<Auth.SignInLimitOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<KeyRingOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<RealtimeOptions>>().Value;
            return true;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            var problems = e is OptionsValidationException invalid ? invalid.Failures : [e.Message];
            // One line per problem: log values have their line breaks escaped.
            foreach (var problem in problems)
                app.Logger.LogCritical("The settings are not valid; fix this and start again: {Problem}", problem);
            Environment.ExitCode = ConfigurationExitCode;
            return false;
        }
    }

    /// <summary>EX_CONFIG: the unit's RestartPreventExitStatus, so systemd does not restart into the same failure.</summary>
    public const int ConfigurationExitCode = 78;

    /// <summary>The data directory as an absolute path, created if missing.</summary>
    public static string DataDirectory(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DataOptions.SectionName).Get<DataOptions>() ?? new DataOptions();
        var directory = options.ResolveDirectory(builder.Environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>First in the pipeline: the real client, then the headers every answer carries, then a log line per request.</summary>
    public static WebApplication UseFriendConnectHosting(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use(SecurityHeadersAsync);
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FriendConnect.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                log.LogInformation("{Method} {Path} {StatusCode} {ElapsedMs:0.0} ms {Client}",
                    context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.Connection.RemoteIpAddress);
            }
        });
        return app;
    }

    private static Task SecurityHeadersAsync(HttpContext context, RequestDelegate next)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[CspNonceKey] = nonce;
        // The API reference page runs its own inline script; the rest of the app runs only its own files and the
        // one inline import map, which carries the nonce.
        var scripts = context.Request.Path.StartsWithSegments("/docs") ? "'self' 'unsafe-inline'" : $"'self' 'nonce-{nonce}'";
        var policy = string.Join("; ",
            "default-src 'self'",
            $"script-src {scripts}",
            // MudBlazor positions popovers and sets colours with style attributes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
