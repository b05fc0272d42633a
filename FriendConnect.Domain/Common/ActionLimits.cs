using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Common;

/// <summary>Per-user limits on actions that others receive; bound from the "ActionLimits" configuration section.</summary>
public sealed class ActionLimits
{
    public const string SectionName = "ActionLimits";

    [Range(1, 1_000_000)]
    public int FriendRequestsPerDay { get; set; } = 100;
    [Range(1, 1_000_000)]
    public int ReportsPerDay { get; set; } = 50;
    [Range(1, 1_000_000)]
    public int StatusUpdatesPerHour { get; set; } = 60;
    [Range(1, 1_000_000)]
    public int PhotoUploadsPerDay { get; set; } = 10;

    /// <summary>Pixels a person's uploads may have decoded in an hour, in millions: about six of the largest PNGs.</summary>
    [Range(1, 1_000_000)]
    public int PhotoMegapixelsPerHour { get; set; } = 100;

    /// <summary>
    /// The refusal when the user's successful actions (<paramref name="actedAt"/>) inside the window have reached
    /// <paramref name="limit"/>; the user may act again when the one that makes the limit leaves the window.
    /// </summary>
    internal static async Task<DomainError?> CheckAsync(
        IQueryable<DateTime> actedAt, int limit, TimeSpan window, DateTime now, string what, CancellationToken ct)
    {
        var since = now - window;
        // A count answers almost every call; the times themselves are read only when the limit is reached.
        return await CheckAsync(actedAt, await actedAt.CountAsync(t => t > since, ct), limit, window, now, what, ct);
    }

    /// <summary>The same rule for a caller that counted the actions inside the window with its other guards.</summary>
    internal static async Task<DomainError?> CheckAsync(
        IQueryable<DateTime> actedAt, int count, int limit, TimeSpan window, DateTime now, string what, CancellationToken ct)
    {
        if (count < limit) return null;
        var since = now - window;
        var inWindow = actedAt.Where(t => t > since);
        var freesUp = await inWindow.OrderBy(t => t).Skip(count - limit).FirstAsync(ct);
        var retryAfter = freesUp + window - now;
        if (retryAfter < TimeSpan.FromSeconds(1)) retryAfter = TimeSpan.FromSeconds(1);
        return DomainError.LimitReached(
            $"You have reached the limit of {limit} {what}. You can try again in {Describe(retryAfter)}.", retryAfter);
    }

    internal static string Describe(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => $"{Math.Ceiling(span.TotalSeconds)} seconds",
        { TotalMinutes: < 2 } => "a minute",
        { TotalHours: < 1 } => $"{Math.Ceiling(span.TotalMinutes)} minutes",
        { TotalHours: < 2 } => "about an hour",
        _ => $"about {Math.Round(span.TotalHours)} hours",
    };
}
