using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FriendConnect.Domain.Data;

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
        notification.HasIndex(n => new { n.Kind, n.SubjectId });
    }
}
