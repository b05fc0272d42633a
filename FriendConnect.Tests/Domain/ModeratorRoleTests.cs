using FriendConnect.Domain.Common;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Web.Commands;

namespace FriendConnect.Tests.Domain;

public sealed class ModeratorRoleTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    private ModerationService Moderation => _app.Get<ModerationService>();

    [Fact]
    public async Task The_first_account_of_a_new_installation_becomes_a_moderator()
    {
        var first = await _app.CreateUserAsync("founder");

        Assert.True(await Moderation.IsModeratorAsync(first.Id));
    }

    [Fact]
    public async Task The_second_account_does_not_become_a_moderator()
    {
        await _app.CreateUserAsync("founder");
        var second = await _app.CreateUserAsync("second");

        Assert.False(await Moderation.IsModeratorAsync(second.Id));
    }

    [Fact]
    public async Task Deleting_the_last_moderator_and_registering_again_does_not_hand_out_the_role()
    {
        var founder = await _app.CreateUserAsync("founder");
        var other = await _app.CreateUserAsync("other");
        (await _app.WithAccountsAsync(a => a.DeleteAsync(founder.Id))).ShouldSucceed();

        var next = await _app.CreateUserAsync("next");

        Assert.False(await Moderation.IsModeratorAsync(next.Id));
        Assert.False(await Moderation.IsModeratorAsync(other.Id));
        Assert.Empty(await Moderation.ListModeratorsAsync());
    }

    [Fact]
    public async Task Registering_the_name_of_a_deleted_moderator_gives_no_role()
    {
        await _app.CreateUserAsync("founder");
        var alice = await _app.CreateUserAsync("alice");
        (await Moderation.GrantAsync("alice")).ShouldSucceed();
        (await _app.WithAccountsAsync(a => a.DeleteAsync(alice.Id))).ShouldSucceed();

        var impostor = await _app.CreateUserAsync("alice");

        Assert.False(await Moderation.IsModeratorAsync(impostor.Id));
    }

    [Fact]
    public async Task Two_concurrent_first_sign_ups_give_exactly_one_moderator()
    {
        var users = await Task.WhenAll(_app.CreateUserAsync("first-a"), _app.CreateUserAsync("first-b"));

        var moderators = 0;
        foreach (var user in users)
            if (await Moderation.IsModeratorAsync(user.Id)) moderators++;
        Assert.Equal(1, moderators);
    }

    [Fact]
    public async Task The_moderators_command_grants_lists_and_revokes_the_role()
    {
        await _app.CreateUserAsync("founder");
        var bob = await _app.CreateUserAsync("bob");

        var (granted, grantOut, _) = await RunAsync("grant", "bob");
        Assert.Equal(0, granted);
        Assert.Contains("'bob' is now a moderator", grantOut);
        Assert.True(await Moderation.IsModeratorAsync(bob.Id));

        var (listed, listOut, _) = await RunAsync("list");
        Assert.Equal(0, listed);
        Assert.Contains("bob", listOut);
        Assert.Contains("founder", listOut);

        var (revoked, revokeOut, _) = await RunAsync("revoke", "bob");
        Assert.Equal(0, revoked);
        Assert.Contains("'bob' is no longer a moderator", revokeOut);
        Assert.False(await Moderation.IsModeratorAsync(bob.Id));
    }

    [Fact]
    public async Task The_moderators_command_fails_clearly_for_an_unknown_user()
    {
        var (granted, _, grantError) = await RunAsync("grant", "nobody");
        Assert.Equal(1, granted);
        Assert.Contains("There is no user called 'nobody'", grantError);

        var (revoked, _, revokeError) = await RunAsync("revoke", "nobody");
        Assert.Equal(1, revoked);
        Assert.Contains("nobody", revokeError);

        var (usage, _, usageError) = await RunAsync("promote", "somebody");
        Assert.NotEqual(0, usage);
        Assert.Contains("Usage: moderators", usageError);
    }

    [Fact]
    public async Task The_app_entry_point_runs_the_moderators_command_instead_of_the_web_server()
    {
        var carol = await _app.CreateUserAsync("carol");
        await _app.CreateUserAsync("dave");
        var entry = typeof(Program).Assembly.EntryPoint!;

        string[] args = ["moderators", "grant", "dave", .. _app.Database.CommandLineArgs, "--environment=Production"];

        // The compiled entry point blocks until the program ends; a web server would never return.
        await Task.Run(() => entry.Invoke(null, [args])).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, Environment.ExitCode);
        Assert.Equal(["carol", "dave"], await Moderation.ListModeratorsAsync());
        Assert.True(await Moderation.IsModeratorAsync(carol.Id));
    }

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommands.RunAsync(new ModeratorsCommand(), _app.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
