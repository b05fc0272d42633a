using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Domain.Data;

/// <summary>
/// The same model on PostgreSQL, with its own migrations in Data/PostgresMigrations. Only what PostgreSQL needs
/// differently is here: trigram indexes for the directory search, byte-order collation for names (so lists sort as on
/// SQLite and prefix searches can use an index), and times stored as UTC and read back as SQLite reads them.
/// </summary>
public sealed class PostgresFriendConnectDbContext(DbContextOptions<PostgresFriendConnectDbContext> options)
    : FriendConnectDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        base.ConfigureConventions(configuration);
        configuration.Properties<DateTime>().HaveConversion<UtcTimestampConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcTimestampConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQLite's FTS5 search table has no counterpart here: pg_trgm indexes the names in place (PostgresNameSearch).
        builder.Ignore<UserSearchEntry>();
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<User>(user =>
        {
            user.Property(u => u.NormalizedUserName).UseCollation("C");
            user.Property(u => u.NormalizedDisplayName).UseCollation("C");
            user.HasIndex(u => u.NormalizedUserName, "IX_AspNetUsers_NormalizedUserName_Trigram")
                .HasMethod("gin").HasOperators("gin_trgm_ops");
            user.HasIndex(u => u.NormalizedDisplayName, "IX_AspNetUsers_NormalizedDisplayName_Trigram")
                .HasMethod("gin").HasOperators("gin_trgm_ops");
        });
    }

    /// <summary>
    /// The domain's times are UTC without a kind, as SQLite returns them; PostgreSQL's timestamptz wants them marked UTC.
    /// </summary>
    private sealed class UtcTimestampConverter() : ValueConverter<DateTime, DateTime>(
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Unspecified));
}

/// <summary>
/// Options for a context made outside the app's container (the tests' template database). Identity shapes its tables
/// from the app's Identity options, so those are supplied too: the model is then exactly the app's.
/// </summary>
/// <remarks>
/// No design-time factory: the tools take the context from the app's own services (see docs/decisions/015 for the
/// arguments that select PostgreSQL). A factory for the subclass would also answer for the base context, because the
/// factory interface is covariant, and SQLite's migrations would be scaffolded for PostgreSQL.
/// </remarks>
internal static class StandaloneContextOptions
{
    public static DbContextOptions<TContext> For<TContext>(Action<DbContextOptionsBuilder<TContext>> useProvider)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        useProvider(builder);
        return builder
            .UseApplicationServiceProvider(new ServiceCollection()
                .Configure<IdentityOptions>(options => options.ApplyFriendConnectRules())
                .BuildServiceProvider())
            .Options;
    }
}
