using FriendConnect.Web.Auth;
using StackExchange.Redis;

namespace FriendConnect.Web.Scaling;

/// <summary>Failed sign-ins counted in Redis, so a guesser gets the same number of guesses whichever node answers.</summary>
public sealed class RedisSignInCounts(RedisConnection redis) : ISharedSignInCounts
{
    // The window starts with its first failure and ends when the key expires.
    private static readonly LuaScript Increment = LuaScript.Prepare("""
        local n = redis.call('INCR', @key)
        if n == 1 then redis.call('PEXPIRE', @key, @window) end
        return n
        """);

    public (long Failures, TimeSpan Left) Read(string key)
    {
        var value = redis.Database.StringGetWithExpiry(Key(key));
        return value.Value.IsNull ? (0, TimeSpan.Zero) : ((long)value.Value, value.Expiry ?? TimeSpan.Zero);
    }

    public void Add(string key, TimeSpan window) =>
        redis.Database.ScriptEvaluate(Increment, new { key = Key(key), window = (long)window.TotalMilliseconds });

    private static RedisKey Key(string key) => $"{RedisConnection.KeyPrefix}sign-in:{key}";
}
