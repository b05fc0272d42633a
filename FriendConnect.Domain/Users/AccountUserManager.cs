using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendConnect.Domain.Users;

/// <summary>
/// Identity's user manager, with the one place where a new security stamp ends every open session: whatever renewed it
/// (a password change, set or reset, two-factor changes, "sign out everywhere", an e-mail change, a new external login),
/// every circuit and event stream of the account hears <see cref="SessionsEnded"/> as soon as it is saved.
/// </summary>
public sealed class AccountUserManager(
    IUserStore<User> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<User> passwordHasher,
    IEnumerable<IUserValidator<User>> userValidators,
    IEnumerable<IPasswordValidator<User>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<User>> logger,
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    LiveEventDispatcher live)
    : UserManager<User>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    /// <summary>Every account is created here (usernames never change afterwards), so its username's skeleton is set here.</summary>
    public override Task<IdentityResult> CreateAsync(User user)
    {
        user.UserNameSkeleton = user.UserName is null ? null : UserRules.UserNameSkeleton(user.UserName);
        return base.CreateAsync(user);
    }

    protected override async Task<IdentityResult> UpdateUserAsync(User user)
    {
        string? savedStamp;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken))
            savedStamp = await db.Users.Where(u => u.Id == user.Id).Select(u => u.SecurityStamp).FirstOrDefaultAsync(CancellationToken);
        var result = await base.UpdateUserAsync(user);
        if (result.Succeeded && savedStamp != user.SecurityStamp)
            await live.DispatchAsync(new SessionsEnded(user.Id));
        return result;
    }
}
