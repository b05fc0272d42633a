using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

public sealed record Registration(string? UserName, string? Email, string? DisplayName, string Password);

/// <summary>Joining, finding an account to sign in to, and editing one's own profile. Scoped: it shares the Identity stores' context.</summary>
public sealed class AccountService(
    UserManager<User> users,
    FriendConnectDbContext scopedDb,
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    ModerationService moderation,
    ILiveEventPublisher live,
    TimeProvider clock)
{
    public async Task<Result<User>> RegisterAsync(Registration registration)
    {
        var userName = registration.UserName?.Trim() ?? "";
        var email = registration.Email?.Trim() ?? "";
        var displayName = registration.DisplayName?.Trim() ?? "";

        var errors = new List<DomainError>();
        if (userName.Length == 0 && email.Length == 0)
            errors.Add(DomainError.Validation("Choose a username or enter an e-mail address (or both).", nameof(Registration.UserName)));
        if (userName.Length > 0 && UserRules.ValidateUsername(userName, nameof(Registration.UserName)) is { } nameError)
            errors.Add(nameError);
        if (email.Length > 0 && UserRules.ValidateEmail(email, nameof(Registration.Email)) is { } emailError)
            errors.Add(emailError);
        if (displayName.Length > 0 && UserRules.ValidateDisplayName(displayName, nameof(Registration.DisplayName)) is { } displayError)
            errors.Add(displayError);
        if (errors.Count > 0) return Result<User>.Failure(errors);

        if (userName.Length > 0 && await users.FindByNameAsync(userName) is not null)
            errors.Add(DomainError.Validation($"The username '{userName}' is taken.", nameof(Registration.UserName)));
        if (email.Length > 0 && await users.FindByEmailAsync(email) is not null)
            errors.Add(DomainError.Validation("An account with this e-mail address already exists.", nameof(Registration.Email)));
        if (errors.Count > 0) return Result<User>.Failure(errors);

        var generated = userName.Length == 0;
        User user;
        for (var attempt = 1; ; attempt++)
        {
            // After a lost race, a random suffix keeps several people with the same e-mail name from colliding again.
            if (generated)
                userName = await FreeHandleAsync(attempt == 1
                    ? UserRules.HandleFromEmail(email)
                    : UserRules.HandleFromEmail(email) + Random.Shared.Next(10, 10000));
            user = new User
            {
                UserName = userName,
                Email = email.Length > 0 ? email : null,
                DisplayName = displayName.Length > 0 ? displayName : userName,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            user.NormalizedDisplayName = user.DisplayName.ToUpperInvariant();

            IdentityResult created;
            try
            {
                created = await users.CreateAsync(user, registration.Password);
            }
            catch (DbUpdateException)
            {
                // Lost a race for the same username or e-mail to another sign-up. A handle we picked is
                // ours to change, so pick the next free one; a name the person chose is theirs to change.
                scopedDb.ChangeTracker.Clear();
                if (generated && attempt < 10) continue;
                return DomainError.Validation("That username or e-mail address was just taken. Try another.",
                    generated ? nameof(Registration.Email) : nameof(Registration.UserName));
            }
            if (created.Succeeded) break;
            if (generated && attempt < 10 && created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))) continue;
            return Result<User>.Failure(created.Errors.Select(ToDomainError).ToList());
        }
        await moderation.PromoteIfFirstAsync(user.Id);
        return user;
    }

    /// <summary>Deletes the account and everything it wrote; its open sessions end and its friends' pages update.</summary>
    public async Task<Result> DeleteAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("Your account no longer exists.");
        List<string> friends;
        await using (var db = await dbFactory.CreateDbContextAsync())
            friends = await db.Friendships.Where(f => f.UserId == userId).Select(f => f.FriendId).ToListAsync();

        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded) return ToDomainError(deleted.Errors.First());
        await live.PublishAsync([userId], new LiveEvent(LiveChange.SignedOut));
        await live.PublishAsync(friends, new LiveEvent(LiveChange.Friends | LiveChange.Feed | LiveChange.Notifications | LiveChange.Requests));
        return Result.Success();
    }

    /// <summary>The account a sign-in name refers to: a username or an e-mail address, ignoring case.</summary>
    public async Task<User?> FindForSignInAsync(string userNameOrEmail)
    {
        var value = userNameOrEmail.Trim();
        if (value.Length == 0) return null;
        return await users.FindByNameAsync(value) ?? (value.Contains('@') ? await users.FindByEmailAsync(value) : null);
    }

    public async Task<Result> UpdateDisplayNameAsync(string userId, string? displayName)
    {
        var trimmed = displayName?.Trim() ?? "";
        if (UserRules.ValidateDisplayName(trimmed) is { } error) return error;
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("Your account no longer exists.");
        await using (var db = await dbFactory.CreateDbContextAsync())
            if (await AccountGuard.CheckActiveAsync(db, userId, clock.GetUtcNow().UtcDateTime, default) is { } inactive) return inactive;
        user.DisplayName = trimmed;
        user.NormalizedDisplayName = trimmed.ToUpperInvariant();
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return ToDomainError(updated.Errors.First());
        await live.PublishAsync([userId], new LiveEvent(LiveChange.Profile));
        return Result.Success();
    }

    /// <summary>
    /// What to tell someone whose sign-in was refused by a lockout: the suspension and its reason, but only
    /// once their password has been verified, so a suspension is never revealed to someone guessing.
    /// </summary>
    public async Task<string?> SuspensionNoticeAsync(User user, string password)
    {
        if (!user.IsSuspendedAt(clock.GetUtcNow().UtcDateTime) || !await users.CheckPasswordAsync(user, password)) return null;
        return user.SuspendedUntil == DateTime.MaxValue
            ? $"This account is suspended. Reason: {user.SuspensionReason}"
            : $"This account is suspended until {user.SuspendedUntil:yyyy-MM-dd HH:mm} UTC. Reason: {user.SuspensionReason}";
    }

    private async Task<string> FreeHandleAsync(string handle)
    {
        var candidate = handle;
        for (var n = 2; await users.FindByNameAsync(candidate) is not null; n++)
            candidate = $"{handle}{n}";
        return candidate;
    }

    private static DomainError ToDomainError(IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.InvalidUserName) =>
            DomainError.Validation(error.Description, nameof(Registration.UserName)),
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.InvalidEmail) =>
            DomainError.Validation(error.Description, nameof(Registration.Email)),
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) =>
            DomainError.Validation(error.Description, nameof(Registration.Password)),
        _ => DomainError.Validation(error.Description),
    };
}
