using System.Security.Cryptography;
using System.Text;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Web.Auth;

public enum SignInOutcome { SignedIn, Failed, TwoFactorRequired, TwoFactorFailed, Suspended, Limited, EmailNotConfirmed }

/// <summary>What a sign-in attempt came to, with the words to show the person.</summary>
public sealed record SignInAttempt(SignInOutcome Outcome, string Message, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Outcome == SignInOutcome.SignedIn;
}

/// <summary>
/// The one way to sign in with a password, for the sign-in page and POST /api/v1/auth/login: finds the account by
/// username or e-mail, applies the guess limits before anything is checked, checks the password, then two-factor, and
/// reveals a suspension only to someone who gave the right password within the limits. The right password makes the
/// device a known one for the account (<see cref="KnownDevices"/>). An unknown name costs the same password hash and
/// gets the same answer as a wrong password. Logs name the account by its id, never by what was typed. The scheme the
/// caller set on <see cref="SignInManager{TUser}.AuthenticationScheme"/> (cookie or bearer) receives the sign-in.
/// </summary>
public sealed class SignInFlow(
    AccountService accounts, SignInManager<User> signIn, UserManager<User> users, IPasswordHasher<User> hasher,
    SignInLimiter limiter, KnownDevices devices, ILogger<SignInFlow> logger)
{
    public const string WrongCredentials = "That username or e-mail and password don't match an account.";

    // A keyed hash whose key is never stored: repeated guesses at one unknown name share a marker in the logs, and no
    // log line can be turned back into what was typed (often a password, in the wrong field).
    private static readonly byte[] MarkerKey = RandomNumberGenerator.GetBytes(32);

    public async Task<SignInAttempt> SignInAsync(
        HttpContext http, string login, string password, bool persistent, string? twoFactorCode = null, string? recoveryCode = null)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var user = await accounts.FindForSignInAsync(login);
        // Guesses at an account count together whether it is named by username or e-mail; unknown names count by name.
        var account = user?.Id ?? login.Trim().ToUpperInvariant();
        var who = user?.Id ?? "unknown name #" + Convert.ToHexString(HMACSHA256.HashData(MarkerKey, Encoding.UTF8.GetBytes(account)), 0, 6);
        var device = user is null ? null : devices.DeviceOf(http, user.Id);

        if (limiter.WaitBeforeGuess(address, account, device) is { } wait)
        {
            logger.LogWarning("Sign-in refused by the guess limit for {Account} from {Address} ({Device} device)",
                who, address, device is null ? "new" : "known");
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            return new(SignInOutcome.Limited,
                $"Too many failed sign-in attempts. Try again in {seconds} second{(seconds == 1 ? "" : "s")}."
                + (device is null ? " A browser or app that has signed in to this account before can still sign in." : ""), wait);
        }

        var offer = user is null ? null : devices.OfferTo(http, user.Id);
        SignInAttempt? attempt = null;
        try
        {
            attempt = await CheckAsync(user, password, persistent, twoFactorCode, recoveryCode, address);
        }
        finally
        {
            // The device becomes known only to someone who signed in: with two-factor on, the password alone is not enough,
            // or each code-less attempt would mint a fresh known device with guesses of its own.
            if (attempt?.Outcome is not SignInOutcome.SignedIn) offer?.Withdraw();
        }
        if (attempt.Outcome is SignInOutcome.Failed or SignInOutcome.TwoFactorFailed)
        {
            limiter.RecordFailure(address, account, device);
            logger.LogWarning("Sign-in failed for {Account} from {Address}: {Reason}",
                who, address, attempt.Outcome == SignInOutcome.Failed ? "wrong name or password" : "wrong two-factor code");
        }
        return attempt;
    }

    /// <summary>
    /// A passkey proves the person and the device at once: no password, no second factor, no guess to count. A suspended
    /// account's owner learns why only with their password.
    /// </summary>
    public async Task<SignInAttempt> PasskeySignInAsync(HttpContext http, string credentialJson)
    {
        SignInResult result;
        try
        {
            result = await signIn.PasskeySignInAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            // Identity keeps the challenge it handed out for a few minutes; without it there is nothing to check against.
            return new(SignInOutcome.Failed, "This passkey sign-in has expired or was not started on this page. Try again.");
        }
        if (result.Succeeded) return new(SignInOutcome.SignedIn, "");
        logger.LogWarning("Passkey sign-in refused from {Address}: {Result}", http.Connection.RemoteIpAddress, result);
        return result.IsLockedOut
            ? new(SignInOutcome.Suspended, "This account can't sign in at the moment. Sign in with your password to learn why.")
            : result.IsNotAllowed
                ? new(SignInOutcome.EmailNotConfirmed, "Confirm your e-mail address first: open the link we sent you.")
                : new(SignInOutcome.Failed, "That passkey doesn't belong to an account here. Sign in with your password, then add a passkey on your account page.");
    }

    private async Task<SignInAttempt> CheckAsync(
        User? user, string password, bool persistent, string? twoFactorCode, string? recoveryCode, string address)
    {
        if (user is null)
        {
            // The work of checking a password, so an unknown name answers no sooner than a known one.
            hasher.HashPassword(new User(), password);
            return new(SignInOutcome.Failed, WrongCredentials);
        }
        // Identity's own lockout stays off for password guesses: the limits above do that job without letting anyone
        // elsewhere lock the owner out. A suspension still refuses sign-in through its lockout end.
        var result = await signIn.PasswordSignInAsync(user, password, persistent, lockoutOnFailure: false);
        if (result.RequiresTwoFactor)
        {
            if (!string.IsNullOrWhiteSpace(twoFactorCode))
                result = await signIn.TwoFactorAuthenticatorSignInAsync(twoFactorCode.Replace(" ", "").Replace("-", ""), persistent, rememberClient: false);
            else if (!string.IsNullOrWhiteSpace(recoveryCode))
                result = await signIn.TwoFactorRecoveryCodeSignInAsync(recoveryCode.Replace(" ", ""));
            else
            {
                logger.LogInformation("Sign-in for {UserId} from {Address}: password right, two-factor code required", user.Id, address);
                return new(SignInOutcome.TwoFactorRequired,
                    "This account uses two-factor sign-in: send the code from your authenticator app as twoFactorCode, or a recovery code as twoFactorRecoveryCode.");
            }
            if (!result.Succeeded && !result.IsLockedOut)
                return new(SignInOutcome.TwoFactorFailed, "The password is right, but the two-factor code or recovery code is not.");
        }

        if (result.Succeeded)
        {
            logger.LogInformation("Sign-in succeeded for {UserId} from {Address}", user.Id, address);
            return new(SignInOutcome.SignedIn, "Signed in.");
        }
        // Identity refuses an unconfirmed address before it looks at the password: say so only to the owner.
        if (result.IsNotAllowed && !await users.IsEmailConfirmedAsync(user) && await users.CheckPasswordAsync(user, password))
        {
            logger.LogInformation("Sign-in for {UserId} from {Address}: password right, e-mail address not confirmed yet", user.Id, address);
            return new(SignInOutcome.EmailNotConfirmed,
                "Confirm your e-mail address first: open the link we sent you. No e-mail? Ask for a new link on the sign-in page.");
        }
        if (result.IsLockedOut && await accounts.SuspensionNoticeAsync(user, password) is { } notice)
        {
            logger.LogWarning("Sign-in refused for suspended {UserId} from {Address}", user.Id, address);
            return new(SignInOutcome.Suspended, notice);
        }
        // A locked account with a wrong password answers like any wrong password: nothing is revealed to a guesser.
        return new(SignInOutcome.Failed, WrongCredentials);
    }
}
