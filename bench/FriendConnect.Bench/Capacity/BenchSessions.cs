using System.Net.Http.Json;

namespace FriendConnect.Bench.Capacity;

/// <summary>
/// Session cookies and stamped posts from the app's bench endpoints (Bench:Enabled): a real Identity cookie sign-in
/// without a password hash, so thousands of sessions can be made before a measurement instead of inside it.
/// The HttpClient must not keep cookies itself (<c>UseCookies = false</c>): each circuit carries its own.
/// </summary>
public static class BenchSessions
{
    public static async Task<string> SignInAsync(HttpClient http, string userName, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"/bench/sign-in/{Uri.EscapeDataString(userName)}", null, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies)) throw new InvalidOperationException($"No cookie for {userName}.");
        return string.Join("; ", cookies.Select(c => c.Split(';', 2)[0]));
    }

    /// <summary>Posts a status as <paramref name="userName"/>; the answer carries the server's Stopwatch ticks around StatusService.PostAsync.</summary>
    public static async Task<PostedStatus> PostStatusAsync(HttpClient http, string userName, string text, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"/bench/post-status/{Uri.EscapeDataString(userName)}?text={Uri.EscapeDataString(text)}", null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var posted = await response.Content.ReadFromJsonAsync<PostedStatus>(cancellationToken) ?? throw new InvalidOperationException("Empty answer.");
        if (!posted.Succeeded) throw new InvalidOperationException($"Post refused: {posted.Error}");
        return posted;
    }
}

public sealed record PostedStatus(long StartedTimestamp, long ReturnedTimestamp, bool Succeeded, string? Error);
