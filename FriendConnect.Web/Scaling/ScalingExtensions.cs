using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Presence;
using FriendConnect.Web.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FriendConnect.Web.Scaling;

/// <summary>Several nodes behind one proxy: what they share through Redis when <c>Realtime:Redis</c> is set.</summary>
public static class ScalingExtensions
{
    private const string KeysKey = RedisConnection.KeyPrefix + "data-protection-keys";

    public static IHostApplicationBuilder AddFriendConnectScaling(this IHostApplicationBuilder builder)
    {
        var options = RealtimeOptions.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        // Checked at start-up with the other settings: with Redis, the live messages' signing key is required.
        Hosting.FriendConnectHosting.AddSettings<RealtimeOptions>(services, RealtimeOptions.SectionName);
        if (!options.UsesRedis) return builder;

        services.AddSingleton<RedisConnection>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, ["ready"]);

        // Live events: this node's subscribers directly, the other nodes through one channel.
        services.AddSingleton<RedisLiveEvents>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisLiveEvents>());
        services.AddSingleton<ILiveEventPublisher>(sp => sp.GetRequiredService<RedisLiveEvents>());
        services.AddSingleton<ILiveEventSubscriber>(sp => sp.GetRequiredService<RedisLiveEvents>());

        // Presence is the union over nodes; sign-in guesses count on every node.
        services.AddSingleton<RedisPresence>();
        services.AddSingleton<IPresenceShare>(sp => sp.GetRequiredService<RedisPresence>());
        services.AddHostedService<PresenceRefresh>();
        services.AddSingleton<ISharedSignInCounts, RedisSignInCounts>();

        // A paused or long-disconnected circuit is kept in Redis, so it can resume on whichever node the page reaches.
        services.AddStackExchangeRedisCache(cache => cache.InstanceName = RedisConnection.KeyPrefix + "cache:");
        services.AddOptions<RedisCacheOptions>().Configure<RedisConnection>((cache, redis) =>
            cache.ConnectionMultiplexerFactory = () => Task.FromResult(redis.Multiplexer));
        services.AddHybridCache();

        // Visitors' cached reads live in Redis too: a change committed on one node evicts them for every node, so a
        // hidden status is never served from another node's copy. A Redis outage reads as a miss, not an error.
        services.AddStackExchangeRedisOutputCache(cache => cache.InstanceName = RedisConnection.KeyPrefix + "output:");
        services.AddOptions<Microsoft.AspNetCore.OutputCaching.StackExchangeRedis.RedisOutputCacheOptions>()
            .Configure<RedisConnection>((cache, redis) => cache.ConnectionMultiplexerFactory = () => Task.FromResult(redis.Multiplexer));
        return builder;
    }

    /// <summary>Keys every node reads and writes, so a cookie or token minted on one node opens on all.</summary>
    public static IDataProtectionBuilder PersistKeysToRedis(this IDataProtectionBuilder dataProtection)
    {
        dataProtection.Services.AddOptions<KeyManagementOptions>().Configure<RedisConnection>((keys, redis) =>
            keys.XmlRepository = new RedisXmlRepository(() => redis.Database, KeysKey));
        return dataProtection;
    }

    /// <summary>Sends the <see cref="RealtimeOptions.NodeCookie"/> cookie nginx routes by, naming the node that served this browser.</summary>
    public static WebApplication UseNodeAffinity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<RealtimeOptions>();
        if (!options.UsesRedis) return app;
        var node = options.NodeName;
        app.Use((context, next) =>
        {
            if (context.Request.Cookies[RealtimeOptions.NodeCookie] != node)
                context.Response.Cookies.Append(RealtimeOptions.NodeCookie, node, new CookieOptions
                {
                    HttpOnly = true, IsEssential = true, Path = "/", SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps,
                });
            context.Response.Headers["FriendConnect-Node"] = node;
            return next(context);
        });
        return app;
    }
}
