using FriendConnect.Domain.Common;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

/// <summary>
/// Setup for domain tests that writes rows straight to the database: no password hashing, no live events.
/// Use it for the people a test needs but is not about; tests of joining go through <c>AccountService</c>.
/// </summary>
internal static class DomainSeed
{
    public static async Task<User> SeedUserAsync(this DomainFixture app, string userName, string? displayName = null) =>
        (await app.SeedUsersAsync([(userName, displayName ?? userName)]))[0];

    public static async Task<IReadOnlyList<User>> SeedUsersAsync(
        this DomainFixture app, IEnumerable<(string UserName, string DisplayName)> people)
    {
        var users = people.Select(p => NewUser(app, p.UserName, p.DisplayName)).ToList();
        await using var db = app.NewDbContext();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users;
    }

    public static async Task MakeFriendsAsync(this DomainFixture app, User a, User b)
    {
        await using var db = app.NewDbContext();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        db.Friendships.AddRange(
            new Friendship { UserId = a.Id, FriendId = b.Id, CreatedAt = now },
            new Friendship { UserId = b.Id, FriendId = a.Id, CreatedAt = now });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Gives <paramref name="user"/> <paramref name="count"/> new friends in one bulk insert. Only the user's own
    /// row of each pair is written: that is what the friend cap counts, and it keeps a 5,000-friend seed fast.
    /// </summary>
    public static async Task SeedFriendsAsync(this DomainFixture app, User user, int count)
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var others = Enumerable.Range(0, count).Select(i => NewUser(app, $"f{prefix}{i}", $"Filler {i}")).ToList();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await using var db = app.NewDbContext();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Users.AddRange(others);
        db.Friendships.AddRange(others.Select(o => new Friendship { UserId = user.Id, FriendId = o.Id, CreatedAt = now }));
        await db.SaveChangesAsync();
    }

    public static DomainError ShouldFailWith(this Result result, ErrorKind kind)
    {
        Assert.False(result.Succeeded, $"Expected a {kind} error, but the operation succeeded.");
        Assert.Equal(kind, result.Error!.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        return result.Error;
    }

    public static void ShouldSucceed(this Result result) =>
        Assert.True(result.Succeeded, "Expected success, got: " + string.Join(" ", result.Errors.Select(e => $"{e.Kind}: {e.Message}")));

    private static User NewUser(DomainFixture app, string userName, string displayName) => new()
    {
        Id = Guid.NewGuid().ToString(),
        UserName = userName,
        NormalizedUserName = userName.ToUpperInvariant(),
        DisplayName = displayName,
        NormalizedDisplayName = displayName.ToUpperInvariant(),
        SecurityStamp = Guid.NewGuid().ToString(),
        CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
    };
}
