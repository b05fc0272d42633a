using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FriendConnect.Domain.Data;

internal sealed class UserSearchEntryConfiguration : IEntityTypeConfiguration<UserSearchEntry>
{
    // The FTS5 table, its backfill and its triggers are raw SQL in the DirectorySearchIndex migration.
    public void Configure(EntityTypeBuilder<UserSearchEntry> entry) =>
        entry.HasNoKey().ToTable("UserSearch", t => t.ExcludeFromMigrations());
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.DisplayName).HasMaxLength(UserRules.DisplayNameMaxLength);
        user.Property(u => u.NormalizedDisplayName).HasMaxLength(UserRules.DisplayNameMaxLength);
        user.Property(u => u.StatusText).HasMaxLength(StatusRules.MaxLength);
        // E-mail is optional but unique when present (SQLite and PostgreSQL let NULLs repeat).
        user.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex").IsUnique();
        user.HasIndex(u => u.NormalizedDisplayName);
        // Usernames that read alike are refused by this index too, not only by the check before it (lost races).
        user.Property(u => u.UserNameSkeleton).HasMaxLength(256);
        user.HasIndex(u => u.UserNameSkeleton).IsUnique();
        // A friends list of very many friends is read in this order, keeping the friends' rows (FriendshipService).
        // The friends list's walk for people with very many friends (FriendshipService.GetFriendsAsync): the id makes it
        // covering, so the walk checks each person's friendship without reading their row.
        user.HasIndex(u => new { u.StatusAt, u.NormalizedUserName, u.Id }).IsDescending(true, false, false);
        // Also "IX_AspNetUsers_Directory" (NormalizedUserName, ShowInDirectory, NormalizedDisplayName, Id), created in the
        // PageQueryIndexes migration's SQL: a covering index for the directory's listing, search and total.
        // It is raw SQL because an index cannot mix an owned type's column with the owner's here.
        user.Property(u => u.SuspensionReason).HasMaxLength(500);
        user.Property(u => u.PhotoVersion).HasMaxLength(32);
        user.OwnsOne(u => u.Privacy, privacy =>
        {
            privacy.Property(p => p.WhoCanSendRequests).HasColumnName("WhoCanSendRequests");
            privacy.Property(p => p.WhoSeesStatus).HasColumnName("WhoSeesStatus");
            privacy.Property(p => p.WhoSeesFriends).HasColumnName("WhoSeesFriends");
            // Existing rows get true; the sentinel makes EF still write an explicit false.
            privacy.Property(p => p.ShowInDirectory).HasColumnName("ShowInDirectory").HasDefaultValue(true).HasSentinel(true);
        });
        user.Navigation(u => u.Privacy).IsRequired();
    }
}

internal sealed class FriendRequestConfiguration : IEntityTypeConfiguration<FriendRequest>
{
    public void Configure(EntityTypeBuilder<FriendRequest> request)
    {
        request.HasOne<User>().WithMany().HasForeignKey(r => r.FromUserId).OnDelete(DeleteBehavior.Cascade);
        request.HasOne<User>().WithMany().HasForeignKey(r => r.ToUserId).OnDelete(DeleteBehavior.Cascade);
        // At most one pending request per pair, whichever way round: the database settles races.
        request.HasIndex(r => new { r.PairLowId, r.PairHighId })
            .IsUnique()
            .HasFilter($"\"State\" = {(int)FriendRequestState.Pending}");
        request.HasIndex(r => new { r.ToUserId, r.State });
        request.HasIndex(r => new { r.FromUserId, r.State });
    }
}

internal sealed class FriendshipConfiguration : IEntityTypeConfiguration<Friendship>
{
    public void Configure(EntityTypeBuilder<Friendship> friendship)
    {
        friendship.HasKey(f => new { f.UserId, f.FriendId });
        friendship.HasOne<User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        friendship.HasOne<User>().WithMany().HasForeignKey(f => f.FriendId).OnDelete(DeleteBehavior.Cascade);
        friendship.HasIndex(f => f.FriendId);
    }
}

