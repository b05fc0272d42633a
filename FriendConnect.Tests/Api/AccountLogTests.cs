using System.Net;
using System.Net.Http.Json;
using System.Text;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Commands;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Api;

/// <summary>What the app's logs say about accounts: ids, never what was typed, and no value that can break a line.</summary>
public sealed class AccountLogTests(SignInLimitedApiFactory app) : IClassFixture<SignInLimitedApiFactory>
{
    private const string Wrong = "Wrong!pass999";
    private static int _address;

    private static string NextAddress() => $"10.8.0.{Interlocked.Increment(ref _address)}";

    private static async Task<HttpResponseMessage> ApiLoginAsync(HttpClient client, string login, string password) =>
        await client.PostAsJsonAsync("/api/v1/auth/login", new { login, password });

    [Fact]
    public async Task No_log_line_holds_the_login_that_was_typed()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        const string passwordTypedAsName = "Correct-Horse-Battery-9";
        var email = $"{user.UserName}@example.com";
        using var client = app.ClientFrom(NextAddress());

        await Http.ProblemAsync(await ApiLoginAsync(client, passwordTypedAsName, Wrong), 401);
        for (var i = 0; i < SignInLimitedApiFactory.PerAccount; i++)
            await Http.ProblemAsync(await ApiLoginAsync(client, email, Wrong), 401);
        await Http.ProblemAsync(await ApiLoginAsync(client, email, Wrong), 429);
        using var browser = app.ClientFrom(NextAddress());
        Assert.Equal(HttpStatusCode.OK, (await BrowserForms.SignInAsync(browser, passwordTypedAsName, Wrong)).StatusCode);

        var lines = app.Logs.Lines.Select(l => l.Message).ToList();
        Assert.Contains(lines, l => l.Contains(user.Id));
        Assert.DoesNotContain(lines, l => l.Contains(passwordTypedAsName, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_carriage_return_or_line_feed_in_a_logged_value_is_escaped()
    {
        using var client = app.ClientFrom(NextAddress());

        await client.GetAsync("/api/v1/users/someone%0D%0A2026-12-07T00:00:00.000Z%20info:%20forged%1B[2J");

        var line = Assert.Single(app.Logs.Lines, l => l.Category == "FriendConnect.Requests" && l.Message.Contains("forged")).Message;
        Assert.DoesNotContain("\r", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", line, StringComparison.Ordinal);
        Assert.Contains(@"someone\r\n2026", line);
    }

    [Fact]
    public async Task A_password_reset_by_e_mail_is_logged_with_the_account_id()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            token = await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(user.Id))!);
        }
        using var browser = app.ClientFrom(NextAddress());
        const string newPassword = "Fresh!pass4567";

        var reset = await BrowserForms.PostFormAsync(browser,
            $"/Account/ResetPassword?code={WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token))}", "reset-password",
            new Dictionary<string, string>
            {
                ["Input.Email"] = $"{user.UserName}@example.com",
                ["Input.Password"] = newPassword,
                ["Input.ConfirmPassword"] = newPassword,
                ["Input.Code"] = token,
            });

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Contains(app.Logs.Lines, l => l.Message.Contains(user.Id) && l.Message.Contains("e-mail"));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Message.Contains(newPassword));
    }

    [Fact]
    public async Task A_password_reset_by_command_is_logged_with_the_account_id()
    {
        var user = await app.CreateUserDirectAsync(signIn: false);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AdminCommands.RunAsync(new UsersCommand(), app.Services, ["reset-password", user.UserName], output, error);

        Assert.Equal(0, exit);
        var newPassword = output.ToString().Split("is now: ")[1].Split('\n')[0].Trim();
        Assert.Contains(app.Logs.Lines, l => l.Message.Contains(user.Id) && l.Message.Contains("command"));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Message.Contains(newPassword));
    }
}
