using System.Linq.Expressions;

namespace FriendConnect.Domain.Users;

internal static class UserQueries
{
    public static readonly Expression<Func<User, UserSummary>> ToSummary =
        u => new UserSummary(u.Id, u.UserName!, u.DisplayName, u.StatusText, u.StatusAt);
}
