using System.Net;
using FriendConnect.Domain.Users;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FriendConnect.Web.Hosting;

/// <summary>The account e-mails (confirmation, password reset, e-mail change), sent through the configured SMTP server.</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender<User>
{
    // Identity hands over links already HTML-encoded; the plain-text part needs them as they are.
    public Task SendConfirmationLinkAsync(User user, string email, string confirmationLink)
    {
        var link = WebUtility.HtmlDecode(confirmationLink);
        return SendAsync(user, email, "Confirm your e-mail address",
            $"Hello {user.DisplayName},\n\nConfirm your e-mail address for FriendConnect by opening this link:\n{link}\n\nIf you didn't ask for this, ignore this e-mail.",
            $"<p>Hello {Encode(user.DisplayName)},</p><p>Confirm your e-mail address for FriendConnect: <a href=\"{Encode(link)}\">confirm my address</a>.</p><p>If you didn't ask for this, ignore this e-mail.</p>");
    }

    public Task SendPasswordResetLinkAsync(User user, string email, string resetLink)
    {
        var link = WebUtility.HtmlDecode(resetLink);
        return SendAsync(user, email, "Reset your FriendConnect password",
            $"Hello {user.DisplayName},\n\nChoose a new password by opening this link:\n{link}\n\nIf you didn't ask for this, ignore this e-mail: your password stays as it is.",
            $"<p>Hello {Encode(user.DisplayName)},</p><p><a href=\"{Encode(link)}\">Choose a new password</a>.</p><p>If you didn't ask for this, ignore this e-mail: your password stays as it is.</p>");
    }

    public Task SendPasswordResetCodeAsync(User user, string email, string resetCode) =>
        SendAsync(user, email, "Your FriendConnect password reset code",
            $"Hello {user.DisplayName},\n\nYour password reset code is: {resetCode}\n\nIf you didn't ask for this, ignore this e-mail.",
            $"<p>Hello {Encode(user.DisplayName)},</p><p>Your password reset code is: <strong>{Encode(resetCode)}</strong></p><p>If you didn't ask for this, ignore this e-mail.</p>");

    /// <summary>
    /// Tells the address an account has now that a change to another one was asked for. It carries no link: a message
    /// that could be forged must not teach anyone to click.
    /// </summary>
    public Task SendEmailChangeNoticeAsync(User user, string previousEmail, string newEmail) =>
        SendAsync(user, previousEmail, "Your FriendConnect e-mail address is being changed",
            $"Hello {user.DisplayName},\n\nSomeone signed in to your FriendConnect account ({user.UserName}) with your password asked to change its e-mail address to {newEmail}. " +
            "The change happens only once that address is confirmed.\n\n" +
            "If this was you, there is nothing to do. If it wasn't, sign in, change your password and use \"Sign out everywhere\" on your account page.",
            $"<p>Hello {Encode(user.DisplayName)},</p><p>Someone signed in to your FriendConnect account ({Encode(user.UserName ?? "")}) with your password asked to change its e-mail address to <strong>{Encode(newEmail)}</strong>. " +
            "The change happens only once that address is confirmed.</p>" +
            "<p>If this was you, there is nothing to do. If it wasn't, sign in, change your password and use “Sign out everywhere” on your account page.</p>");

    private async Task SendAsync(User user, string to, string subject, string text, string html)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            logger.LogWarning("No e-mail was sent to user {UserName}: Email:Smtp:Host is not set.", user.UserName);
            return;
        }
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From!));
        message.To.Add(new MailboxAddress(user.DisplayName, to));
        message.Subject = subject;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();

        using var client = new SmtpClient();
        var smtp = settings.Smtp;
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.Auto,
        });
        if (!string.IsNullOrEmpty(smtp.UserName))
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "");
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        logger.LogInformation("Sent \"{Subject}\" to user {UserName}.", subject, user.UserName);
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
