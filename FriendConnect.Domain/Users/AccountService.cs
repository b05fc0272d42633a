using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Users;

/// <param name="EmailRequired">The installation confirms e-mail addresses before sign-in, so an account needs one.</param>
public sealed record Registration(string? UserName, string? Email, string? DisplayName, string Password, bool EmailRequired = false);

/// <summary>
/// A pending e-mail change: the new address and the token that confirms it (sent to that address), and the address the
/// account has now, if any, which is told of the request without a link.
/// </summary>
public sealed record EmailChange(string Email, string Token, string? PreviousEmail);

/// <summary>Joining, finding an account to sign in to, and editing one's own profile. Scoped: it shares the Identity stores' context.</summary>
public sealed class AccountService(
    UserManager<User> users,
    FriendConnectDbContext scopedDb,
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    ModerationService moderation,
    Photos.PhotoStore photos,
    LiveEventDispatcher live,
    TimeProvider clock)
{
    public async Task<Result<User>> RegisterAsync(Registration registration)
    {
        var userName = registration.UserName?.Trim() ?? "";
        var email = registration.Email?.Trim() ?? "";
        var displayName = "";

        var errors = new List<DomainError>();
        if (registration.EmailRequired && email.Length == 0)
            errors.Add(DomainError.Validation("Enter your e-mail address: you confirm it before your first sign-in.", nameof(Registration.Email)));
        else if (userName.Length == 0 && email.Length == 0)
            errors.Add(DomainError.Validation("Choose a username or enter an e-mail address (or both).", nameof(Registration.UserName)));
        if (userName.Length > 0 && UserRules.ValidateUsername(userName, nameof(Registration.UserName)) is { } nameError)
            errors.Add(nameError);
        if (email.Length > 0 && UserRules.ValidateEmail(email, nameof(Registration.Email)) is { } emailError)
            errors.Add(emailError);
        if (!string.IsNullOrWhiteSpace(registration.DisplayName))
        {
            var cleaned = UserRules.CleanDisplayName(registration.DisplayName, nameof(Registration.DisplayName));
            if (cleaned.Succeeded) displayName = cleaned.Value!;
            else errors.AddRange(cleaned.Errors);
        }
        errors.AddRange(await ValidatePasswordAsync(registration.Password));
        if (errors.Count > 0) return Result<User>.Failure(errors);

        if (userName.Length > 0 && await users.FindByNameAsync(userName) is not null)
            errors.Add(DomainError.Validation($"The username '{userName}' is taken.", nameof(Registration.UserName)));
        else if (userName.Length > 0 && await IsLookalikeTakenAsync(userName, exceptUserId: null))
            errors.Add(DomainError.Validation(
                $"The username '{userName}' looks too much like one that is taken (I, l and 1, O and 0, rn and m read alike). Choose another.",
                nameof(Registration.UserName)));
        if (displayName.Length > 0 && await IsLookalikeTakenAsync(displayName, exceptUserId: null))
            errors.Add(DisplayNameIsAnotherUsername(nameof(Registration.DisplayName)));
        if (email.Length > 0 && await users.FindByEmailAsync(email) is not null)
            errors.Add(EmailTaken);
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

    public const string LinkDoesNotFit =
        "This link does not work for that e-mail address. It may have expired or been used already: ask for a new one.";

    /// <summary>
    /// The owner's reset with the link from their e-mail; the account's id on success. An unknown address and a link that
    /// does not fit get the same words, and a weak password is refused alike for both, so the answer tells nobody which
    /// addresses have accounts.
    /// </summary>
    public async Task<Result<string>> ResetWithLinkAsync(string email, string token, string newPassword)
    {
        var user = await users.FindByEmailAsync(email);
        var weak = await ValidatePasswordAsync(newPassword);
        if (weak.Count > 0) return DomainError.Validation(string.Join(", ", weak.Select(e => e.Message)));
        if (user is null) return DomainError.Validation(LinkDoesNotFit);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (reset.Succeeded) return user.Id;
        return DomainError.Validation(reset.Errors.Any(e => e.Code != nameof(IdentityErrorDescriber.InvalidToken))
            ? string.Join(", ", reset.Errors.Select(e => e.Description))
            : LinkDoesNotFit);
    }

    /// <summary>What a password needs, in the words of the configured rules.</summary>
    public string PasswordHint
    {
        get
        {
            var rules = users.Options.Password;
            var needs = new List<string>();
            if (rules.RequireUppercase) needs.Add("an upper-case letter");
            if (rules.RequireLowercase) needs.Add("a lower-case letter");
            if (rules.RequireDigit) needs.Add("a digit");
            if (rules.RequireNonAlphanumeric) needs.Add("a symbol");
            var with = needs.Count == 0 ? "" : needs.Count == 1 ? $" with {needs[0]}" : $" with {string.Join(", ", needs[..^1])} and {needs[^1]}";
            return $"At least {rules.RequiredLength} characters{with}.";
        }
    }

    /// <summary>Every way the password breaks the configured password rules (Identity's validators), as field errors.</summary>
    public async Task<IReadOnlyList<DomainError>> ValidatePasswordAsync(string? password)
    {
        if (string.IsNullOrEmpty(password)) return [DomainError.Validation("Choose a password.", nameof(Registration.Password))];
        var errors = new List<DomainError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, new User(), password);
            errors.AddRange(result.Errors.Select(ToDomainError));
        }
        return errors;
    }

    /// <summary>
    /// Starts changing the account's e-mail address: checks the current password (a browser left signed in is not
    /// enough to move the account's recovery address), the new address and that no other account has it, and returns the
    /// token that <see cref="ConfirmEmailChangeAsync"/> needs. The username never changes with it.
    /// </summary>
    public async Task<Result<EmailChange>> RequestEmailChangeAsync(string userId, string? currentPassword, string? newEmail)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("Your account no longer exists.");
        if (string.IsNullOrEmpty(currentPassword))
            return DomainError.Validation("Enter your current password to change your e-mail address.", nameof(Registration.Password));
        if (!await users.CheckPasswordAsync(user, currentPassword))
            return DomainError.Validation("Your password is not right.", nameof(Registration.Password));
        var email = newEmail?.Trim() ?? "";
        if (await CheckNewEmailAsync(user, email) is { } error) return error;
        return new EmailChange(email, await users.GenerateChangeEmailTokenAsync(user, email), user.Email);
    }

    /// <summary>Completes an e-mail change with the token sent to the new address; the address is then confirmed.</summary>
    public async Task<Result> ConfirmEmailChangeAsync(string userId, string? newEmail, string token)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("That account no longer exists.");
        var email = newEmail?.Trim() ?? "";
        if (await CheckNewEmailAsync(user, email) is { } error) return error;
        IdentityResult changed;
        try
        {
            changed = await users.ChangeEmailAsync(user, email, token);
        }
        catch (DbUpdateException)
        {
            // Another account took the address since the check; the unique index refused it.
            scopedDb.ChangeTracker.Clear();
            return EmailTaken;
        }
        if (!changed.Succeeded) return DomainError.Validation("This link to change your e-mail address is invalid or has expired.", nameof(Registration.Email));
        await live.DispatchAsync(new ProfileChanged(userId));
        return Result.Success();
    }

    private static DomainError EmailTaken => DomainError.Validation("An account with this e-mail address already exists.", nameof(Registration.Email));

    private async Task<DomainError?> CheckNewEmailAsync(User user, string email)
    {
        if (UserRules.ValidateEmail(email, nameof(Registration.Email)) is { } invalid) return invalid;
        if (string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase))
            return DomainError.Validation("That is already your e-mail address.", nameof(Registration.Email));
        return await users.FindByEmailAsync(email) is { } other && other.Id != user.Id ? EmailTaken : null;
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
        photos.DeleteAll(userId);
        await live.DispatchAsync(new AccountDeleted(userId, friends));
        return Result.Success();
    }

    /// <summary>The account a sign-in name refers to: a username or an e-mail address, ignoring case.</summary>
    public async Task<User?> FindForSignInAsync(string userNameOrEmail)
    {
        var value = userNameOrEmail.Trim();
        if (value.Length == 0 || !TextRules.CanMatchStoredText(value)) return null;
        return await users.FindByNameAsync(value) ?? (value.Contains('@') ? await users.FindByEmailAsync(value) : null);
    }

    public async Task<Result> UpdateDisplayNameAsync(string userId, string? displayName)
    {
        var cleaned = UserRules.CleanDisplayName(displayName);
        if (!cleaned.Succeeded) return cleaned.Error!;
        var trimmed = cleaned.Value!;
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("Your account no longer exists.");
        if (await IsLookalikeTakenAsync(trimmed, exceptUserId: userId)) return DisplayNameIsAnotherUsername("DisplayName");
        await using (var db = await dbFactory.CreateDbContextAsync())
            if (await AccountGuard.CheckActiveAsync(db, userId, clock.GetUtcNow().UtcDateTime, default) is { } inactive) return inactive;
        user.DisplayName = trimmed;
        user.NormalizedDisplayName = trimmed.ToUpperInvariant();
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return ToDomainError(updated.Errors.First());
        await live.DispatchAsync(new ProfileChanged(userId));
        return Result.Success();
    }

    /// <summary>
    /// What to tell someone whose sign-in was refused by a lockout: the suspension and its reason, but only
    /// once their password has been verified, so a suspension is never revealed to someone guessing.
    /// </summary>
    public async Task<string?> SuspensionNoticeAsync(User user, string password)
    {
        if (!user.IsSuspendedAt(clock.GetUtcNow().UtcDateTime) || !await users.CheckPasswordAsync(user, password)) return null;
        return SessionValidator.SuspensionNotice(user.SuspendedUntil!.Value, user.SuspensionReason);
    }

    private async Task<string> FreeHandleAsync(string handle)
    {
        var candidate = handle;
        for (var n = 2; await users.FindByNameAsync(candidate) is not null || await IsLookalikeTakenAsync(candidate, null); n++)
            candidate = $"{handle}{n}";
        return candidate;
    }

    /// <summary>Whether another account's username reads like <paramref name="name"/> (<see cref="UserRules.UserNameSkeleton"/>).</summary>
    private async Task<bool> IsLookalikeTakenAsync(string name, string? exceptUserId)
    {
        var skeleton = UserRules.UserNameSkeleton(name);
        return await scopedDb.Users.AnyAsync(u => u.UserNameSkeleton == skeleton && u.Id != exceptUserId);
    }

    /// <summary>
    /// Display names may repeat (people share names; the @username tells them apart), but one that reads as another
    /// person's username would pass for them (docs/decisions/020).
    /// </summary>
    private static DomainError DisplayNameIsAnotherUsername(string field) =>
        DomainError.Validation("That display name reads as another person's username; choose another (your own username is fine).", field);

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

    /// <summary>
    /// "Sign out everywhere": a new security stamp refuses every cookie, access and refresh token issued before it, and
    /// <see cref="AccountUserManager"/> tells every open circuit and event stream of the account at once.
    /// </summary>
    public async Task<Result> EndAllSessionsAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DomainError.NotFound("Your account no longer exists.");
        var updated = await users.UpdateSecurityStampAsync(user);
        return updated.Succeeded ? Result.Success() : ToDomainError(updated.Errors.First());
    }
}
