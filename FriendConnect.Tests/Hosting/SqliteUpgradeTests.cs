using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Hosting;

/// <summary>Existing SQLite installations keep their data through migrations that change how a value is stored.</summary>
public sealed class SqliteUpgradeTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fc-upgrade-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = default!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddFriendConnectDomain($"Data Source={_path}");
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_indefinite_suspension_stored_as_the_largest_date_becomes_the_plain_date_and_stays_indefinite()
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>().CreateDbContextAsync();
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        var converting = migrations.FindIndex(m => m.EndsWith("_IndefiniteSuspensionAsAPlainDate", StringComparison.Ordinal));
        await migrator.MigrateAsync(migrations[converting - 1]);
        // As the previous release wrote them: DateTime.MaxValue and DateTimeOffset.MaxValue for "indefinitely".
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "DisplayName", "NormalizedDisplayName", "CreatedAt",
                "SuspendedUntil", "LockoutEnd", "LockoutEnabled", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled",
                "AccessFailedCount", "NotificationsReadThrough", "WhoCanSendRequests", "WhoSeesStatus", "WhoSeesFriends", "ShowInDirectory")
            VALUES ('forever', 'forever', 'FOREVER', 'Forever', 'FOREVER', '2026-01-01 00:00:00',
                '9999-12-31 23:59:59.9999999', '9999-12-31 23:59:59.9999999+00:00', 1, 0, 0, 0, 0, 0, 0, 0, 0, 1),
                   ('week', 'week', 'WEEK', 'Week', 'WEEK', '2026-01-01 00:00:00',
                '2026-01-08 00:00:00', '2026-01-08 00:00:00+00:00', 1, 0, 0, 0, 0, 0, 0, 0, 0, 1);
            """);

        await db.Database.MigrateAsync();

        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id);
        Assert.Equal(ModerationRules.Indefinitely, users["forever"].SuspendedUntil);
        Assert.Equal(new DateTimeOffset(ModerationRules.Indefinitely, TimeSpan.Zero), users["forever"].LockoutEnd);
        Assert.True(ModerationRules.IsIndefinite(users["forever"].SuspendedUntil!.Value));
        Assert.Equal(new DateTime(2026, 1, 8), users["week"].SuspendedUntil);
        Assert.False(ModerationRules.IsIndefinite(users["week"].SuspendedUntil!.Value));
        Assert.Equal("This account is suspended. Reason: spam", SessionValidator.SuspensionNotice(users["forever"].SuspendedUntil!.Value, "spam"));
    }

    [Fact]
    public async Task Existing_usernames_get_their_skeleton_and_of_two_that_read_alike_only_the_older_keeps_it()
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>().CreateDbContextAsync();
        var migrations = db.Database.GetMigrations().ToList();
        var adding = migrations.FindIndex(m => m.EndsWith("_UserNameSkeleton", StringComparison.Ordinal));
        await db.GetService<IMigrator>().MigrateAsync(migrations[adding - 1]);
        string[] names = ["aIice", "alice", "Bob", "rnallory", "Mallory", "0scar-1"];
        for (var i = 0; i < names.Length; i++)
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "DisplayName", "NormalizedDisplayName", "CreatedAt",
                    "LockoutEnabled", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled",
                    "AccessFailedCount", "NotificationsReadThrough", "WhoCanSendRequests", "WhoSeesStatus", "WhoSeesFriends", "ShowInDirectory")
                VALUES ({0}, {0}, upper({0}), {0}, upper({0}), {1}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
                """, names[i], new DateTime(2026, 1, 1).AddDays(i));

        await db.Database.MigrateAsync();

        var skeletons = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, u => u.UserNameSkeleton);
        // The older of each pair that reads alike keeps the skeleton; the newer keeps its name and none.
        Assert.Equal(UserRules.UserNameSkeleton("aIice"), skeletons["aIice"]);
        Assert.Null(skeletons["alice"]);
        Assert.Equal(UserRules.UserNameSkeleton("rnallory"), skeletons["rnallory"]);
        Assert.Null(skeletons["Mallory"]);
        Assert.Equal(UserRules.UserNameSkeleton("Bob"), skeletons["Bob"]);
        Assert.Equal(UserRules.UserNameSkeleton("0scar-1"), skeletons["0scar-1"]);
        Assert.Equal("oscar-l", skeletons["0scar-1"]);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
    }
}
