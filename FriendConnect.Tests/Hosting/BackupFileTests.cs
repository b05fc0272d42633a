using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using FriendConnect.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FriendConnect.Tests.Hosting;

/// <summary>A backup holds password hashes, authenticator keys and the Data Protection keys: only its owner may read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupFileTests : IAsyncLifetime
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"fc-backup-mode-{Guid.NewGuid():N}");
    private ServiceProvider _services = default!;

    private string Database => Path.Combine(_root, DataOptions.DatabaseFileName);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var services = new ServiceCollection();
        services.AddFriendConnectDomain($"Data Source={Database}");
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_backup_is_readable_and_writable_by_its_owner_only()
    {
        await using (var db = await NewDbContextAsync()) await db.Database.MigrateAsync();
        var keys = Directory.CreateDirectory(Path.Combine(_root, "keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(keys, "key-1.xml"), "<key/>");
        var backup = Path.Combine(_root, "backups", "nightly.zip");

        await new Backups(Database, keys).CreateAsync(backup);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(backup));
        Assert.Equal([backup], Directory.GetFiles(Path.GetDirectoryName(backup)!));
    }

    [Fact]
    public async Task An_older_backup_of_the_same_name_is_replaced_by_one_only_its_owner_may_read()
    {
        await using (var db = await NewDbContextAsync()) await db.Database.MigrateAsync();
        var backup = Path.Combine(_root, "nightly-Mon.zip");
        await File.WriteAllTextAsync(backup, "last week's");
        File.SetUnixFileMode(backup, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await new Backups(Database, Path.Combine(_root, "keys")).CreateAsync(backup);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(backup));
    }

    [Fact]
    public async Task The_backup_taken_before_an_upgrade_is_readable_by_its_owner_only()
    {
        await using (var db = await NewDbContextAsync())
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[^2]);
        }
        SqliteConnection.ClearAllPools();
        var backups = Path.Combine(_root, "backups");
        var upgrade = new DatabaseUpgrade(_services.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>(),
            new Backups(Database, Path.Combine(_root, "keys")), backups, TimeProvider.System, NullLogger.Instance);

        await upgrade.ApplyAsync();

        var before = Assert.Single(Directory.GetFiles(backups, "before-*.zip"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(before));
    }

    private Task<FriendConnectDbContext> NewDbContextAsync() =>
        _services.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>().CreateDbContextAsync();

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
