using FriendConnect.Domain.Presence;
using StackExchange.Redis;

namespace FriendConnect.Web.Scaling;

/// <summary>
/// Presence as the union over nodes: per user, a sorted set of the nodes holding them, each entry scored with the
/// time it expires. A node refreshes its entries while it holds the connections (<see cref="PresenceRefresh"/>);
/// a node that dies stops refreshing, and its users drop out after <see cref="Lifetime"/>.
/// </summary>
public sealed class RedisPresence(RedisConnection redis, TimeProvider clock) : IPresenceShare
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);

    // Returns how many other nodes held the user before this one joined.
    private static readonly LuaScript Join = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', @now)
        redis.call('ZREM', @key, @node)
        local others = redis.call('ZCARD', @key)
        redis.call('ZADD', @key, @expires, @node)
        redis.call('PEXPIRE', @key, @lifetime)
        return others
        """);

    // Returns how many nodes still hold the user.
    private static readonly LuaScript Leave = LuaScript.Prepare("""
        redis.call('ZREM', @key, @node)
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', @now)
        return redis.call('ZCARD', @key)
        """);

    private readonly string _node = $"{redis.NodeName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public async Task<bool> JoinAsync(string userId, CancellationToken ct = default) =>
        (long)await redis.Database.ScriptEvaluateAsync(Join, Arguments(userId)) == 0;

    public async Task<bool> LeaveAsync(string userId, CancellationToken ct = default) =>
        (long)await redis.Database.ScriptEvaluateAsync(Leave, Arguments(userId)) == 0;

    public bool IsOnlineAnywhere(string userId) =>
        redis.IsConnected && redis.Database.SortedSetLength(Key(userId), Now(), double.PositiveInfinity) > 0;

    /// <summary>Keeps this node's entries alive for the users it still holds.</summary>
    public async Task RefreshAsync(IEnumerable<string> userIds)
    {
        if (!redis.IsConnected) return;
        var batch = redis.Database.CreateBatch();
        var expires = Now() + Lifetime.TotalMilliseconds;
        var writes = new List<Task>();
        foreach (var userId in userIds)
        {
            writes.Add(batch.SortedSetAddAsync(Key(userId), _node, expires));
            writes.Add(batch.KeyExpireAsync(Key(userId), Lifetime));
        }
        batch.Execute();
        await Task.WhenAll(writes);
    }

    private object Arguments(string userId) => new
    {
        key = Key(userId),
        node = _node,
        now = Now(),
        expires = Now() + Lifetime.TotalMilliseconds,
        lifetime = (long)Lifetime.TotalMilliseconds,
    };

    private double Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static RedisKey Key(string userId) => $"{RedisConnection.KeyPrefix}presence:{userId}";
}

/// <summary>Refreshes this node's presence entries while it holds connections, and after Redis comes back empty.</summary>
public sealed class PresenceRefresh(PresenceTracker presence, RedisPresence shared, ILogger<PresenceRefresh> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RedisPresence.RefreshEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await shared.RefreshAsync(presence.OnlineHere.ToList());
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Presence refresh skipped: Redis is unavailable.");
            }
        }
    }
}
