using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace FriendConnect.Web.Auth;

/// <summary>
/// Device cookies (OWASP's defence against password guessing that cannot lock the owner out): after a sign-in with the
/// right password, the browser or script gets a cookie naming the account and a new random device id, sealed by Data
/// Protection so it cannot be made or altered elsewhere, and readable on every node that shares the keys. One cookie holds
/// the devices of a few accounts, for a computer a family shares. Only a request that carries it back is a known device;
/// a client without a cookie jar is always a new device (docs/decisions/017-device-cookies.md).
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection)
{
    public const string CookieName = "fc_device";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private const int AccountsPerCookie = 5;

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("FriendConnect.Auth.KnownDevices.v1").ToTimeLimitedDataProtector();

    /// <summary>The device id the request's cookie holds for the account; null when the account never signed in on it.</summary>
    public string? DeviceOf(HttpContext http, string userId) => Read(http).FirstOrDefault(d => d.UserId == userId)?.Device;

    /// <summary>
    /// Sets the cookie for the account with a new device id, before the password is checked: the bearer handler sends the
    /// response from inside the sign-in. Unless the caller keeps it, the offer is withdrawn from the response.
    /// </summary>
    public Offer OfferTo(HttpContext http, string userId)
    {
        var device = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var sealedDevice = _protector.Protect($"{userId}\n{device}", Lifetime);
        var kept = Read(http).Where(d => d.UserId != userId).Take(AccountsPerCookie - 1).Select(d => d.Sealed);
        http.Response.Cookies.Append(CookieName, string.Join('.', kept.Prepend(sealedDevice)), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            MaxAge = Lifetime,
            IsEssential = true,
        });
        return new Offer(http);
    }

    private IEnumerable<KnownDevice> Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) yield break;
        // Data Protection's output is base64url, which has no '.'.
        foreach (var sealedDevice in value.Split('.', AccountsPerCookie + 1).Take(AccountsPerCookie))
        {
            string plain;
            try
            {
                plain = _protector.Unprotect(sealedDevice);
            }
            catch (CryptographicException)
            {
                continue; // expired, from another installation, or altered
            }
            if (plain.Split('\n') is [var userId, var device]) yield return new(userId, device, sealedDevice);
        }
    }

    private sealed record KnownDevice(string UserId, string Device, string Sealed);

    public sealed class Offer(HttpContext http)
    {
        public void Withdraw()
        {
            if (http.Response.HasStarted) return;
            var prefix = CookieName + "=";
            http.Response.Headers.SetCookie = http.Response.Headers.SetCookie
                .Where(c => c is not null && !c.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        }
    }
}
