using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>A change made in one browser ends the person's open pages in every other browser within about a second.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionEndBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    [Theory]
    [InlineData("password change")]
    [InlineData("sign out everywhere")]
    public async Task The_other_browsers_open_dashboard_is_signed_out_at_once_and_this_browser_stays_signed_in(string how)
    {
        var name = Unique("pat");
        await fixture.App.CreateUserAsync(name, "Pat Twobrowsers");
        await using var here = await fixture.OpenAsUserAsync(name);
        await using var elsewhere = await fixture.OpenAsUserAsync(name);
        await Expect(elsewhere.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync();

        var clock = Stopwatch.StartNew();
        if (how == "password change")
        {
            await here.Page.GotoAsync("/Account/Manage/ChangePassword");
            await here.Page.GetByLabel("Old password").FillAsync(Infrastructure.AppFactory.Password);
            await here.Page.GetByLabel("New password").FillAsync("New!pass456");
            await here.Page.GetByLabel("Confirm password").FillAsync("New!pass456");
            clock.Restart();
            await here.Button("Update password").ClickAsync();
        }
        else
        {
            await here.Page.GotoAsync("/Account/Manage");
            clock.Restart();
            await here.Button("Sign out everywhere").ClickAsync();
        }

        await Expect(elsewhere.Page.GetByRole(AriaRole.Heading, new() { Name = "You have been signed out" }))
            .ToBeVisibleAsync(new() { Timeout = 10000 });
        output.WriteLine($"{how}: the other browser was signed out {clock.ElapsedMilliseconds} ms after the click");
        // It can no longer act: its dashboard now asks it to sign in.
        await elsewhere.Page.GotoAsync("/dashboard");
        await elsewhere.Page.WaitForURLAsync("**/Account/Login**");

        // This browser is still signed in.
        await Expect(here.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync(how == "password change" ? "password has been changed" : "signed out everywhere else");
        await here.GoToAsync("/dashboard");
        Assert.EndsWith("/dashboard", here.Page.Url);
        await Expect(here.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_password_reset_from_the_command_line_signs_out_the_open_dashboard_within_five_seconds_and_refuses_its_next_step()
    {
        var name = Unique("cli");
        await fixture.App.CreateUserAsync(name, "Cli Resetfromshell");
        await using var tab = await fixture.OpenAsUserAsync(name);
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToBeVisibleAsync();

        await Infrastructure.CommandLine.ResetPasswordAsync(fixture.App.Database, name);
        var clock = Stopwatch.StartNew();

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "You have been signed out" }))
            .ToBeVisibleAsync(new() { Timeout = (float)Api.SessionEndTests.OutsideChangeDeadline.TotalMilliseconds });
        output.WriteLine($"command-line reset: the open dashboard was signed out {clock.ElapsedMilliseconds} ms after the command returned");
        await tab.Page.GotoAsync("/dashboard");
        await tab.Page.WaitForURLAsync("**/Account/Login**");
    }
}
