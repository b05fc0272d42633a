using System.ComponentModel.DataAnnotations;
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
/// Counts failed sign-ins per client address and per account-and-address. Only failures count, so people behind one
/// address who know their passwords are never slowed; and nobody elsewhere can use up an account's guesses, so a
/// known username cannot be locked out from another address (docs/decisions/007-sign-in-limits.md). With a shared
/// store the counts hold across nodes (docs/decisions/016-two-nodes-on-redis.md).
/// </summary>
public sealed class SignInLimiter(SignInLimitOptions options, ISharedSignInCounts? shared = null, ILogger<SignInLimiter>? logger = null) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.FailuresPerAddress, Window = options.AddressWindow, QueueLimit = 0,
        }));

    private readonly PartitionedRateLimiter<string> _perAccountAndAddress = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.FailuresPerAccountAndAddress, Window = options.AccountWindow, QueueLimit = 0,
        }));

    /// <summary>Null when another guess may be checked now; otherwise how long to wait.</summary>
    public TimeSpan? WaitBeforeGuess(string address, string account)
    {
        if (shared is not null && TryShared(() => SharedWait(address, account), out var wait)) return wait;
        // Zero permits asks "is any left?" without using one up (fixed windows count whole permits; a token bucket
        // refills by fractions and would always say yes).
        using var byAddress = _perAddress.AttemptAcquire(address, 0);
        if (!byAddress.IsAcquired) return RetryAfter(byAddress, options.AddressWindow);
        using var byAccount = _perAccountAndAddress.AttemptAcquire(Key(address, account), 0);
        return byAccount.IsAcquired ? null : RetryAfter(byAccount, options.AccountWindow);
    }

    public void RecordFailure(string address, string account)
    {
        // Counted on this node as well: should the shared store fail later, this node still remembers the recent past.
        _perAddress.AttemptAcquire(address).Dispose();
        _perAccountAndAddress.AttemptAcquire(Key(address, account)).Dispose();
        if (shared is not null)
            TryShared(() =>
            {
                shared.Add(SharedAddressKey(address), options.AddressWindow);
                shared.Add(SharedAccountKey(address, account), options.AccountWindow);
                return null;
            }, out _);
    }

    private TimeSpan? SharedWait(string address, string account)
    {
        var (byAddress, addressLeft) = shared!.Read(SharedAddressKey(address));
        if (byAddress >= options.FailuresPerAddress) return AtLeastASecond(addressLeft);
        var (byAccount, accountLeft) = shared.Read(SharedAccountKey(address, account));
        return byAccount >= options.FailuresPerAccountAndAddress ? AtLeastASecond(accountLeft) : null;
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
            logger?.LogWarning(ex, "The shared sign-in counts are unavailable; this node counts alone.");
            wait = null;
            return false;
        }
    }

    private static string SharedAddressKey(string address) => $"address:{address}";
    private static string SharedAccountKey(string address, string account) => $"account:{Key(address, account)}";
    private static string Key(string address, string account) => $"{account}\n{address}";

    private static TimeSpan AtLeastASecond(TimeSpan left) => left < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left;

    private static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : fallback;

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccountAndAddress.Dispose();
    }
}
