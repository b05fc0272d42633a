using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using netDumbster.smtp;

namespace FriendConnect.Tests.Api;

/// <summary>
/// The app with an SMTP server of the test's own and a configured public address. Requests name their client address
/// in <see cref="AddressHeader"/>.
/// </summary>
public class MailingApiFactory : ApiFactory
{
    public const string PublicUrl = "https://friendconnect.test";
    public const string AddressHeader = "X-Test-Client-Address";
    public const int RequestsPerClient = 4;
    public const int MailsPerRecipient = 2;

    private readonly SimpleSmtpServer _smtp = SimpleSmtpServer.Start();

    protected virtual int SmtpPort => _smtp.Configuration.Port;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["App:PublicUrl"] = PublicUrl,
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = SmtpPort.ToString(),
        ["Email:Smtp:Security"] = "None",
        ["Email:From"] = "FriendConnect <friendconnect@example.org>",
        ["Email:RequestsPerClientPerHour"] = RequestsPerClient.ToString(),
        ["Email:MailsPerRecipientPerHour"] = MailsPerRecipient.ToString(),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new ClientAddressFromHeader(AddressHeader)));
    }

    private static int _address;

    /// <summary>A signed-out browser at an address no other test uses.</summary>
    public HttpClient BrowserAt(string? address = null, string host = "localhost")
    {
        var client = CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri($"http://{host}") });
        client.DefaultRequestHeaders.Add(AddressHeader, address ?? $"10.1.{Interlocked.Increment(ref _address) / 250}.{_address % 250 + 1}");
        return client;
    }

    public IReadOnlyList<MimeMessage> MailTo(string address) =>
        _smtp.ReceivedEmail
            .Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data))))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>Waits until <paramref name="address"/> has received <paramref name="count"/> mails.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMailAsync(string address, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var mail = MailTo(address);
            if (mail.Count >= count) return mail;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{address} received {MailTo(address).Count} of {count} mails.");
    }

    public async Task<MimeMessage> WaitForMailAsync(string to, string subject)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (MailTo(to).FirstOrDefault(m => m.Subject == subject) is { } message) return message;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No e-mail \"{subject}\" reached {to}.");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _smtp.Dispose();
    }
}

/// <summary>An operator who answers every host (AllowedHosts "*") and asks new members to confirm their address.</summary>
public sealed class AnyHostMailingApiFactory : MailingApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["AllowedHosts"] = "*",
        ["Email:RequireConfirmedEmail"] = "true",
    };

    // The first account (the moderator) is made in-process: with confirmation required it could not sign in yet.
    protected override bool RegisterModeratorViaApi => false;
}

/// <summary>
/// Every link the server mails is built from App:PublicUrl, never from the request: a forged Host or X-Forwarded-Host
/// cannot send a victim a genuine reset code on an attacker's site.
/// </summary>
public sealed partial class AccountLinkTests(MailingApiFactory app) : IClassFixture<MailingApiFactory>
{
    private static Dictionary<string, string> EmailField(string email) => new() { ["Input.Email"] = email };

