using StackExchange.Redis;

namespace FriendConnect.Web.Scaling;

/// <summary>
/// The node's one connection to Redis. It never waits for Redis: started while Redis is down, it keeps trying in the
/// background; while Redis is away, commands fail at once (and their callers fall back) instead of queueing.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;

    public RedisConnection(RealtimeOptions options, ILogger<RedisConnection> logger)
    {
        NodeName = options.NodeName;
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(options.Redis!);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{RealtimeOptions.SectionName}:Redis is not a Redis connection string: {e.Message}", e);
        }
        // Redis over TLS with a certificate of the operator's own CA (deploy/two-nodes/redis.conf).
        if (!string.IsNullOrWhiteSpace(options.RedisCertificateAuthority))
            configuration.TrustIssuer(options.RedisCertificateAuthority);
        // One Redis, no primary to elect: no tie-breaker key or configuration channel, which the nodes' ACL user may not reach.
        configuration.TieBreaker = "";
        configuration.ConfigurationChannel = "";
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= $"friendconnect-{NodeName}";
        configuration.ConnectTimeout = 5000;
        configuration.SyncTimeout = 2000;
        configuration.AsyncTimeout = 2000;
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        _multiplexer = new(() =>
        {
            var multiplexer = ConnectionMultiplexer.Connect(configuration);
            multiplexer.ConnectionFailed += (_, e) => logger.LogWarning("Redis connection lost ({Failure}); live events stay on this node until it returns.", e.FailureType);
            multiplexer.ConnectionRestored += (_, _) => logger.LogInformation("Redis connection restored.");
            return multiplexer;
        });
    }

    public string NodeName { get; }

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public IDatabase Database => Multiplexer.GetDatabase();

    public bool IsConnected => Multiplexer.IsConnected;

    public const string KeyPrefix = "friendconnect:";

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated) _multiplexer.Value.Dispose();
    }
}
