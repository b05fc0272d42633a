using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Domain.Users;

public class User : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Upper-cased display name, for case-insensitive search.</summary>
    public string NormalizedDisplayName { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    /// <summary>The newest status text, kept beside the user so lists need no join.</summary>
    public string? StatusText { get; set; }

    public DateTime? StatusAt { get; set; }
}
