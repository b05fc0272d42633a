using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace FriendConnect.Web.Hosting;

public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it.</summary>
    Auto,
    StartTls,
    SslOnConnect,
    None,
}

public sealed class SmtpOptions
{
    /// <summary>Empty: the server sends no e-mail, and the account pages say so.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender, e.g. <c>FriendConnect &lt;friendconnect@example.org&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>New members confirm their e-mail address before they can sign in (needs SMTP).</summary>
    public bool RequireConfirmedEmail { get; set; }

    /// <summary>Password-reset and confirmation mails one network (an IPv6 client by its /64) may ask for per hour.</summary>
    [Range(1, 100_000)]
    public int RequestsPerClientPerHour { get; set; } = 10;

    /// <summary>Password-reset and confirmation mails one address receives per hour, whoever asks.</summary>
    [Range(1, 1_000)]
    public int MailsPerRecipientPerHour { get; set; } = 3;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Smtp.Port is < 1 or > 65535)
            yield return new("The SMTP port is a number from 1 to 65535.", ["Smtp:Port"]);
        if (!IsConfigured)
        {
            if (RequireConfirmedEmail)
                yield return new("Confirming e-mail addresses needs an SMTP server: set Email:Smtp:Host.", [nameof(RequireConfirmedEmail)]);
            yield break;
        }
        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out _))
            yield return new("Set the sender address, e.g. \"FriendConnect <friendconnect@example.org>\".", [nameof(From)]);
        if (string.IsNullOrEmpty(Smtp.UserName) != string.IsNullOrEmpty(Smtp.Password))
            yield return new("Set both the SMTP user name and password, or neither.", ["Smtp:UserName", "Smtp:Password"]);
    }
}
