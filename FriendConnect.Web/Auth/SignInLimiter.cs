using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.RateLimiting;

namespace FriendConnect.Web.Auth;

/// <summary>Configuration section "SignIn": how many wrong guesses are allowed, per client address and per account.</summary>
public sealed class SignInLimitOptions
{
    public const string SectionName = "SignIn";

    /// <summary>Failed sign-ins from one address, on any accounts, per <see cref="AddressWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int FailuresPerAddress { get; set; } = 50;
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed sign-ins to one account from one address, per <see cref="AccountWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int FailuresPerAccountAndAddress { get; set; } = 5;
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Failed sign-ins to one account from all addresses together, per <see cref="AccountWindow"/>; devices that signed
    /// in to the account before are not held by it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailuresPerAccount { get; set; } = 20;
}

/// <summary>
/// Failed sign-ins counted where every node sees them (several nodes behind one proxy): a fixed window per key that
/// starts with its first failure. Implementations throw when the store is unreachable; the limiter then counts on
/// this node alone.
/// </summary>
public interface ISharedSignInCounts
{
    /// <summary>Failures in the key's current window, and how long that window still runs.</summary>
    (long Failures, TimeSpan Left) Read(string key);

    void Add(string key, TimeSpan window);
}

/// <summary>
/// Counts failed sign-ins per client address, per account-and-address and per account from anywhere, and per known
/// device. Only failures count, so people behind one address who know their passwords are never slowed. A device that
/// signed in to the account before (<see cref="KnownDevices"/>) is held only by its own count, so neither guesses at
/// the account from elsewhere nor neighbours on a shared address keep its owner out; every other device is held by all
/// three others (docs/decisions/007-sign-in-limits.md, 017-device-cookies.md). An IPv6 client counts by its /64, which
/// one home or phone is given whole. With a shared store the counts hold across nodes (docs/decisions/016-two-nodes-on-redis.md).
/// </summary>
public sealed class SignInLimiter : IDisposable
{
    private readonly Limit _perAddress, _perAccountAndAddress, _perAccount, _perDevice;
    private readonly ISharedSignInCounts? _shared;
    private readonly ILogger<SignInLimiter>? _logger;

    public SignInLimiter(SignInLimitOptions options, ISharedSignInCounts? shared = null, ILogger<SignInLimiter>? logger = null)
    {
        _perAddress = new("address", options.FailuresPerAddress, options.AddressWindow);
        _perAccountAndAddress = new("account", options.FailuresPerAccountAndAddress, options.AccountWindow);
        _perAccount = new("account-anywhere", options.FailuresPerAccount, options.AccountWindow);
        // A copied device cookie buys no more guesses than one more address would.
        _perDevice = new("device", options.FailuresPerAccountAndAddress, options.AccountWindow);
        (_shared, _logger) = (shared, logger);
    }

    /// <summary>
    /// Null when another guess may be checked now; otherwise how long to wait. <paramref name="device"/> is the known
    /// device's id for this account, or null for any other device.
    /// </summary>
    public TimeSpan? WaitBeforeGuess(string address, string account, string? device = null)
    {
        if (device is not null && Wait([(_perDevice, device)]) is null) return null;
        var network = NetworkOf(address);
        return Wait([(_perAddress, network), (_perAccountAndAddress, Key(network, account)), (_perAccount, account)]);
    }

    public void RecordFailure(string address, string account, string? device = null)
    {
        var network = NetworkOf(address);
        List<(Limit Limit, string Key)> counted = [(_perAddress, network), (_perAccountAndAddress, Key(network, account)), (_perAccount, account)];
        if (device is not null) counted.Add((_perDevice, device));
        // Counted on this node as well: should the shared store fail later, this node still remembers the recent past.
        foreach (var (limit, key) in counted) limit.Local.AttemptAcquire(key).Dispose();
        if (_shared is not null)
            TryShared(() =>
            {
                foreach (var (limit, key) in counted) _shared.Add(limit.SharedKey(key), limit.Window);
                return null;
            }, out _);
    }

    /// <summary>The key an address counts under (<see cref="ClientNetwork"/>).</summary>
    public static string NetworkOf(string address) => IPAddress.TryParse(address, out var ip) ? ClientNetwork.KeyOf(ip) : address;

    private TimeSpan? Wait(IReadOnlyList<(Limit Limit, string Key)> checks)
    {
        if (_shared is not null && TryShared(() => SharedWait(checks), out var wait)) return wait;
        foreach (var (limit, key) in checks)
        {
            // Zero permits asks "is any left?" without using one up (fixed windows count whole permits; a token bucket
            // refills by fractions and would always say yes).
            using var lease = limit.Local.AttemptAcquire(key, 0);
            if (!lease.IsAcquired) return RetryAfter(lease, limit.Window);
        }
        return null;
    }

    private TimeSpan? SharedWait(IReadOnlyList<(Limit Limit, string Key)> checks)
    {
        foreach (var (limit, key) in checks)
        {
            var (failures, left) = _shared!.Read(limit.SharedKey(key));
            if (failures >= limit.Failures) return AtLeastASecond(left);
        }
        return null;
    }

    private bool TryShared(Func<TimeSpan?> read, out TimeSpan? wait)
    {
        try
        {
            wait = read();
            return true;
        }
        catch (Exception ex)
        {
            _logger?.LogWarning(ex, "The shared sign-in counts are unavailable; this node counts alone.");
            wait = null;
            return false;
        }
    }

    private static string Key(string network, string account) => $"{account}\n{network}";

    private static TimeSpan AtLeastASecond(TimeSpan left) => left < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left;

    private static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : fallback;

    public void Dispose()
    {
        foreach (var limit in new[] { _perAddress, _perAccountAndAddress, _perAccount, _perDevice }) limit.Local.Dispose();
    }

    /// <summary>One fixed-window count: on this node, and under <see cref="SharedKey"/> in the shared store.</summary>
    private sealed record Limit(string Name, int Failures, TimeSpan Window)
    {
        public PartitionedRateLimiter<string> Local { get; } = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Failures, Window = Window, QueueLimit = 0,
            }));

        public string SharedKey(string key) => $"{Name}:{key}";
    }
}
