using System.Text.Json;
using FriendConnect.Domain.Users;

namespace FriendConnect.Domain.Notifications;

/// <summary>One published event on its way between nodes: who sent it, its recipients, and the event itself.</summary>
public sealed record LiveEventEnvelope(string Origin, IReadOnlyList<string> To, LiveEvent Event);

/// <summary>
/// The bytes that carry a <see cref="LiveEvent"/> from the node that committed the change to the nodes that hold the
/// recipients' connections. The payloads are the router's, already cut to what each recipient may see.
/// </summary>
public static class LiveEventWire
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new UserSummary.WireConverter() },
    };

    public static byte[] Serialize(LiveEventEnvelope envelope) => JsonSerializer.SerializeToUtf8Bytes(envelope, Options);

    public static LiveEventEnvelope Deserialize(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize<LiveEventEnvelope>(bytes, Options) ?? throw new JsonException("The live event was empty.");
}
