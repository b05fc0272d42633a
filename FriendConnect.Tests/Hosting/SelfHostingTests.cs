using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FriendConnect.Tests.Browser;
using Microsoft.Playwright;
using MimeKit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Hosting;

/// <summary>The published app behind nginx with TLS, exercised the way a self-hoster's members use it.</summary>
[Collection(SelfHostCollection.Name)]
public sealed partial class SelfHostingTests(SelfHostFixture host, ITestOutputHelper output)
{
    internal const string Password = "Hosted!pass123";
    private static int _counter;

    private static string NewName(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}{Guid.NewGuid().ToString("N")[..6]}";

    [Fact]
    public async Task Through_nginx_over_https_a_newcomer_signs_up_and_a_friend_request_arrives_live()
    {
        var newcomer = NewName("nina");
        var sender = NewName("sid");
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) cspViolations.Add(message.Text);
        };

        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Username").FillAsync(newcomer);
        await page.GetByLabel("Display name (optional)").FillAsync("Nina Hosted");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Confirm password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync(new() { Timeout = 30000 });
        await page.GotoAsync("/dashboard");
        await page.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30000 });

        // Another member signs in through the same proxy, in a browser, and sends the request from the API.
        using var api = host.Proxy.CreateClient();
        await RegisterAsync(api, sender, "Sid Sender");
        await using (var senderContext = await host.NewContextAsync())
        {
            var senderPage = await senderContext.NewPageAsync();
            await senderPage.GotoAsync("/Account/Login");
            await senderPage.GetByLabel("Username or e-mail").FillAsync(sender);
            await senderPage.GetByLabel("Password").FillAsync(Password);
            await senderPage.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await senderPage.WaitForURLAsync("**/dashboard", new() { Timeout = 60000, WaitUntil = WaitUntilState.Commit });
        }
        var token = await LoginAsync(api, sender);
        var sent = await api.SendAsync(Post("/api/v1/friend-requests", new { userName = newcomer }, token));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        await Expect(page.GetByText("Sid Sender sent you a friend request").First).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDir, "selfhost-live-request.png"), FullPage = true });

        // The page's own cookie-signed API call passes the cross-site check behind TLS; the same cookie sent by another site does not.
        var own = await page.EvaluateAsync<int>("""
            async () => (await fetch('/api/v1/statuses', {
                method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Posted through the proxy' }) })).status
            """);
        Assert.Equal(201, own);
        var cookieHeader = string.Join("; ", (await context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses") { Content = JsonContent.Create(new { text = "Posted by another site" }) };
        foreign.Headers.Add("Cookie", cookieHeader);
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(foreign)).StatusCode);

        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == ".AspNetCore.Identity.Application");
        Assert.All(cookies, c => Assert.True(c.Secure, $"Cookie {c.Name} is sent without Secure."));
        Assert.Empty(cspViolations);
    }

    [Fact]
    public async Task Behind_the_shipped_nginx_a_request_for_another_host_gets_no_answer()
    {
        // Another name in the TLS handshake: refused before any certificate is shown.
        using (var other = new HttpClient(Nginx.CreateHandler()))
            await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync($"https://evil.example:{host.Proxy.HttpsPort}/Account/ForgotPassword"));

        // The site's name in the handshake, another in the Host header: the connection is closed unanswered (444).
        var handler = Nginx.CreateHandler();
        handler.SslOptions.TargetHost = Nginx.HostName;
        using (var forged = new HttpClient(handler))
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{host.Proxy.HttpsUrl}/Account/ForgotPassword");
            request.Headers.Host = "evil.example";
            await Assert.ThrowsAsync<HttpRequestException>(() => forged.SendAsync(request));
        }

        using (var plain = new HttpClient(Nginx.CreateHandler()))
            await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync($"http://evil.example:{host.Proxy.HttpPort}/"));

        using var api = host.Proxy.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/Account/ForgotPassword")).StatusCode);
    }

    [Fact]
    public async Task Behind_tls_redirects_stay_on_https_and_answers_carry_the_security_headers()
    {
        using var api = host.Proxy.CreateClient();
        var signedOut = await api.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith($"{host.Proxy.HttpsUrl}/Account/Login", signedOut.Headers.Location!.ToString());

        using var plain = new HttpClient(Nginx.CreateHandler());
        var http = await plain.GetAsync($"{host.Proxy.HttpUrl}/dashboard");
        Assert.Equal(HttpStatusCode.MovedPermanently, http.StatusCode);
        Assert.StartsWith("https://", http.Headers.Location!.ToString());

        var login = await api.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.Contains("Strict-Transport-Security"), "HSTS is missing behind TLS.");
        foreach (var header in new[] { "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy" })
            Assert.True(login.Headers.Contains(header), $"{header} is missing.");

        // MudBlazor's stylesheet, as the page links it, leaves the app itself compressed (nginx adds nothing to it).
        var html = await login.Content.ReadAsStringAsync();
        var css = StylesheetLink().Match(html).Groups["href"].Value;
        Assert.NotEqual("", css);
        using var direct = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.App.BaseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Get, "/" + css);
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var asset = await direct.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains(asset.Content.Headers.ContentEncoding, e => e is "br" or "gzip");
        var compressed = (await asset.Content.ReadAsByteArrayAsync()).Length;
        output.WriteLine($"{css}: {compressed:N0} bytes as {string.Join(",", asset.Content.Headers.ContentEncoding)}");
        Assert.True(compressed < 200_000, $"MudBlazor's CSS is {compressed:N0} bytes on the wire.");
    }

    [Fact]
    public async Task The_event_stream_reaches_a_client_through_nginx_within_a_second()
    {
        using var api = host.Proxy.CreateClient();
        var listener = NewName("lena");
        await RegisterAsync(api, listener, "Lena Listener");
        var listenerToken = await LoginAsync(api, listener);

        var delays = new List<TimeSpan>();
        // A buffering proxy holds events back until its buffer fills or the 15 s heartbeat comes; one prompt event of two proves it does not.
        for (var attempt = 0; attempt < 2 && !delays.Any(d => d < TimeSpan.FromSeconds(1)); attempt++)
        {
            var sender = NewName("sam");
            await RegisterAsync(api, sender, "Sam Streamer");
            var senderToken = await LoginAsync(api, sender);

            using var stream = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
            stream.Headers.Authorization = new AuthenticationHeaderValue("Bearer", listenerToken);
            using var response = await api.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal("retry: 3000", await reader.ReadLineAsync());

            var arrived = Task.Run(async () =>
            {
                while (await reader.ReadLineAsync() is { } line)
                    if (line == "event: notification") return Stopwatch.GetTimestamp();
                throw new InvalidOperationException("The stream ended.");
            });
            var sending = Post("/api/v1/friend-requests", new { userName = listener }, senderToken);
            var accepted = await api.SendAsync(sending);
            var committed = Stopwatch.GetTimestamp();
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            var at = await arrived.WaitAsync(TimeSpan.FromSeconds(30));
            delays.Add(Stopwatch.GetElapsedTime(committed, Math.Max(at, committed)));
        }
        output.WriteLine($"SSE through nginx: {string.Join(", ", delays.Select(d => $"{d.TotalMilliseconds:0} ms"))} from the request's answer to the event");
        Assert.Contains(delays, d => d < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task After_a_restart_the_same_browser_is_still_signed_in_and_a_token_still_works()
    {
        var name = NewName("rita");
        using var api = host.Proxy.CreateClient();
        await RegisterAsync(api, name, "Rita Restart");
        var token = await LoginAsync(api, name);
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Username or e-mail").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        // The redirect is what matters here, not every asset's load event, which a loaded machine can hold back.
        await page.WaitForURLAsync("**/dashboard", new() { Timeout = 60000, WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync(new() { Timeout = 60000 });

        var took = await host.RestartAsync();
        output.WriteLine($"Restart (stop, start, healthy): {took.TotalSeconds:0.0} s");

        await page.GotoAsync("/dashboard");
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync(new() { Timeout = 30000 });
        var me = await api.SendAsync(Get("/api/v1/me", token));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task A_backup_taken_while_people_write_restores_every_acknowledged_write()
    {
        using var api = host.Proxy.CreateClient();
        var writers = new List<(string Name, string Token)>();
        for (var i = 0; i < 3; i++)
        {
            var name = NewName("wendy");
            await RegisterAsync(api, name, $"Wendy Writer {i}");
            writers.Add((name, await LoginAsync(api, name)));
        }

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string Author, string Text, long At)>();
        using var stop = new CancellationTokenSource();
        var writing = writers.Select(w => Task.Run(async () =>
        {
            using var client = host.Proxy.CreateClient();
            for (var n = 0; !stop.IsCancellationRequested && n < 50; n++)
            {
                var text = $"{w.Name} note {n}";
                var posted = await client.SendAsync(Post("/api/v1/statuses", new { text }, w.Token));
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
                acknowledged.Add((w.Name, text, Stopwatch.GetTimestamp()));
            }
        })).ToList();
        while (acknowledged.Count < 6) await Task.Delay(20);

        var backupFile = Path.Combine(Path.GetTempPath(), $"fc-backup-{Guid.NewGuid():N}.zip");
        var backupStarted = Stopwatch.GetTimestamp();
        var backup = await PublishedApp.RunAsync("dotnet", [Path.Combine(await PublishedApp.DirectoryAsync(), "FriendConnect.Web.dll"), "backup", backupFile],
            Path.GetTempPath(), TimeSpan.FromMinutes(2), AppProcess.Environment(host.DataDirectory, host.AppPort));
        Assert.True(backup.ExitCode == 0, backup.Output);
        stop.Cancel();
        await Task.WhenAll(writing);
        var before = acknowledged.Where(a => a.At < backupStarted).ToList();
        Assert.NotEmpty(before);
        output.WriteLine($"{acknowledged.Count} writes, {before.Count} acknowledged before the backup started. {backup.Output.Trim()}");

        // A fresh installation restored from the file has them all, and the old tokens still work there: the keys came along.
        var restoredData = Path.Combine(Path.GetTempPath(), $"fc-restored-{Guid.NewGuid():N}");
        var restore = await PublishedApp.RunAsync("dotnet", [Path.Combine(await PublishedApp.DirectoryAsync(), "FriendConnect.Web.dll"), "restore", backupFile],
            Path.GetTempPath(), TimeSpan.FromMinutes(2), AppProcess.Environment(restoredData, PublishedApp.FreePort()));
        Assert.True(restore.ExitCode == 0, restore.Output);
        await using var restored = await AppProcess.StartAsync(restoredData);
        using var client = new HttpClient { BaseAddress = new Uri(restored.BaseUrl) };
        foreach (var writer in writers)
        {
            var history = await client.SendAsync(Get($"/api/v1/users/{writer.Name}/statuses?limit=50", writer.Token));
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
            var texts = (await history.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Select(i => (string)i!["text"]!).ToHashSet();
            foreach (var write in before.Where(b => b.Author == writer.Name))
                Assert.Contains(write.Text, texts);
        }
    }

    [Fact]
    public async Task Password_reset_works_end_to_end_through_the_mail_server()
    {
        var name = NewName("paula");
        var email = $"{name}@example.org";
        using var api = host.Proxy.CreateClient();
        await RegisterAsync(api, name, "Paula Forgetful", email);

        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/ForgotPassword");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await Expect(page.GetByText("check your email", new() { Exact = false })).ToBeVisibleAsync(new() { Timeout = 30000 });

        var message = await WaitForMailAsync(email);
        Assert.Equal("Reset your FriendConnect password", message.Subject);
        var link = ResetLink().Match(message.TextBody ?? "").Value;
        Assert.StartsWith($"{host.Proxy.HttpsUrl}/Account/ResetPassword?code=", link);

        const string newPassword = "Remembered!pass456";
        await page.GotoAsync(link);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(newPassword);
        await page.GetByLabel("Confirm password").FillAsync(newPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Expect(page.GetByText("Your password has been reset", new() { Exact = false })).ToBeVisibleAsync(new() { Timeout = 30000 });

        var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { login = name, password = newPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var old = await api.PostAsJsonAsync("/api/v1/auth/login", new { login = name, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task Where_addresses_are_confirmed_a_newcomer_signs_in_only_after_opening_the_emailed_link()
    {
        var settings = host.Settings;
        settings.Remove("ASPNETCORE_HTTPS_PORT");
        // This app is reached directly, at its own address.
        settings.Remove("App__PublicUrl");
        settings["Email__RequireConfirmedEmail"] = "true";
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fc-confirm-{Guid.NewGuid():N}")).FullName;
        await using var app = await AppProcess.StartAsync(data, settings);
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var name = NewName("cora");
        var email = $"{name}@example.org";

        var withoutEmail = await http.PostAsJsonAsync("/api/v1/auth/register", new { userName = name, password = Password });
        Assert.Equal(HttpStatusCode.BadRequest, withoutEmail.StatusCode);
        Assert.Contains("e-mail address", await withoutEmail.Content.ReadAsStringAsync());

        await RegisterAsync(http, name, "Cora Confirm", email);
        var early = await http.PostAsJsonAsync("/api/v1/auth/login", new { login = name, password = Password });
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        Assert.Contains("Confirm your e-mail address first", await early.Content.ReadAsStringAsync());
        // Someone guessing learns nothing about the account's state.
        var guess = await http.PostAsJsonAsync("/api/v1/auth/login", new { login = name, password = "Wrong!pass123" });
        Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);

        var message = await WaitForMailAsync(email);
        Assert.Equal("Confirm your e-mail address", message.Subject);
        var link = ConfirmLink().Match(message.TextBody ?? "").Value;
        Assert.StartsWith($"{app.BaseUrl}/Account/ConfirmEmail?userId=", link);
        var confirmed = await http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("Thank you for confirming", await confirmed.Content.ReadAsStringAsync());
        await LoginAsync(http, name);
    }

    private async Task<MimeMessage> WaitForMailAsync(string to)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var received in host.Smtp.ReceivedEmail)
            {
                var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(received.Data)));
                if (message.To.Mailboxes.Any(m => m.Address == to)) return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No e-mail reached {to}.");
    }

    internal static async Task RegisterAsync(HttpClient api, string userName, string displayName, string? email = null)
    {
        var response = await api.PostAsJsonAsync("/api/v1/auth/register", new { userName, email, displayName, password = Password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    internal static async Task<string> LoginAsync(HttpClient api, string login)
    {
        var response = await api.PostAsJsonAsync("/api/v1/auth/login", new { login, password = Password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
    }

    private static HttpRequestMessage Post(string url, object body, string token) => new(HttpMethod.Post, url)
    {
        Content = JsonContent.Create(body),
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    private static HttpRequestMessage Get(string url, string token) => new(HttpMethod.Get, url)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    [GeneratedRegex("""href="(?<href>_content/MudBlazor/MudBlazor\.min[^"]*\.css[^"]*)""")]
    private static partial Regex StylesheetLink();

    [GeneratedRegex(@"http://\S+/Account/ConfirmEmail\?userId=\S+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"https://\S+/Account/ResetPassword\?code=\S+")]
    private static partial Regex ResetLink();
}
