using System.Data.Common;

namespace FriendConnect.Web.Commands;

/// <summary>What a command gets: the app's services, its own arguments, and where to write.</summary>
public sealed record CommandContext(IServiceProvider Services, IReadOnlyList<string> Args, TextWriter Out, TextWriter Error, CancellationToken Cancellation);

/// <summary>An operator's command, run instead of the web server: <c>dotnet FriendConnect.Web.dll &lt;name&gt; ...</c>.</summary>
public interface IAdminCommand
{
    string Name { get; }
    string Usage { get; }

    /// <summary>Returns the process exit code: 0 on success.</summary>
    Task<int> RunAsync(CommandContext context);
}

/// <summary>
/// Dispatches the first command-line argument to a command. Arguments starting with "--" are configuration
/// (<c>--ConnectionStrings:FriendConnect=...</c>) and are not passed on, so a command uses the configured database.
/// </summary>
public static class AdminCommands
{
    public static IReadOnlyList<IAdminCommand> All { get; } =
        [new ModeratorsCommand(), new UsersCommand(), new BackupCommand(), new RestoreCommand(), new MigrateCommand()];

    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var command = positional.Count > 0 ? All.FirstOrDefault(c => c.Name == positional[0]) : null;
        if (command is null) return false;
        Environment.ExitCode = await RunAsync(command, app.Services, positional[1..], Console.Out, Console.Error);
        return true;
    }

    public static async Task<int> RunAsync(IAdminCommand command, IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        try
        {
            return await command.RunAsync(new CommandContext(scope.ServiceProvider, args, output, error, ct));
        }
        catch (DbException e)
        {
            await error.WriteLineAsync($"The database could not be used: {e.Message}");
            return 1;
        }
    }
}
