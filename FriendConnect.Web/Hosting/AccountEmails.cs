using System.Text;
using System.Text.Encodings.Web;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Hosting;

/// <summary>The e-mails an account's owner acts on; links point at the address the person used to reach the site.</summary>
public sealed class AccountEmails(UserManager<User> users, IEmailSender<User> sender, IOptions<EmailOptions> options)
{
    public bool CanSend => options.Value.IsConfigured;

    /// <summary>New members confirm their e-mail address before their first sign-in.</summary>
    public bool ConfirmationRequired => options.Value.RequireConfirmedEmail;

    public async Task SendConfirmationAsync(User user, string siteBaseUri)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var link = $"{siteBaseUri.TrimEnd('/')}/Account/ConfirmEmail?userId={Uri.EscapeDataString(user.Id)}&code={code}";
        await sender.SendConfirmationLinkAsync(user, user.Email!, HtmlEncoder.Default.Encode(link));
    }
}
