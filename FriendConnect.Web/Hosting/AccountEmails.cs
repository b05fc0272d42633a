using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Hosting;

/// <summary>An e-mail ready to go: the only thing the outbox sends.</summary>
public sealed record AccountMail(string To, string Name, string Subject, string Text, string Html);

/// <summary>What became of a request for a mail to an address the requester may not own.</summary>
public sealed record MailRequest(TimeSpan? RetryAfter)
{
    public bool Accepted => RetryAfter is null;
}

/// <summary>
/// Every e-mail an account's owner acts on. Links are built by <see cref="PublicLinks"/> from the configured public
/// address, never from a request. Mail that anyone may ask for (a password reset, a new confirmation link) is handed to
/// the outbox before anything about the address is looked up, so the answer and its timing are the same whether or not
/// an account has that address (docs/decisions/018-links-from-the-public-address.md).
/// </summary>
public sealed class AccountEmails(UserManager<User> users, MailOutbox outbox, PublicLinks links, MailLimits limits, IOptions<EmailOptions> options)
{
    public bool CanSend => options.Value.IsConfigured;

    /// <summary>New members confirm their e-mail address before their first sign-in.</summary>
    public bool ConfirmationRequired => options.Value.RequireConfirmedEmail;

    /// <summary>A reset link for whoever has this address, if anyone does and may reset by e-mail.</summary>
    public MailRequest RequestPasswordReset(string email, IPAddress? client) =>
        Request(client, new MailJob(MailJobKind.PasswordReset, email));

    /// <summary>A new confirmation link for an unconfirmed account with this address, if there is one.</summary>
    public MailRequest RequestConfirmation(string email, IPAddress? client) =>
        Request(client, new MailJob(MailJobKind.Confirmation, email));

    /// <summary>The confirmation link for a member's own address (after joining, or from the e-mail settings).</summary>
    public async Task SendConfirmationAsync(User user)
    {
        if (user.Email is null) return;
        outbox.Enqueue(ConfirmationMail(user.Email, user.DisplayName, await ConfirmationLinkAsync(user)));
    }

    /// <summary>
    /// The link that moves an account to a new address, sent to that new address; and a notice to the address it has
    /// now, without a link: a message that could be forged must not teach anyone to click.
    /// </summary>
    public void SendEmailChange(User user, string newEmail, string token, string? previousEmail)
    {
        outbox.Enqueue(ConfirmationMail(newEmail, user.DisplayName, links.To("Account/ConfirmEmailChange", new Dictionary<string, string?>
        {
            ["userId"] = user.Id, ["email"] = newEmail, ["code"] = Encode(token),
        })));
        if (previousEmail is not null) outbox.Enqueue(ChangeNotice(user, previousEmail, newEmail));
    }

    private MailRequest Request(IPAddress? client, MailJob job)
    {
        if (limits.WaitForClient(client) is { } wait) return new MailRequest(wait);
        outbox.Enqueue(job);
        return new MailRequest(null);
    }

    /// <summary>Runs in the outbox, off the request: looks the address up and composes the mail, if one is due.</summary>
    internal async Task<AccountMail?> ComposeAsync(MailJob job, ILogger logger)
    {
        var user = await users.FindByEmailAsync(job.Email);
        if (user?.Email is null) return null;
        if (limits.WaitForRecipient(user.Email) is not null)
        {
            logger.LogWarning("No {Kind} mail sent to account {UserId}: its address had too many this hour.", job.Kind, user.Id);
            return null;
        }
        switch (job.Kind)
        {
            case MailJobKind.PasswordReset:
                // Where addresses need no confirmation, the link goes to the address on the account: only its owner can open it.
                if (ConfirmationRequired && !await users.IsEmailConfirmedAsync(user)) return null;
                var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
                logger.LogInformation("Password reset link requested for account {UserId}.", user.Id);
                return ResetMail(user, links.To("Account/ResetPassword", new Dictionary<string, string?> { ["code"] = code }));
            case MailJobKind.Confirmation:
                if (await users.IsEmailConfirmedAsync(user)) return null;
                return ConfirmationMail(user.Email, user.DisplayName, await ConfirmationLinkAsync(user));
            default:
                return null;
        }
    }

