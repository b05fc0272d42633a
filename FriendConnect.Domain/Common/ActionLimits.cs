using FriendConnect.Domain.Common;

namespace FriendConnect.Domain.Common;

/// <summary>Per-user limits on actions that others receive; bound from the "ActionLimits" configuration section.</summary>
public sealed class ActionLimits
{
    public const string SectionName = "ActionLimits";

    public int FriendRequestsPerDay { get; set; } = 100;
    public int ReportsPerDay { get; set; } = 50;
    public int StatusUpdatesPerHour { get; set; } = 60;

    /// <summary>
    /// The refusal when <paramref name="recent"/> (times of the user's successful actions, oldest first, inside the window)
    /// has reached <paramref name="limit"/>; the user may act again when the oldest one leaves the window.
    /// </summary>
    internal static DomainError? Check(IReadOnlyList<DateTime> recent, int limit, TimeSpan window, DateTime now, string what)
    {
        if (recent.Count < limit) return null;
        var retryAfter = recent[recent.Count - limit] + window - now;
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
