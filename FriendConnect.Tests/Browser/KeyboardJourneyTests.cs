using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FriendConnect.Tests.Browser;

/// <summary>The whole friendship journey with the keyboard alone: Tab, Enter, Escape and arrow keys, no clicks.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardJourneyTests(BrowserFixture fixture)
{
    private static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Search_request_accept_from_the_bell_unfriend_and_sign_out_work_from_the_keyboard_alone()
    {
        var (aliceName, bobName) = (Unique("alice"), Unique("bob"));
        await fixture.App.CreateUserAsync(aliceName, "Alice Keys");
        await fixture.App.CreateUserAsync(bobName, "Bob Builder");
        await using var alice = await fixture.OpenAsUserAsync(aliceName, "/");
        await using var bob = await fixture.OpenAsUserAsync(bobName);
        var keys = alice.Page.Keyboard;

        // Alice searches the directory and opens Bob's profile.
        await TabToAsync(alice.Page, alice.Page.GetByLabel("Search people"));
        await keys.TypeAsync(bobName);
        var bobLink = alice.Page.GetByRole(AriaRole.Link, new() { Name = "Bob Builder" });
        await Expect(bobLink).ToHaveCountAsync(1);
        await TabToAsync(alice.Page, bobLink);
        await keys.PressAsync("Enter");
        await Expect(alice.Page.GetByRole(AriaRole.Heading, new() { Name = "Bob Builder", Level = 1 })).ToBeVisibleAsync();

        // She sends a request; focus moves to the control that replaced the button.
        await TabToAsync(alice.Page, alice.Button("Add friend Bob Builder"));
        await keys.PressAsync("Enter");
        await Expect(alice.Button("Cancel request to Bob Builder")).ToBeFocusedAsync();

        // Bob opens the bell: focus moves into the list, Escape closes it and gives focus back to the bell.
        await Expect(bob.Bell).ToHaveAccessibleNameAsync("Notifications, 1 unread");
        await TabToAsync(bob.Page, bob.Bell);
        await bob.Page.Keyboard.PressAsync("Enter");
        var item = bob.Page.GetByRole(AriaRole.Button, new() { Name = "Alice Keys sent you a friend request" });
        await Expect(item).ToBeFocusedAsync();
        await bob.Page.Keyboard.PressAsync("Escape");
        await Expect(item).ToHaveCountAsync(0);
        await Expect(bob.Bell).ToBeFocusedAsync();

        // He opens it again, chooses the request and accepts it.
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(item).ToBeFocusedAsync();
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(bob.Bell).ToHaveAccessibleNameAsync("Notifications");
        await TabToAsync(bob.Page, bob.Button("Accept friend request from Alice Keys"));
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(bob.Button("Unfriend Alice Keys")).ToBeVisibleAsync();
        // The answered request left the list with its buttons; focus lands on the requests heading, not <body>.
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Name = "Friend requests" })).ToBeFocusedAsync();

        // Alice's open profile turns to "Friends". Unfriend asks first, with "Keep" focused; Escape and Keep both cancel.
        var unfriend = alice.Button("Unfriend Bob Builder");
        await TabToAsync(alice.Page, unfriend);
        await keys.PressAsync("Enter");
        var dialog = alice.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" })).ToBeFocusedAsync();
        await keys.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(unfriend).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" })).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(unfriend).ToBeFocusedAsync();

        // Now she really unfriends: Tab from "Keep" to "Unfriend" in the dialog.
        await keys.PressAsync("Enter");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" })).ToBeFocusedAsync();
        await keys.PressAsync("Tab");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Unfriend" })).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(alice.Button("Add friend Bob Builder")).ToBeFocusedAsync();

        // She signs out from the account menu with the arrow keys.
        await TabToAsync(alice.Page, alice.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }));
        await keys.PressAsync("Enter");
        var signOut = alice.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" });
        await Expect(signOut).ToBeVisibleAsync();
        // The menu moves focus on the server's answer to each key, so wait for each step before the next press.
        for (var i = 0; !await IsFocusedAsync(signOut); i++)
        {
            Assert.True(i < 12, "Arrow keys never reached Sign out.");
            await keys.PressAsync("ArrowDown");
            try { await Expect(signOut).ToBeFocusedAsync(new() { Timeout = 1500 }); }
            catch (PlaywrightException) { }
        }
        await keys.PressAsync("Enter");
        await Expect(alice.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First).ToBeVisibleAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" })).ToHaveCountAsync(0);
    }

    /// <summary>Presses Tab until <paramref name="target"/> (or a control inside it) has focus.</summary>
    private static async Task TabToAsync(IPage page, ILocator target, int maxPresses = 60)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var i = 0; i < maxPresses; i++)
        {
            if (await IsFocusedAsync(target)) return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {target}.");
    }

    private static Task<bool> IsFocusedAsync(ILocator target) =>
        target.EvaluateAsync<bool>("e => e === document.activeElement || e.contains(document.activeElement)");
}