    private async Task<string> ConfirmationLinkAsync(User user) =>
        links.To("Account/ConfirmEmail", new Dictionary<string, string?>
        {
            ["userId"] = user.Id, ["code"] = Encode(await users.GenerateEmailConfirmationTokenAsync(user)),
        });

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private static AccountMail ConfirmationMail(string to, string name, string link) => new(to, name,
        "Confirm your e-mail address",
        $"Hello {name},\n\nConfirm your e-mail address for FriendConnect by opening this link:\n{link}\n\nIf you didn't ask for this, ignore this e-mail.",
        $"<p>Hello {Html(name)},</p><p>Confirm your e-mail address for FriendConnect: <a href=\"{Html(link)}\">confirm my address</a>.</p><p>If you didn't ask for this, ignore this e-mail.</p>");

    private static AccountMail ResetMail(User user, string link) => new(user.Email!, user.DisplayName,
        "Reset your FriendConnect password",
        $"Hello {user.DisplayName},\n\nChoose a new password by opening this link:\n{link}\n\nIf you didn't ask for this, ignore this e-mail: your password stays as it is.",
        $"<p>Hello {Html(user.DisplayName)},</p><p><a href=\"{Html(link)}\">Choose a new password</a>.</p><p>If you didn't ask for this, ignore this e-mail: your password stays as it is.</p>");

    private static AccountMail ChangeNotice(User user, string previousEmail, string newEmail) => new(previousEmail, user.DisplayName,
        "Your FriendConnect e-mail address is being changed",
        $"Hello {user.DisplayName},\n\nSomeone signed in to your FriendConnect account ({user.UserName}) with your password asked to change its e-mail address to {newEmail}. " +
        "The change happens only once that address is confirmed.\n\n" +
        "If this was you, there is nothing to do. If it wasn't, sign in, change your password and use \"Sign out everywhere\" on your account page.",
        $"<p>Hello {Html(user.DisplayName)},</p><p>Someone signed in to your FriendConnect account ({Html(user.UserName ?? "")}) with your password asked to change its e-mail address to <strong>{Html(newEmail)}</strong>. " +
        "The change happens only once that address is confirmed.</p>" +
        "<p>If this was you, there is nothing to do. If it wasn't, sign in, change your password and use “Sign out everywhere” on your account page.</p>");

    private static string Html(string value) => WebUtility.HtmlEncode(value);
}

public enum MailJobKind { PasswordReset, Confirmation }

/// <summary>A mail someone asked for on behalf of an address; composed in the outbox.</summary>
public sealed record MailJob(MailJobKind Kind, string Email);

/// <summary>
/// How many account mails may be asked for: per requesting network (an IPv6 client by its /64) and per recipient
/// address, each per hour. Counted on each node.
/// </summary>
public sealed class MailLimits(IOptions<EmailOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perClient = Hourly(options.Value.RequestsPerClientPerHour);
    private readonly PartitionedRateLimiter<string> _perRecipient = Hourly(options.Value.MailsPerRecipientPerHour);

    public TimeSpan? WaitForClient(IPAddress? client) => Take(_perClient, Auth.ClientNetwork.KeyOf(client));

    public TimeSpan? WaitForRecipient(string email) => Take(_perRecipient, email.Trim().ToUpperInvariant());

    private static TimeSpan? Take(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromHours(1);
    }

    private static PartitionedRateLimiter<string> Hourly(int limit) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit, Window = TimeSpan.FromHours(1), QueueLimit = 0,
        }));

    public void Dispose()
    {
        _perClient.Dispose();
        _perRecipient.Dispose();
    }
}
