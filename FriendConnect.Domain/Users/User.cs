using FriendConnect.Domain.Privacy;
using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Domain.Users;

public class User : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Upper-cased display name, for case-insensitive search.</summary>
    public string NormalizedDisplayName { get; set; } = "";

    /// <summary>
    /// <see cref="UserRules.UserNameSkeleton"/> of the username, unique: no two handles read alike. Null only for an
    /// account that already read like an older one when the rule came in (docs/decisions/020).
    /// </summary>
    public string? UserNameSkeleton { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The newest status text, kept beside the user so lists need no join.</summary>
    public string? StatusText { get; set; }

    public DateTime? StatusAt { get; set; }

    public PrivacySettings Privacy { get; set; } = new();

    /// <summary>Set while a moderator has suspended the account; <see cref="Moderation.ModerationRules.Indefinitely"/> means indefinitely.</summary>
    public DateTime? SuspendedUntil { get; set; }

    public string? SuspensionReason { get; set; }

    /// <summary>Every friend's status-post notification up to this id is read ("mark all read").</summary>
    public long NotificationsReadThrough { get; set; }

    /// <summary>The current profile photo's version (its files are in the photo store), or null for initials.</summary>
    public string? PhotoVersion { get; set; }

    /// <summary>Set by a moderator: the user may not upload photos.</summary>
    public bool PhotoUploadsBlocked { get; set; }

    public bool IsSuspendedAt(DateTime utcNow) => SuspendedUntil is { } until && until > utcNow;
}
