using FriendConnect.Domain.Notifications;
using StackExchange.Redis;

namespace FriendConnect.Web.Scaling;

/// <summary>
/// The bus of several nodes. Each published event reaches this node's own subscribers directly and every other node
/// through one Redis channel; a node hands what it receives to its local subscribers for the recipients it holds. The
/// payloads were cut per recipient by the router on the committing node. While Redis is away, events still reach this
/// node's subscribers and the others catch up on their next load (docs/decisions/002 and 016). Every message is signed
/// with the nodes' shared secret, and one that is not is dropped: anyone else who can publish on the channel is not a node.
/// </summary>
public sealed class RedisLiveEvents(RedisConnection redis, RealtimeOptions options, TimeProvider clock, ILogger<RedisLiveEvents> logger)
    : ILiveEventPublisher, ILiveEventSubscriber, IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisConnection.KeyPrefix + "live");
    // Its length is checked with the other settings at start-up (RealtimeOptions).
    private readonly LiveMessageSignature _signature = new(options.SigningKey
        ?? throw new InvalidOperationException($"{SigningKeyName} is not set: nodes sharing Redis sign their live messages with it."), clock);
    private const string SigningKeyName = RealtimeOptions.SectionName + ":" + nameof(RealtimeOptions.SigningKey);
    private readonly InProcessLiveEvents _local = new();
    // Unique per process, so two nodes given the same name still hear each other.
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private ChannelMessageQueue? _queue;
    private readonly SemaphoreSlim _subscribing = new(1, 1);

    public IDisposable Subscribe(string userId, Func<LiveEvent, Task> handler) => _local.Subscribe(userId, handler);

    public bool IsOnline(string userId) => _local.IsOnline(userId);

    public Task PublishAsync(IEnumerable<string> userIds, LiveEvent liveEvent)
    {
        var recipients = userIds as IReadOnlyList<string> ?? userIds.ToList();
        try
        {
            // Publishers never wait for receivers: the message is handed to the connection and the call returns.
            redis.Multiplexer.GetSubscriber().Publish(Channel,
                _signature.Sign(LiveEventWire.Serialize(new LiveEventEnvelope(_origin, recipients, liveEvent))), CommandFlags.FireAndForget);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A live event could not go to the other nodes; their pages catch up when they reload.");
        }
        return _local.PublishAsync(recipients, liveEvent);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.Multiplexer.ConnectionRestored += async (_, _) => await EnsureSubscribedAsync();
        await EnsureSubscribedAsync();
    }

    /// <summary>Subscribes once; a subscription that could not be made at start (Redis down) is made when Redis returns.</summary>
    private async Task EnsureSubscribedAsync()
    {
        await _subscribing.WaitAsync();
        try
        {
            if (_queue is not null) return;
            var queue = await redis.Multiplexer.GetSubscriber().SubscribeAsync(Channel);
            queue.OnMessage(Receive);
            _queue = queue;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not subscribe to other nodes' live events yet; trying again when Redis is back.");
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void Receive(ChannelMessage message)
    {
        try
        {
            var check = _signature.Open((ReadOnlyMemory<byte>)message.Message, out var payload);
            if (check != LiveMessageCheck.Valid)
            {
                logger.LogWarning("Dropped a live message on {Channel} that no node sent ({Check}): whoever can publish there without {Key} is not a node.",
                    Channel, check, SigningKeyName);
                return;
            }
            var envelope = LiveEventWire.Deserialize(payload.Span);
            if (envelope.Origin == _origin) return;
            // Not awaited: one slow page must not hold up the events of every other page on this node.
            _ = _local.PublishAsync(envelope.To, envelope.Event);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A live event from another node could not be read.");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is { } queue) await queue.UnsubscribeAsync();
    }
}