internal sealed class StatusUpdateConfiguration : IEntityTypeConfiguration<StatusUpdate>
{
    public void Configure(EntityTypeBuilder<StatusUpdate> status)
    {
        status.Property(s => s.Text).HasMaxLength(StatusRules.MaxLength);
        status.HasOne<User>().WithMany().HasForeignKey(s => s.AuthorId).OnDelete(DeleteBehavior.Cascade);
        status.HasIndex(s => new { s.AuthorId, s.CreatedAt });
        // Newest-first walk for the feed of a reader with very many friends.
        status.HasIndex(s => s.CreatedAt);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.HasOne<User>().WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Cascade);
        notification.HasOne<User>().WithMany().HasForeignKey(n => n.ActorId).OnDelete(DeleteBehavior.Cascade);
        notification.HasIndex(n => new { n.RecipientId, n.Id });
        notification.HasIndex(n => new { n.RecipientId, n.ReadAt });
        // Only request notifications are looked up by subject (to mark read or remove with their request); leaving
        // status notifications out of this index saves one index write per friend when a status fans out.
        notification.HasIndex(n => new { n.Kind, n.SubjectId })
            .HasFilter($"\"Kind\" = {(int)NotificationKind.FriendRequestReceived}");
        // A reader's status-post notifications are found friend by friend, newest first.
        notification.HasIndex(n => new { n.ActorId, n.Id });
    }
}

internal sealed class NotificationReadConfiguration : IEntityTypeConfiguration<NotificationRead>
{
    public void Configure(EntityTypeBuilder<NotificationRead> read)
    {
        read.HasKey(r => new { r.UserId, r.NotificationId });
        read.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        read.HasOne<Notification>().WithMany().HasForeignKey(r => r.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BlockConfiguration : IEntityTypeConfiguration<Block>
{
    public void Configure(EntityTypeBuilder<Block> block)
    {
        block.HasKey(b => new { b.BlockerId, b.BlockedId });
        block.HasOne<User>().WithMany().HasForeignKey(b => b.BlockerId).OnDelete(DeleteBehavior.Cascade);
        block.HasOne<User>().WithMany().HasForeignKey(b => b.BlockedId).OnDelete(DeleteBehavior.Cascade);
        block.HasIndex(b => b.BlockedId);
    }
}

internal sealed class MuteConfiguration : IEntityTypeConfiguration<Mute>
{
    public void Configure(EntityTypeBuilder<Mute> mute)
    {
        mute.HasKey(m => new { m.UserId, m.MutedId });
        mute.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        mute.HasOne<User>().WithMany().HasForeignKey(m => m.MutedId).OnDelete(DeleteBehavior.Cascade);
        mute.HasIndex(m => m.MutedId);
    }
}

internal sealed class SuggestionDismissalConfiguration : IEntityTypeConfiguration<SuggestionDismissal>
{
    public void Configure(EntityTypeBuilder<SuggestionDismissal> dismissal)
    {
        dismissal.HasKey(d => new { d.UserId, d.DismissedId });
        dismissal.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        dismissal.HasOne<User>().WithMany().HasForeignKey(d => d.DismissedId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PhotoUploadConfiguration : IEntityTypeConfiguration<Photos.PhotoUpload>
{
    public void Configure(EntityTypeBuilder<Photos.PhotoUpload> upload)
    {
        upload.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        upload.HasIndex(p => new { p.UserId, p.CreatedAt });
    }
}

internal sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> report)
    {
        report.Property(r => r.Details).HasMaxLength(Moderation.ReportRules.DetailsMaxLength);
        report.Property(r => r.Resolution).HasMaxLength(500);
        report.Property(r => r.SubjectKey).HasMaxLength(40);
        report.HasOne<User>().WithMany().HasForeignKey(r => r.ReporterId).OnDelete(DeleteBehavior.Cascade);
        report.HasOne<User>().WithMany().HasForeignKey(r => r.TargetUserId).OnDelete(DeleteBehavior.Cascade);
        report.HasOne<User>().WithMany().HasForeignKey(r => r.ResolvedById).OnDelete(DeleteBehavior.SetNull);
        report.HasOne<StatusUpdate>().WithMany().HasForeignKey(r => r.StatusId).OnDelete(DeleteBehavior.Cascade);
        // A second report of the same thing by the same person updates the first while it is open.
        report.HasIndex(r => new { r.ReporterId, r.TargetUserId, r.SubjectKey })
            .IsUnique()
            .HasFilter($"\"State\" = {(int)ReportState.Open}");
        report.HasIndex(r => new { r.State, r.CreatedAt });
        report.HasIndex(r => new { r.ReporterId, r.CreatedAt });
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditLog");
        entry.Property(e => e.Action).HasConversion<string>().HasMaxLength(40);
        entry.Property(e => e.Operator).HasMaxLength(AuditEntry.OperatorMaxLength);
        entry.Property(e => e.Reason).HasMaxLength(Moderation.ModerationRules.SuspensionReasonMaxLength);
        // Newest first, for everyone or for one person (as the actor or as the one acted on).
        entry.HasIndex(e => new { e.ActorId, e.Id });
        entry.HasIndex(e => new { e.TargetUserId, e.Id });
    }
}
