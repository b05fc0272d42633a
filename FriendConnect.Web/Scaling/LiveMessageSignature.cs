using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FriendConnect.Web.Scaling;

public enum LiveMessageCheck
{
    Valid,
    /// <summary>Not signed with the nodes' secret: published by something that is not a node.</summary>
    BadSignature,
    /// <summary>Signed, but sent longer ago than <see cref="LiveMessageSignature.MaxAge"/>: a recorded message played again.</summary>
    Expired,
}

/// <summary>
/// A live message between nodes is <c>HMAC-SHA256(secret, sent-at ‖ payload) ‖ sent-at ‖ payload</c>, with the nodes'
/// shared secret (<c>Realtime:SigningKey</c>): a client that may publish on the channel but does not hold the secret
/// cannot make one the nodes accept, and one it recorded is refused once it is older than <see cref="MaxAge"/>.
/// </summary>
public sealed class LiveMessageSignature(string secret, TimeProvider clock)
{
    private const int TagLength = HMACSHA256.HashSizeInBytes;
    private const int SentAtLength = sizeof(long);
    private const int HeaderLength = TagLength + SentAtLength;

    /// <summary>Generous for nodes whose clocks NTP keeps within a second of each other; a message takes milliseconds.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public byte[] Sign(ReadOnlySpan<byte> payload)
    {
        var message = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(TagLength, SentAtLength), clock.GetUtcNow().ToUnixTimeMilliseconds());
        payload.CopyTo(message.AsSpan(HeaderLength));
        HMACSHA256.HashData(_key, message.AsSpan(TagLength), message.AsSpan(0, TagLength));
        return message;
    }

    /// <summary>Checks a received message; when it is <see cref="LiveMessageCheck.Valid"/>, <paramref name="payload"/> is what was signed.</summary>
    public LiveMessageCheck Open(ReadOnlyMemory<byte> message, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        if (message.Length < HeaderLength) return LiveMessageCheck.BadSignature;
        Span<byte> expected = stackalloc byte[TagLength];
        HMACSHA256.HashData(_key, message.Span[TagLength..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, message.Span[..TagLength])) return LiveMessageCheck.BadSignature;
        var sentAt = BinaryPrimitives.ReadInt64BigEndian(message.Span.Slice(TagLength, SentAtLength));
        if (Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - sentAt) > MaxAge.TotalMilliseconds) return LiveMessageCheck.Expired;
        payload = message[HeaderLength..];
        return LiveMessageCheck.Valid;
    }
}
