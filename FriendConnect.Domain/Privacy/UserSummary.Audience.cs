using System.Linq.Expressions;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Privacy;

namespace FriendConnect.Domain.Users;

/// <summary>The one place a <see cref="UserSummary"/> is made; what it shows is decided by <see cref="Audience"/>.</summary>
public sealed partial record UserSummary
{
    /// <summary>
    /// A user as <paramref name="viewer"/> may see them: status text and time only for its audience. The photo goes
    /// with the name: whoever may see the person may see their face.
    /// </summary>
    internal static Expression<Func<User, UserSummary>> SeenBy(FriendConnectDbContext db, Viewer viewer) =>
        Audience.Compose(Audience.SeesStatus(db, viewer), (u, sees) => new UserSummary(
            u.Id, u.UserName!, u.DisplayName, sees ? u.StatusText : null, sees ? u.StatusAt : null, u.PhotoVersion));

    /// <summary>A user as they see themselves (their own post, their own settings page).</summary>
    internal static UserSummary OfSelf(User user) => new(user.Id, user.UserName!, user.DisplayName, user.StatusText, user.StatusAt, user.PhotoVersion);

    /// <summary>Name only, where the status is beside the point and its presence could tell something (a report's outcome).</summary>
    internal UserSummary WithoutStatus() => new(Id, UserName, DisplayName, null, null, _photoVersion);
}