    private async Task<(string Name, string Email)> MemberAsync()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        return (user.UserName, $"{user.UserName}@example.com");
    }

    [Fact]
    public async Task A_request_for_another_host_gets_400()
    {
        using var browser = app.BrowserAt(host: "evil.example");

        var response = await browser.GetAsync("/Account/ForgotPassword");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_forged_forwarded_host_never_appears_in_a_reset_link()
    {
        var (_, email) = await MemberAsync();
        using var browser = app.BrowserAt();
        browser.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "http");

        var asked = await BrowserForms.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password", EmailField(email));

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var mail = (await app.WaitForMailAsync(email)).Single();
        var link = Link().Match(mail.TextBody ?? "").Value;
        Assert.StartsWith($"{MailingApiFactory.PublicUrl}/Account/ResetPassword?code=", link);
        Assert.DoesNotContain("evil.example", mail.TextBody + mail.HtmlBody);
    }

    [Fact]
    public async Task Confirmation_and_email_change_links_are_built_from_the_public_address()
    {
        var (name, email) = await MemberAsync();
        using var stranger = app.BrowserAt();
        stranger.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");
        await BrowserForms.PostFormAsync(stranger, "/Account/ResendEmailConfirmation", "resend-email-confirmation", EmailField(email));
        var confirmation = (await app.WaitForMailAsync(email)).Single();
        Assert.StartsWith($"{MailingApiFactory.PublicUrl}/Account/ConfirmEmail?userId=", Link().Match(confirmation.TextBody ?? "").Value);

        using var owner = app.BrowserAt();
        owner.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");
        Assert.Equal(HttpStatusCode.Redirect, (await BrowserForms.SignInAsync(owner, name, ApiFactory.Password)).StatusCode);
        var newEmail = $"{name}.new@example.com";
        var changed = await BrowserForms.PostFormAsync(owner, "/Account/Manage/Email", "change-email",
            new Dictionary<string, string> { ["Input.NewEmail"] = newEmail, ["Input.Password"] = ApiFactory.Password });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var change = (await app.WaitForMailAsync(newEmail)).Single();
        Assert.StartsWith($"{MailingApiFactory.PublicUrl}/Account/ConfirmEmailChange?userId=", Link().Match(change.TextBody ?? "").Value);
        Assert.DoesNotContain("evil.example", change.TextBody + change.HtmlBody);
    }

    [Fact]
    public async Task Forgot_password_gives_known_and_unknown_addresses_the_same_answer()
    {
        var (_, email) = await MemberAsync();
        using var browser = app.BrowserAt();

        var known = await BrowserForms.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password", EmailField(email));
        var unknown = await BrowserForms.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password", EmailField("nobody-here@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, known.StatusCode);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(known.Headers.Location, unknown.Headers.Location);
    }

    [Fact]
    public async Task A_reset_with_a_wrong_link_reads_the_same_for_known_and_unknown_addresses()
    {
        var (_, email) = await MemberAsync();
        using var browser = app.BrowserAt();
        var code = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode("not a real token"u8.ToArray());

        async Task<string> ResetAsync(string address)
        {
            var response = await BrowserForms.PostFormAsync(browser, $"/Account/ResetPassword?code={code}", "reset-password", new Dictionary<string, string>
            {
                ["Input.Email"] = address, ["Input.Password"] = "Another!pass456", ["Input.ConfirmPassword"] = "Another!pass456",
                ["Input.Code"] = "not a real token",
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return ErrorText(await response.Content.ReadAsStringAsync());
        }

        var known = await ResetAsync(email);
        var unknown = await ResetAsync("nobody-here@example.com");

        Assert.Contains("does not work for that e-mail address", known);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task A_network_that_asks_for_too_many_links_is_told_to_wait_with_429()
    {
        // Two addresses of one IPv6 /64 count as one client.
        using var first = app.BrowserAt("2001:db8:77:1::10");
        using var second = app.BrowserAt("2001:db8:77:1::20");
        for (var i = 0; i < MailingApiFactory.RequestsPerClient; i++)
        {
            var asked = await BrowserForms.PostFormAsync(i % 2 == 0 ? first : second, "/Account/ForgotPassword", "forgot-password",
                EmailField($"someone{i}@example.com"));
            Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        }

        var refused = await BrowserForms.PostFormAsync(second, "/Account/ForgotPassword", "forgot-password", EmailField("someone@example.com"));

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Contains("Too many reset links were asked for from your network", await refused.Content.ReadAsStringAsync());
        // Another network is not held up.
        using var elsewhere = app.BrowserAt("2001:db8:77:2::10");
        Assert.Equal(HttpStatusCode.Redirect,
            (await BrowserForms.PostFormAsync(elsewhere, "/Account/ForgotPassword", "forgot-password", EmailField("someone@example.com"))).StatusCode);
    }

    [Fact]
    public async Task An_address_receives_only_a_few_reset_mails_an_hour_whoever_asks()
    {
        var (_, email) = await MemberAsync();
        for (var i = 0; i < MailingApiFactory.MailsPerRecipient + 2; i++)
        {
            using var browser = app.BrowserAt();
            await BrowserForms.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password", EmailField(email));
        }
        // Mail leaves in order: once a later request's mail has arrived, every earlier one has been dealt with.
        var (_, later) = await MemberAsync();
        using (var browser = app.BrowserAt())
            await BrowserForms.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password", EmailField(later));
        await app.WaitForMailAsync(later);

        Assert.Equal(MailingApiFactory.MailsPerRecipient, app.MailTo(email).Count);
    }

    private static string ErrorText(string html) =>
        string.Join(" ", ErrorBlock().Matches(html).Select(m => Regex.Replace(m.Groups[1].Value, "<[^>]+>", "").Trim()));

    [GeneratedRegex(@"https?://\S+/Account/\w+\?\S+")]
    private static partial Regex Link();

    [GeneratedRegex("""<(?:div|p|ul)[^>]*role="alert"[^>]*>(.*?)</(?:div|p|ul)>""", RegexOptions.Singleline)]
    private static partial Regex ErrorBlock();
}

/// <summary>Even where the operator answers every Host, the links in e-mails name only the public address.</summary>
public sealed partial class AnyHostAccountLinkTests(AnyHostMailingApiFactory app) : IClassFixture<AnyHostMailingApiFactory>
{
    [Fact]
    public async Task A_forged_host_never_appears_in_a_reset_or_confirmation_link()
    {
        using var attacker = app.BrowserAt(host: "evil.example");
        var name = app.NewName("victim");
        var email = $"{name}@example.com";
        var registered = await attacker.PostAsJsonAsync("/api/v1/auth/register",
            new { userName = name, email, displayName = "Victim", password = ApiFactory.Password });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var confirmation = (await app.WaitForMailAsync(email)).Single();
        var confirm = Link().Match(confirmation.TextBody ?? "").Value;
        Assert.StartsWith($"{MailingApiFactory.PublicUrl}/Account/ConfirmEmail?userId=", confirm);
        using (var owner = app.BrowserAt())
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(new Uri(confirm).PathAndQuery)).StatusCode);

        var asked = await BrowserForms.PostFormAsync(attacker, "/Account/ForgotPassword", "forgot-password",
            new Dictionary<string, string> { ["Input.Email"] = email });

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var reset = (await app.WaitForMailAsync(email, 2)).Single(m => m.Subject == "Reset your FriendConnect password");
        Assert.StartsWith($"{MailingApiFactory.PublicUrl}/Account/ResetPassword?code=", Link().Match(reset.TextBody ?? "").Value);
        Assert.DoesNotContain("evil.example", confirmation.TextBody + confirmation.HtmlBody + reset.TextBody + reset.HtmlBody);
    }

    [GeneratedRegex(@"https?://\S+/Account/\w+\?\S+")]
    private static partial Regex Link();
}

/// <summary>An SMTP server that accepts connections and never answers: the pages must not wait for it.</summary>
public sealed class SilentSmtpApiFactory : MailingApiFactory
{
    private readonly TcpListener _silent = StartSilent();

    protected override int SmtpPort => ((IPEndPoint)_silent.LocalEndpoint).Port;

    private static TcpListener StartSilent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 100);
        return listener;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _silent.Stop();
    }
}

public sealed class SlowMailTests(SilentSmtpApiFactory app) : IClassFixture<SilentSmtpApiFactory>
{
    [Fact]
    public async Task Forgot_password_answers_without_waiting_for_the_mail_server()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var browser = app.BrowserAt();
        browser.Timeout = TimeSpan.FromSeconds(20);

        var asked = await BrowserForms.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password",
            new Dictionary<string, string> { ["Input.Email"] = $"{user.UserName}@example.com" });

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.EndsWith("/Account/ForgotPasswordConfirmation", asked.Headers.Location!.ToString());
    }
}
