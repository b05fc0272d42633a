using FriendConnect.Domain.Common;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Domain;

public sealed class EmailChangeTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Changing_the_email_keeps_the_username_and_confirms_the_new_address()
    {
        var bob = await _app.CreateUserAsync("bob", email: "bob@example.com");

        var change = (await _app.WithAccountsAsync(a => a.RequestEmailChangeAsync(bob.Id, DomainFixture.Password, "robert@example.org"))).Value!;
        var confirmed = await _app.WithAccountsAsync(a => a.ConfirmEmailChangeAsync(bob.Id, change.Email, change.Token));

        confirmed.ShouldSucceed();
        var after = await FindAsync(bob.Id);
        Assert.Equal("bob", after.UserName);
        Assert.Equal("robert@example.org", after.Email);
        Assert.True(after.EmailConfirmed);
    }

    [Fact]
    public async Task Changing_the_email_to_an_address_another_account_has_is_refused()
    {
        await _app.CreateUserAsync("carol", email: "carol@example.com");
        var bob = await _app.CreateUserAsync("bob", email: "bob@example.com");

        var error = (await _app.WithAccountsAsync(a => a.RequestEmailChangeAsync(bob.Id, DomainFixture.Password, "CAROL@example.com"))).ShouldFailWith(ErrorKind.Validation);
        Assert.Equal("Email", error.Field);
        (await _app.WithAccountsAsync(a => a.RequestEmailChangeAsync(bob.Id, DomainFixture.Password, "not an address"))).ShouldFailWith(ErrorKind.Validation);

        // A token issued for a free address does not complete once someone else has taken it.
        var change = (await _app.WithAccountsAsync(a => a.RequestEmailChangeAsync(bob.Id, DomainFixture.Password, "shared@example.com"))).Value!;
        await _app.CreateUserAsync("dave", email: "shared@example.com");
        (await _app.WithAccountsAsync(a => a.ConfirmEmailChangeAsync(bob.Id, change.Email, change.Token))).ShouldFailWith(ErrorKind.Validation);

        var after = await FindAsync(bob.Id);
        Assert.Equal("bob", after.UserName);
        Assert.Equal("bob@example.com", after.Email);
    }

    [Fact]
    public async Task Changing_the_email_needs_the_current_password_and_names_the_old_address_to_tell()
    {
        var bob = await _app.CreateUserAsync("bob", email: "bob@example.com");

        var wrong = (await _app.WithAccountsAsync(a => a.RequestEmailChangeAsync(bob.Id, "Wrong!pass123", "robert@example.org"))).ShouldFailWith(ErrorKind.Validation);
        var missing = (await _app.WithAccountsAsync(a => a.RequestEmailChangeAsync(bob.Id, null, "robert@example.org"))).ShouldFailWith(ErrorKind.Validation);
        var change = (await _app.WithAccountsAsync(a => a.RequestEmailChangeAsync(bob.Id, DomainFixture.Password, "robert@example.org"))).Value!;

        Assert.Equal("Password", wrong.Field);
        Assert.Equal("Password", missing.Field);
        Assert.Equal("bob@example.com", change.PreviousEmail);
        Assert.Equal("bob@example.com", (await FindAsync(bob.Id)).Email);
    }

    [Fact]
    public async Task Registering_with_a_weak_password_names_the_password_field_alongside_other_mistakes()
    {
        var result = await _app.WithAccountsAsync(a => a.RegisterAsync(new Registration("x", null, null, "short")));

        Assert.Contains(result.Errors, e => e.Field == nameof(Registration.UserName));
        Assert.Contains(result.Errors, e => e.Field == nameof(Registration.Password));
    }

    private async Task<User> FindAsync(string id)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(id))!;
    }
}
