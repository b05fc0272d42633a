using System.Net;

namespace FriendConnect.Web.Auth;

/// <summary>
/// The key a client's address is counted under: an IPv4 address as it is, an IPv6 client by its /64, which one
/// subscriber or one machine usually holds whole.
/// </summary>
public static class ClientNetwork
{
    public static string KeyOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPNetwork(new IPAddress(bytes), 64).ToString();
    }
}
