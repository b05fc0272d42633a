using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Presence;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Safety;

/// <summary>
/// Each test gets its own <see cref="DomainFixture"/> (a fresh migrated SQLite file). A dedicated moderator is made
/// before anyone else, so every other user in a test is a plain user.
/// </summary>
public abstract class SafetyTestBase : IAsyncLifetime
{
    protected readonly DomainFixture App = new();

    protected User Moderator { get; private set; } = default!;

    protected FriendshipService Friendships => App.Get<FriendshipService>();
    protected UserDirectory Directory => App.Get<UserDirectory>();
    protected StatusService Statuses => App.Get<StatusService>();
    protected PrivacyService Privacy => App.Get<PrivacyService>();
    protected SuggestionService Suggestions => App.Get<SuggestionService>();
    protected ReportService Reports => App.Get<ReportService>();
    protected ModerationService Moderation => App.Get<ModerationService>();
    protected NotificationService Notifications => App.Get<NotificationService>();
    protected PresenceTracker Presence => App.Get<PresenceTracker>();
    protected AccountExportService Export => App.Get<AccountExportService>();
    protected ActionLimits Limits => App.Get<ActionLimits>();

    public virtual async Task InitializeAsync()
    {
        await App.InitializeAsync();
        Moderator = await AddUserAsync("moderator", "Moderator Mo");
        await Moderation.GrantAsync("moderator");
        Assert.True(await Moderation.IsModeratorAsync(Moderator.Id));
    }

    public Task DisposeAsync() => App.DisposeAsync();

    /// <summary>Writes a user row directly: no password hashing, no first-user promotion, no live events.</summary>
    protected async Task<User> AddUserAsync(string userName, string? displayName = null) =>
        (await AddUsersAsync([(userName, displayName ?? userName)]))[0];

    protected async Task<IReadOnlyList<User>> AddUsersAsync(IEnumerable<(string UserName, string DisplayName)> people)
    {
        var users = people.Select(p => new User
        {
            Id = Guid.NewGuid().ToString(),
            UserName = p.UserName,
            NormalizedUserName = p.UserName.ToUpperInvariant(),
            DisplayName = p.DisplayName,
            NormalizedDisplayName = p.DisplayName.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString(),
            CreatedAt = App.Clock.GetUtcNow().UtcDateTime,
        }).ToList();
        await using var db = App.NewDbContext();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users;
    }

    /// <summary>Writes both friendship rows directly (setup only; no request, notification or live event).</summary>
    protected async Task BefriendAsync(User a, User b)
    {
        await using var db = App.NewDbContext();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        db.Friendships.AddRange(
            new Friendship { UserId = a.Id, FriendId = b.Id, CreatedAt = now },
            new Friendship { UserId = b.Id, FriendId = a.Id, CreatedAt = now });
        await db.SaveChangesAsync();
    }

    /// <summary>Makes two users friends the real way: a request, then an accept (writes the usual notifications).</summary>
    protected async Task BefriendViaRequestAsync(User from, User to)
    {
        (await Friendships.SendRequestAsync(from.Id, to.Id)).ShouldBeOk();
        var request = Assert.Single(await Friendships.GetIncomingAsync(to.Id), r => r.OtherUser.Id == from.Id);
        (await Friendships.AcceptAsync(request.Id, to.Id)).ShouldBeOk();
    }

    protected async Task SetPrivacyAsync(User user, PrivacySettings settings) =>
        (await Privacy.UpdateSettingsAsync(user.Id, settings)).ShouldBeOk();

    protected async Task<FeedItem> PostAsync(User author, string text) =>
        (await Statuses.PostAsync(author.Id, text)).ShouldBeOk();

    protected async Task<long> RequestIdAsync(User from, User to)
    {
        await using var db = App.NewDbContext();
        return await db.FriendRequests
            .Where(r => r.FromUserId == from.Id && r.ToUserId == to.Id)
            .OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync();
    }

    protected async Task<long> OpenReportIdAsync(User reporter, User target, long? statusId = null)
    {
        await using var db = App.NewDbContext();
        return await db.Reports
            .Where(r => r.ReporterId == reporter.Id && r.TargetUserId == target.Id && r.StatusId == statusId && r.State == ReportState.Open)
            .Select(r => r.Id).SingleAsync();
    }

    protected async Task<bool> AreFriendsAsync(User a, User b)
    {
        await using var db = App.NewDbContext();
        return await db.Friendships.AnyAsync(f => (f.UserId == a.Id && f.FriendId == b.Id) || (f.UserId == b.Id && f.FriendId == a.Id));
    }

    /// <summary>Row counts and states of everything a user action can write, to prove a refused action changed nothing.</summary>
    protected async Task<string> DatabaseFingerprintAsync()
    {
        await using var db = App.NewDbContext();
        var requests = string.Join(",", (await db.FriendRequests.OrderBy(r => r.Id).Select(r => new { r.Id, r.State }).ToListAsync())
            .Select(r => $"{r.Id}:{r.State}"));
        var users = string.Join(",", (await db.Users.OrderBy(u => u.Id)
                .Select(u => new { u.Id, u.StatusText, u.Privacy.WhoSeesStatus, u.Privacy.WhoSeesFriends, u.Privacy.WhoCanSendRequests, u.Privacy.ShowInDirectory })
                .ToListAsync())
            .Select(u => $"{u.Id}:{u.StatusText}:{u.WhoSeesStatus}/{u.WhoSeesFriends}/{u.WhoCanSendRequests}/{u.ShowInDirectory}"));
        return $"friendships={await db.Friendships.CountAsync()} statuses={await db.StatusUpdates.CountAsync()} "
            + $"notifications={await db.Notifications.CountAsync()} unread={await db.Notifications.CountAsync(n => n.ReadAt == null)} "
            + $"reports={await db.Reports.CountAsync()} blocks={await db.Blocks.CountAsync()} mutes={await db.Mutes.CountAsync()} "
            + $"requests=[{requests}] users=[{users}]";
    }
}

internal static class SafetyAssertions
{
    public static DomainError ShouldFail(this Result result, ErrorKind kind)
    {
        Assert.False(result.Succeeded, $"Expected {kind}, but the operation succeeded.");
        Assert.True(kind == result.Error!.Kind, $"Expected {kind}, got {result.Error.Kind}: {result.Error.Message}");
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        return result.Error;
    }

    public static void ShouldBeOk(this Result result) =>
        Assert.True(result.Succeeded, "Expected success, got: " + string.Join(" ", result.Errors.Select(e => $"{e.Kind}: {e.Message}")));

    public static T ShouldBeOk<T>(this Result<T> result)
    {
        ((Result)result).ShouldBeOk();
        return result.Value!;
    }
}

/// <summary>Collects every mismatch of a matrix before failing, so one failure shows the whole picture.</summary>
internal sealed class Expectations
{
    private readonly List<string> _problems = [];

    public void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            _problems.Add($"{what}: expected {Show(expected)}, actual {Show(actual)}");
    }

    public void True(bool condition, string what)
    {
        if (!condition) _problems.Add(what);
    }

    public void Verify() =>
        Assert.True(_problems.Count == 0, $"{_problems.Count} mismatch(es):\n  " + string.Join("\n  ", _problems));

    private static string Show<T>(T value) => value is null ? "null" : value.ToString()!;
}
