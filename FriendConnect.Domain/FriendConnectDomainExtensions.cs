using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Photos;
using FriendConnect.Domain.Presence;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FriendConnect.Domain;

public static class FriendConnectDomainExtensions
{
    public const string ConnectionStringName = "FriendConnect";

    public static IHostApplicationBuilder AddFriendConnectDomain(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var dataDirectory = (config.GetSection(DataOptions.SectionName).Get<DataOptions>() ?? new DataOptions())
            .ResolveDirectory(builder.Environment.ContentRootPath);
        builder.Services.AddOptions<ActionLimits>().BindConfiguration(ActionLimits.SectionName);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ActionLimits>>().Value);
        // Photos sit in the data directory unless configured elsewhere; a relative path is taken from the data directory.
        builder.Services.AddOptions<PhotoOptions>().BindConfiguration(PhotoOptions.SectionName)
            .PostConfigure(o => o.Directory = Path.GetFullPath(Path.Combine(dataDirectory, o.Directory)));

        var provider = config.GetValue(ProviderSetting, DatabaseProvider.Sqlite);
        var connectionString = config.GetConnectionString(ConnectionStringName);
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(
                    $"{ProviderSetting} is Postgres, so ConnectionStrings:{ConnectionStringName} must name the PostgreSQL database " +
                    "(for example \"Host=db.internal;Database=friendconnect;Username=friendconnect;Password=...\").");
            builder.Services.AddFriendConnectDomain(connectionString, provider);
            return builder;
        }
        // The SQLite database lives in the data directory unless a connection string names another place.
        connectionString ??= $"Data Source={Path.Combine(dataDirectory, DataOptions.DatabaseFileName)}";
        builder.Services.AddFriendConnectDomain(
            SqliteDatabase.ResolveDataSource(connectionString, builder.Environment.ContentRootPath), provider);
        return builder;
    }

    /// <summary>The setting that chooses the database engine: <c>Sqlite</c> (the default) or <c>Postgres</c>.</summary>
    public const string ProviderSetting = "Database:Provider";

    /// <summary>The database, the services that hold every rule, the live-event bus and the Identity stores.</summary>
    public static IdentityBuilder AddFriendConnectDomain(
        this IServiceCollection services, string connectionString, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        services.AddSingleton<PublishAfterCommitInterceptor>();
        if (provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextFactory<PostgresFriendConnectDbContext>((sp, options) => options
                .UseNpgsql(connectionString)
                .AddInterceptors(sp.GetRequiredService<PublishAfterCommitInterceptor>()));
            // The services and the Identity stores ask for the model's context; on PostgreSQL it is this subclass.
            services.AddSingleton<IDbContextFactory<FriendConnectDbContext>, PostgresContextFactory>();
            services.AddScoped<FriendConnectDbContext>(sp => sp.GetRequiredService<PostgresFriendConnectDbContext>());
            services.AddSingleton<IDisplayNameSearch, PostgresDisplayNameSearch>();
        }
        else
        {
            // The factory also registers the context as scoped, which the Identity stores use per request.
            services.AddDbContextFactory<FriendConnectDbContext>((sp, options) => options
                .UseSqlite(connectionString)
                .AddInterceptors(new SqliteBusyTimeoutInterceptor(), sp.GetRequiredService<PublishAfterCommitInterceptor>()));
            services.AddSingleton<IDisplayNameSearch, SqliteDisplayNameSearch>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ActionLimits());
        services.AddSingleton<InProcessLiveEvents>();
        services.AddSingleton<ILiveEventPublisher>(sp => sp.GetRequiredService<InProcessLiveEvents>());
        services.AddSingleton<ILiveEventSubscriber>(sp => sp.GetRequiredService<InProcessLiveEvents>());
        services.AddSingleton<LiveEventRouter>();
        services.AddSingleton<LiveEventDispatcher>();

        services.AddSingleton<UserDirectory>();
        services.AddSingleton<FriendshipService>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<SuggestionService>();
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<ModerationService>();
        services.AddSingleton<PhotoStore>();
        services.AddSingleton<PhotoService>();
        services.AddSingleton<AccountExportService>();
        services.AddSingleton<SessionValidator>();
        services.AddScoped<AccountService>();
        services.AddScoped<AccountRecovery>();
        services.AddSingleton<ICommittedEventObserver, AuditLogger>();
        services.AddScoped<DemoData>();

        services.AddSingleton<ILookupNormalizer, AccountLookupNormalizer>();
        return services.AddIdentityCore<User>(options => options.ApplyFriendConnectRules())
            .AddEntityFrameworkStores<FriendConnectDbContext>()
            .AddUserManager<AccountUserManager>();
    }


    /// <summary>Identity settings that follow the product's account rules.</summary>
    public static void ApplyFriendConnectRules(this IdentityOptions options)
    {
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
        options.SignIn.RequireConfirmedAccount = false;
        // E-mail is optional; its uniqueness is checked by AccountService and a unique index.
        options.User.RequireUniqueEmail = false;
        options.User.AllowedUserNameCharacters = UserRules.UsernameCharacters;
        options.Password.RequiredLength = 8;
        options.Lockout.MaxFailedAccessAttempts = 10;
    }

    private sealed class PostgresContextFactory(IDbContextFactory<PostgresFriendConnectDbContext> postgres)
        : IDbContextFactory<FriendConnectDbContext>
    {
        public FriendConnectDbContext CreateDbContext() => postgres.CreateDbContext();

        public async Task<FriendConnectDbContext> CreateDbContextAsync(CancellationToken ct = default) =>
            await postgres.CreateDbContextAsync(ct);
    }
}
