using System.Collections.Concurrent;
using FriendConnect.Domain.Notifications;
using FriendConnect.Web.Scaling;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FriendConnect.Tests.Scaling;

/// <summary>Anyone who can publish on the nodes' channel is not a node: only messages the nodes signed reach a page or a stream.</summary>
public sealed class LiveEventSigningTests : IAsyncLifetime
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("friendconnect:live");
    private const string SigningKey = "the nodes' shared secret, 32 characters or more";
    private RedisServer _redis = default!;
    private readonly List<IDisposable> _owned = [];
    private readonly List<RedisLiveEvents> _nodes = [];

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.StopAsync(CancellationToken.None);
        foreach (var owned in _owned) owned.Dispose();
        await _redis.DisposeAsync();
    }

    private async Task<RedisLiveEvents> NodeAsync(string name)
    {
        var connection = new RedisConnection(new RealtimeOptions { Redis = _redis.ConnectionString, Node = name }, NullLogger<RedisConnection>.Instance);
        _owned.Add(connection);
        var node = new RedisLiveEvents(connection, new RealtimeOptions { SigningKey = SigningKey }, TimeProvider.System, NullLogger<RedisLiveEvents>.Instance);
        await node.StartAsync(CancellationToken.None);
        _nodes.Add(node);
        return node;
    }

    [Fact]
    public void A_signed_message_opens_as_sent_and_not_once_changed_or_played_again_after_a_minute()
    {
        var clock = new Infrastructure.TestClock(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var signature = new LiveMessageSignature(SigningKey, clock);
        byte[] payload = [1, 2, 3, 4];
        var message = signature.Sign(payload);

        Assert.Equal(LiveMessageCheck.Valid, signature.Open(message, out var opened));
        Assert.Equal(payload, opened.ToArray());
        var changed = message.ToArray();
        changed[^1] ^= 1;
        Assert.Equal(LiveMessageCheck.BadSignature, signature.Open(changed, out _));
        Assert.Equal(LiveMessageCheck.BadSignature, signature.Open(payload, out _));

        clock.Advance(LiveMessageSignature.MaxAge + TimeSpan.FromSeconds(1));
        Assert.Equal(LiveMessageCheck.Expired, signature.Open(message, out _));
    }

    [Fact]
    public async Task A_message_a_plain_redis_client_publishes_reaches_nobody_and_one_the_other_node_signed_does()
    {
        var (one, two) = (await NodeAsync("node1"), await NodeAsync("node2"));
        var received = new ConcurrentQueue<LiveEvent>();
        using var _ = two.Subscribe("victim", e => { received.Enqueue(e); return Task.CompletedTask; });
        using var forger = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);

        var forged = LiveEventWire.Serialize(new LiveEventEnvelope("forger", ["victim"], new LiveEvent(LiveChange.SignedOut, "Forged sign-out")));
        await forger.GetSubscriber().PublishAsync(Channel, forged);
        await forger.GetSubscriber().PublishAsync(Channel, (byte[])[.. new byte[40], .. forged]);
        var otherSecret = new LiveMessageSignature("a secret of another installation, long enough", TimeProvider.System);
        await forger.GetSubscriber().PublishAsync(Channel, otherSecret.Sign(forged));
        await one.PublishAsync(["victim"], new LiveEvent(LiveChange.Notifications, "From node one"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!received.Any(e => e.Message == "From node one"))
        {
            Assert.True(DateTime.UtcNow < deadline, "The signed event from node one never arrived on node two.");
            await Task.Delay(20);
        }
        // One channel, one connection: what was published earlier would have arrived earlier.
        Assert.DoesNotContain(received, e => e.Message == "Forged sign-out");
        Assert.Single(received);
    }
}
