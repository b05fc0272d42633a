using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FriendConnect.Domain;

public static class FriendConnectDomainExtensions
{
    public const string ConnectionStringName = "FriendConnect";

    public static IHostApplicationBuilder AddFriendConnectDomain(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"Missing configuration: ConnectionStrings:{ConnectionStringName}.");
        builder.Services.AddFriendConnectDomain(
            SqliteDatabase.ResolveDataSource(connectionString, builder.Environment.ContentRootPath));
        return builder;
    }

    /// <summary>The database, the services that hold every rule, the live-event bus and the Identity stores.</summary>
    public static IdentityBuilder AddFriendConnectDomain(this IServiceCollection services, string sqliteConnectionString)
    {
        // The factory also registers the context as scoped, which the Identity stores use per request.
        services.AddDbContextFactory<FriendConnectDbContext>(options => options
            .UseSqlite(sqliteConnectionString)
            .AddInterceptors(new SqliteBusyTimeoutInterceptor()));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InProcessLiveEvents>();
        services.AddSingleton<ILiveEventPublisher>(sp => sp.GetRequiredService<InProcessLiveEvents>());
        services.AddSingleton<ILiveEventSubscriber>(sp => sp.GetRequiredService<InProcessLiveEvents>());

        services.AddSingleton<UserDirectory>();
        services.AddSingleton<FriendshipService>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<NotificationService>();
        services.AddScoped<AccountService>();
        services.AddScoped<DemoData>();

        return services.AddIdentityCore<User>(options => options.ApplyFriendConnectRules())
            .AddEntityFrameworkStores<FriendConnectDbContext>();
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
}
