using System.ComponentModel.DataAnnotations;

namespace FriendConnect.Web.Scaling;

/// <summary>
/// Configuration section "Realtime": where several nodes serve one community. Unset, everything stays in the process
/// (one machine); with <see cref="Redis"/> set, live events, presence, sign-in counts, Data Protection keys and
/// persisted circuits are shared through Redis (docs/decisions/016-two-nodes-on-redis.md).
/// </summary>
public sealed class RealtimeOptions : IValidatableObject
{
    public const string SectionName = "Realtime";

    /// <summary>A StackExchange.Redis connection string, e.g. <c>10.0.0.5:6379,ssl=true,user=friendconnect,password=…</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// The CA certificate (PEM) that signed Redis' TLS certificate, when that is not a CA the machine trusts already:
    /// with <c>ssl=true</c> in <see cref="Redis"/>, the node accepts a Redis certificate issued by it.
    /// </summary>
    public string? RedisCertificateAuthority { get; set; }

    /// <summary>
    /// This node's name, which nginx routes by: the app sets the <see cref="NodeCookie"/> cookie to it, so a browser's
    /// pages and circuits stay on the node that served it first. Defaults to the machine name.
    /// </summary>
    public string? Node { get; set; }

    public const string NodeCookie = "fc_node";

    /// <summary>
    /// The secret the nodes sign their live messages with (<see cref="LiveMessageSignature"/>), the same on every node:
    /// required with <see cref="Redis"/>, so that a client that can publish on the channel cannot forge an event.
    /// </summary>
    public string? SigningKey { get; set; }

    public const int MinimumSigningKeyLength = 32;

    public static RealtimeOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<RealtimeOptions>() ?? new RealtimeOptions();

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

    public string NodeName => string.IsNullOrWhiteSpace(Node) ? Environment.MachineName : Node;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesRedis && SigningKey is not { Length: >= MinimumSigningKeyLength })
            yield return new($"Nodes sharing Redis sign their live messages with a secret of at least {MinimumSigningKeyLength} characters, " +
                "the same on every node (for example the output of `openssl rand -base64 32`).", [nameof(SigningKey)]);
        if (!string.IsNullOrWhiteSpace(RedisCertificateAuthority) && !File.Exists(RedisCertificateAuthority))
            yield return new($"There is no file {RedisCertificateAuthority}: give the CA certificate (PEM) that signed Redis' certificate.",
                [nameof(RedisCertificateAuthority)]);
    }
}
