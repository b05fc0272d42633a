using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Data;

/// <summary>
/// The model, on SQLite: its migrations are in Data/Migrations. <see cref="PostgresFriendConnectDbContext"/> is the same
/// model on PostgreSQL, with its own migrations (one context type per provider, as EF Core's "Migrations with Multiple
/// Providers" describes).
/// </summary>
public class FriendConnectDbContext : IdentityDbContext<User>
{
    public FriendConnectDbContext(DbContextOptions<FriendConnectDbContext> options) : base(options) { }

    protected FriendConnectDbContext(DbContextOptions options) : base(options) { }

    public DbSet<FriendRequest> FriendRequests => Set<FriendRequest>();
    public DbSet<Friendship> Friendships => Set<Friendship>();
    public DbSet<StatusUpdate> StatusUpdates => Set<StatusUpdate>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationRead> NotificationReads => Set<NotificationRead>();
    public DbSet<Block> Blocks => Set<Block>();
    public DbSet<Mute> Mutes => Set<Mute>();
    public DbSet<SuggestionDismissal> SuggestionDismissals => Set<SuggestionDismissal>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<Photos.PhotoUpload> PhotoUploads => Set<Photos.PhotoUpload>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAuditChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAuditChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The audit log is append-only (docs/decisions/023): an entry is added with its action, never changed or removed.</summary>
    private void RefuseAuditChanges()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("Audit entries are never changed or deleted.");
    }

    private List<Live.DomainEvent> _recorded = [];

    /// <summary>Records what happened; it is published after this context's transaction commits (or its SaveChanges, without one).</summary>
    internal void Record(Live.DomainEvent domainEvent) => _recorded.Add(domainEvent);

    internal Live.DomainEvent[] TakeRecordedEvents()
    {
        var taken = _recorded.ToArray();
        _recorded = [];
        return taken;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(FriendConnectDbContext).Assembly);
    }
}
