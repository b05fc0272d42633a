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
/// Counts failed sign-ins per client address and per account-and-address. Only failures count, so people behind one
/// address who know their passwords are never slowed; and nobody elsewhere can use up an account's guesses, so a
/// known username cannot be locked out from another address (docs/decisions/007-sign-in-limits.md).
/// </summary>
public sealed class SignInLimiter(SignInLimitOptions options) : IDisposable
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
        // Zero permits asks "is any left?" without using one up (fixed windows count whole permits; a token bucket
        // refills by fractions and would always say yes).
        using var byAddress = _perAddress.AttemptAcquire(address, 0);
        if (!byAddress.IsAcquired) return RetryAfter(byAddress, options.AddressWindow);
        using var byAccount = _perAccountAndAddress.AttemptAcquire(Key(address, account), 0);
        return byAccount.IsAcquired ? null : RetryAfter(byAccount, options.AccountWindow);
    }

    public void RecordFailure(string address, string account)
    {
        _perAddress.AttemptAcquire(address).Dispose();
        _perAccountAndAddress.AttemptAcquire(Key(address, account)).Dispose();
    }

    private static string Key(string address, string account) => $"{account}\n{address}";

    private static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : fallback;

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccountAndAddress.Dispose();
    }
}
