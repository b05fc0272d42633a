using FriendConnect.Domain;
using FriendConnect.Domain.Data;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Web.Commands;
using FriendConnect.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FriendConnect.Tests;

/// <summary>What an operator meets on PostgreSQL: migrations that never race, and backups left to PostgreSQL's tools.</summary>
public sealed class PostgresOperationsTests : IAsyncLifetime
{
    private readonly string _connectionString = PostgresTestServer.CreateEmptyDatabase("fc_ops");
    private ServiceProvider _services = default!;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fc-ops-{Guid.NewGuid():N}");

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddFriendConnectDomain(_connectionString, DatabaseProvider.Postgres);
        services.AddSingleton(sp =>
        {
            using var db = sp.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>().CreateDbContext();
            return Backups.For(db, _dataDirectory);
        });
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore")]
    public async Task Backup_and_restore_refuse_on_PostgreSQL_and_name_pg_dump(string name)
    {
        var command = AdminCommands.All.Single(c => c.Name == name);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await AdminCommands.RunAsync(command, _services, [Path.Combine(_dataDirectory, "b.zip")], output, error);

        Assert.NotEqual(0, code);
        Assert.Contains("pg_dump", error.ToString());
        Assert.False(Directory.Exists(_dataDirectory));
    }

    [Fact]
    public async Task Nodes_that_migrate_at_once_take_turns_and_each_migration_is_applied_once()
    {
        // The database is empty, as a new installation's first nodes meet it.
        var factory = _services.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>();
        DatabaseUpgrade Node() => new(factory, _services.GetRequiredService<Backups>(), Path.Combine(_dataDirectory, "backups"),
            TimeProvider.System, NullLogger.Instance);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Node().ApplyAsync())));

        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(0, await db.Users.CountAsync());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await PostgresTestServer.DropDatabaseAsync(_connectionString);
    }
}
