using System.ComponentModel.DataAnnotations;
using System.Net;

namespace FriendConnect.Web.Hosting;

/// <summary>The reverse proxies whose X-Forwarded-* headers are believed, besides loopback (always trusted).</summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string SectionName = "Proxy";

    public List<string> KnownProxies { get; set; } = [];

    /// <summary>CIDR networks, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Count; i++)
            if (!IPAddress.TryParse(KnownProxies[i], out _))
                yield return new($"'{KnownProxies[i]}' is not an IP address.", [$"{nameof(KnownProxies)}:{i}"]);
        for (var i = 0; i < KnownNetworks.Count; i++)
            if (!IPNetwork.TryParse(KnownNetworks[i], out _))
                yield return new($"'{KnownNetworks[i]}' is not a network such as 10.0.0.0/24.", [$"{nameof(KnownNetworks)}:{i}"]);
    }
}
