using FriendConnect.Domain.Common;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Domain;

public sealed class AccountTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Joining_with_only_a_username_works()
    {
        var result = await RegisterAsync("alice", null);

        result.ShouldSucceed();
        Assert.Equal("alice", result.Value!.UserName);
        Assert.Null(result.Value.Email);
        Assert.Equal("alice", result.Value.DisplayName);
        Assert.NotNull(await FindAsync("alice"));
    }

    [Fact]
    public async Task Several_people_can_join_without_an_email()
    {
        (await RegisterAsync("alice", null)).ShouldSucceed();
        (await RegisterAsync("bob", null)).ShouldSucceed();
        (await RegisterAsync("carol", "")).ShouldSucceed();
    }

    [Fact]
    public async Task Joining_with_only_an_email_makes_a_handle_from_its_local_part()
    {
        var result = await RegisterAsync(null, "carol.smith@example.com");

        result.ShouldSucceed();
        Assert.Equal("carol.smith", result.Value!.UserName);
        Assert.Equal("carol.smith@example.com", result.Value.Email);
        Assert.Equal(result.Value.Id, (await FindAsync("carol.smith"))?.Id);
    }

    [Fact]
    public async Task Joining_with_an_email_whose_handle_is_taken_gets_a_numbered_handle()
    {
        (await RegisterAsync("Alice", null)).ShouldSucceed();

        var second = await RegisterAsync(null, "alice@example.com");
        var third = await RegisterAsync(null, "alice@example.org");

        Assert.Equal("alice2", second.Value?.UserName);
        Assert.Equal("alice3", third.Value?.UserName);
    }

    [Theory]
    [InlineData("jo@example.com", "userjo")]
    [InlineData("mary+news@example.com", "marynews")]
    public async Task Joining_with_only_an_email_makes_a_valid_handle_from_an_awkward_local_part(string email, string handle)
    {
        var result = await RegisterAsync(null, email);

        Assert.Equal(handle, result.Value?.UserName);
    }

    [Fact]
    public async Task Joining_with_a_username_and_an_email_keeps_both()
    {
        var result = await RegisterAsync("alice", "someone@example.com", "Alice Johnson");

        result.ShouldSucceed();
        Assert.Equal("alice", result.Value!.UserName);
        Assert.Equal("someone@example.com", result.Value.Email);
        Assert.Equal("Alice Johnson", result.Value.DisplayName);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("   ", "  ")]
    public async Task Joining_with_neither_username_nor_email_is_a_validation_error(string? userName, string? email)
    {
        var result = await RegisterAsync(userName, email);

        Assert.Equal(nameof(Registration.UserName), result.ShouldFailWith(ErrorKind.Validation).Field);
    }

    [Theory]
    [InlineData("ab", "A username has 3 to 32 characters.")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "A username has 3 to 32 characters.")]
    [InlineData("al ice", "A username may use only letters, digits, '.', '_' and '-'.")]
    [InlineData("alice!", "A username may use only letters, digits, '.', '_' and '-'.")]
    [InlineData("alice@home", "A username may use only letters, digits, '.', '_' and '-'.")]
    [InlineData("élodie", "A username may use only letters, digits, '.', '_' and '-'.")]
    public async Task Invalid_usernames_are_rejected_with_a_clear_message(string userName, string message)
    {
        var result = await RegisterAsync(userName, null);

        var error = result.ShouldFailWith(ErrorKind.Validation);
        Assert.Equal(message, error.Message);
        Assert.Equal(nameof(Registration.UserName), error.Field);
        Assert.Null(await FindAsync(userName));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a.b_c-9")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    public async Task Usernames_of_letters_digits_dots_underscores_and_dashes_are_accepted(string userName)
    {
        var result = await RegisterAsync(userName, null);

        result.ShouldSucceed();
        Assert.Equal(userName, result.Value!.UserName);
    }

    [Fact]
    public async Task A_display_name_longer_than_64_characters_is_rejected()
    {
        var result = await RegisterAsync("alice", null, new string('d', 65));

        var error = result.ShouldFailWith(ErrorKind.Validation);
        Assert.Equal(nameof(Registration.DisplayName), error.Field);
        Assert.Contains("64", error.Message);
        Assert.Null(await FindAsync("alice"));
    }

    [Fact]
    public async Task A_display_name_of_64_characters_is_accepted()
    {
        var result = await RegisterAsync("alice", null, new string('d', 64));

        Assert.Equal(64, result.Value?.DisplayName.Length);
    }

    [Fact]
    public async Task Usernames_are_unique_ignoring_case()
    {
        (await RegisterAsync("Alice", null)).ShouldSucceed();

        var result = await RegisterAsync("alice", null);

        Assert.Equal(nameof(Registration.UserName), result.ShouldFailWith(ErrorKind.Validation).Field);
        await using var db = _app.NewDbContext();
        Assert.Equal(1, db.Users.Count());
    }

    [Fact]
    public async Task Emails_are_unique_ignoring_case()
    {
        (await RegisterAsync("alice", "Alice@Example.com")).ShouldSucceed();

        var result = await RegisterAsync("other", "alice@example.COM");

        Assert.Equal(nameof(Registration.Email), result.ShouldFailWith(ErrorKind.Validation).Field);
        Assert.Null(await FindAsync("other"));
    }

    [Fact]
    public async Task Joining_with_only_an_email_that_is_taken_is_refused()
    {
        (await RegisterAsync("alice", "alice@example.com")).ShouldSucceed();

        var result = await RegisterAsync(null, "ALICE@example.com");

        Assert.Equal(nameof(Registration.Email), result.ShouldFailWith(ErrorKind.Validation).Field);
        await using var db = _app.NewDbContext();
        Assert.Equal(1, db.Users.Count());
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("alice@localhost")]
    [InlineData("alice@@example.com")]
    [InlineData("Alice <alice@example.com>")]
    [InlineData("alice@exa mple.com")]
    public async Task Invalid_emails_are_rejected(string email)
    {
        var result = await RegisterAsync("alice", email);

        Assert.Equal(nameof(Registration.Email), result.ShouldFailWith(ErrorKind.Validation).Field);
        Assert.Null(await FindAsync("alice"));
    }

    [Fact]
    public async Task A_weak_password_is_reported_against_the_password_field()
    {
        var result = await _app.WithAccountsAsync(a => a.RegisterAsync(new Registration("alice", null, null, "short")));

        Assert.Contains(result.Errors, e => e.Field == nameof(Registration.Password));
        Assert.Null(await FindAsync("alice"));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("ALICE")]
    [InlineData("  Alice ")]
    [InlineData("alice@example.com")]
    [InlineData("Alice@EXAMPLE.com")]
    public async Task Sign_in_finds_an_account_by_username_or_email_ignoring_case(string signInName)
    {
        var alice = (await RegisterAsync("Alice", "alice@example.com")).Value!;
        (await RegisterAsync("bob", "bob@example.com")).ShouldSucceed();

        var found = await FindAsync(signInName);

        Assert.Equal(alice.Id, found?.Id);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("nobody@example.com")]
    [InlineData("")]
    public async Task Sign_in_with_an_unknown_name_finds_nothing(string signInName)
    {
        (await RegisterAsync("alice", "alice@example.com")).ShouldSucceed();

        Assert.Null(await FindAsync(signInName));
    }

    [Fact]
    public async Task Updating_the_display_name_saves_it_trimmed_and_makes_it_searchable()
    {
        var alice = (await RegisterAsync("alice", null, "Alice")).Value!;
        using var recorder = new LiveRecorder(_app.Live, alice.Id);

        var result = await _app.WithAccountsAsync(a => a.UpdateDisplayNameAsync(alice.Id, "  Queen of Hearts "));

        result.ShouldSucceed();
        Assert.Equal("Queen of Hearts", (await _app.Get<UserDirectory>().GetSummaryAsync(alice.Id))?.DisplayName);
        var found = await _app.Get<UserDirectory>().SearchAsync(null, "hearts", 0, 10);
        Assert.Equal(alice.Id, Assert.Single(found.Items).User.Id);
        Assert.Contains(recorder.For(alice.Id), e => e.Changes.HasFlag(LiveChange.Profile));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("    ")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task Updating_to_an_invalid_display_name_is_rejected_and_keeps_the_old_one(string? displayName)
    {
        var alice = (await RegisterAsync("alice", null, "Alice")).Value!;

        var result = await _app.WithAccountsAsync(a => a.UpdateDisplayNameAsync(alice.Id, displayName));

        result.ShouldFailWith(ErrorKind.Validation);
        Assert.Equal("Alice", (await _app.Get<UserDirectory>().GetSummaryAsync(alice.Id))?.DisplayName);
    }

    [Fact]
    public async Task Updating_the_display_name_of_a_missing_account_is_not_found()
    {
        var result = await _app.WithAccountsAsync(a => a.UpdateDisplayNameAsync(Guid.NewGuid().ToString(), "Ghost"));

        result.ShouldFailWith(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Two_people_claiming_the_same_username_at_once_get_one_account()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => RegisterAsync("alice", $"alice{i}@example.com"))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => r.ShouldFailWith(ErrorKind.Validation));
        await using var db = _app.NewDbContext();
        Assert.Equal(1, db.Users.Count());
    }

    [Fact]
    public async Task People_joining_at_once_with_only_an_email_all_get_accounts_with_distinct_handles()
    {
        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                Task.Run(() => RegisterAsync(null, $"sam{round}@example{i}.com"))));

            Assert.All(results, r => Assert.True(r.Succeeded, string.Join(" ", r.Errors.Select(e => e.Message))));
            Assert.Equal(6, results.Select(r => r.Value!.UserName).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("alice\0")]
    [InlineData("\0alice@example.com")]
    [InlineData("alice\u0001")]
    [InlineData("alice\ud800")]
    public async Task Looking_up_an_account_by_a_name_or_address_no_account_could_have_finds_none(string key)
    {
        await _app.CreateUserAsync("alice", email: "alice@example.com");
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();

        Assert.Null(await users.FindByNameAsync(key));
        Assert.Null(await users.FindByEmailAsync(key));
        Assert.Null(await FindAsync(key));
    }

    private Task<Result<User>> RegisterAsync(string? userName, string? email, string? displayName = null) =>
        _app.WithAccountsAsync(a => a.RegisterAsync(new Registration(userName, email, displayName, DomainFixture.Password)));

    private Task<User?> FindAsync(string signInName) => _app.WithAccountsAsync(a => a.FindForSignInAsync(signInName));
}
