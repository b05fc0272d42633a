using FriendConnect.Domain.Presence;
using FriendConnect.Web.Auth;
using FriendConnect.Web.Scaling;
using Microsoft.Extensions.Logging.Abstractions;

namespace FriendConnect.Tests.Scaling;

/// <summary>What two nodes share through one Redis: sign-in guesses and presence, each node with its own connection.</summary>
public sealed class SharedCountsTests : IAsyncLifetime
{
    private RedisServer _redis = default!;
    private readonly List<IDisposable> _owned = [];

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned) owned.Dispose();
        await _redis.DisposeAsync();
    }

    private RedisConnection Node(string name)
    {
        var connection = new RedisConnection(new RealtimeOptions { Redis = _redis.ConnectionString, Node = name }, NullLogger<RedisConnection>.Instance);
        _owned.Add(connection);
        return connection;
    }

    private SignInLimiter Limiter(RedisConnection node)
    {
        var limiter = new SignInLimiter(new SignInLimitOptions { FailuresPerAccountAndAddress = 5 }, new RedisSignInCounts(node));
        _owned.Add(limiter);
        return limiter;
    }

    [Fact]
    public void Wrong_guesses_on_one_node_use_up_the_same_account_and_address_on_the_other()
    {
        var (one, two) = (Limiter(Node("node1")), Limiter(Node("node2")));
        for (var i = 0; i < 3; i++) one.RecordFailure("203.0.113.9", "pat");
        for (var i = 0; i < 2; i++) two.RecordFailure("203.0.113.9", "pat");

        var wait = one.WaitBeforeGuess("203.0.113.9", "pat");
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        Assert.NotNull(two.WaitBeforeGuess("203.0.113.9", "pat"));
        Assert.Null(two.WaitBeforeGuess("198.51.100.4", "pat"));
        Assert.Null(two.WaitBeforeGuess("203.0.113.9", "sam"));
    }

    [Fact]
    public void Wrong_guesses_at_one_account_from_many_addresses_on_two_nodes_add_up_to_the_account_limit()
    {
        var (one, two) = (Limiter(Node("node1")), Limiter(Node("node2")));
        var limit = new SignInLimitOptions().FailuresPerAccount;
        for (var i = 0; i < limit / 2; i++) one.RecordFailure($"203.0.113.{i + 1}", "pat");
        for (var i = 0; i < limit - limit / 2; i++) two.RecordFailure($"198.51.100.{i + 1}", "pat");

        Assert.NotNull(one.WaitBeforeGuess("192.0.2.1", "pat"));
        Assert.NotNull(two.WaitBeforeGuess("192.0.2.1", "pat"));
        Assert.Null(two.WaitBeforeGuess("192.0.2.1", "sam"));
    }

    [Fact]
    public async Task Without_Redis_each_node_still_counts_its_own_guesses_and_never_fails_a_sign_in()
    {
        var node = Node("node1");
        var limiter = Limiter(node);
        await _redis.KillAsync();

        for (var i = 0; i < 5; i++) limiter.RecordFailure("203.0.113.9", "pat");

        Assert.NotNull(limiter.WaitBeforeGuess("203.0.113.9", "pat"));
        Assert.Null(limiter.WaitBeforeGuess("203.0.113.9", "sam"));
    }

    [Fact]
    public async Task Someone_is_online_while_any_node_holds_them_and_offline_when_the_last_lets_go()
    {
        IPresenceShare one = new RedisPresence(Node("node1"), TimeProvider.System);
        IPresenceShare two = new RedisPresence(Node("node2"), TimeProvider.System);

        Assert.False(two.IsOnlineAnywhere("pat"));
        Assert.True(await one.JoinAsync("pat"));
        Assert.True(two.IsOnlineAnywhere("pat"));
        Assert.False(await two.JoinAsync("pat"));
        Assert.False(await one.LeaveAsync("pat"));
        Assert.True(one.IsOnlineAnywhere("pat"));
        Assert.True(await two.LeaveAsync("pat"));
        Assert.False(one.IsOnlineAnywhere("pat"));
    }
}
