namespace FriendConnect.Web.Scaling;

/// <summary>
/// Configuration section "Realtime": where several nodes serve one community. Unset, everything stays in the process
/// (one machine); with <see cref="Redis"/> set, live events, presence, sign-in counts, Data Protection keys and
/// persisted circuits are shared through Redis (docs/decisions/016-two-nodes-on-redis.md).
/// </summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>A StackExchange.Redis connection string, e.g. <c>10.0.0.5:6379,password=…</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// This node's name, which nginx routes by: the app sets the <see cref="NodeCookie"/> cookie to it, so a browser's
    /// pages and circuits stay on the node that served it first. Defaults to the machine name.
    /// </summary>
    public string? Node { get; set; }

    public const string NodeCookie = "fc_node";

    public static RealtimeOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<RealtimeOptions>() ?? new RealtimeOptions();

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

    public string NodeName => string.IsNullOrWhiteSpace(Node) ? Environment.MachineName : Node;
}
