using FriendConnect.Web.Hosting;

namespace FriendConnect.Web.Commands;

/// <summary><c>backup &lt;file.zip&gt;</c>: a consistent copy of the database and the keys, taken while the app runs.</summary>
public sealed class BackupCommand : IAdminCommand
{
    public string Name => "backup";
    public string Usage => "backup <file.zip>";

    public async Task<int> RunAsync(CommandContext context)
    {
        if (context.Args is not [var file])
        {
            await context.Error.WriteLineAsync($"Usage: {Usage}");
            return 2;
        }
        var backups = context.Services.GetRequiredService<Backups>();
        if (!backups.Supported)
        {
            await context.Error.WriteLineAsync(Backups.PostgresAdvice);
            return 1;
        }
        if (!File.Exists(backups.DatabasePath))
        {
            await context.Error.WriteLineAsync($"There is no database at {backups.DatabasePath} to back up.");
            return 1;
        }
        var started = TimeProvider.System.GetTimestamp();
        await backups.CreateAsync(file, context.Cancellation);
        await context.Out.WriteLineAsync(
            $"Backed up {backups.DatabasePath} and its keys to {Path.GetFullPath(file)} in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s.");
        return 0;
    }
}

/// <summary><c>restore &lt;file.zip&gt;</c>: puts a backup in place. Stop the app first.</summary>
public sealed class RestoreCommand : IAdminCommand
{
    public string Name => "restore";
    public string Usage => "restore <file.zip>   (stop the app first)";

    public async Task<int> RunAsync(CommandContext context)
    {
        if (context.Args is not [var file])
        {
            await context.Error.WriteLineAsync($"Usage: {Usage}");
            return 2;
        }
        var backups = context.Services.GetRequiredService<Backups>();
        if (!backups.Supported)
        {
            await context.Error.WriteLineAsync(Backups.PostgresAdvice);
            return 1;
        }
        if (!File.Exists(file))
        {
            await context.Error.WriteLineAsync($"There is no file {Path.GetFullPath(file)}.");
            return 1;
        }
        try
        {
            backups.Restore(file);
        }
        catch (InvalidDataException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return 1;
        }
        await context.Out.WriteLineAsync($"Restored {backups.DatabasePath} and its keys from {Path.GetFullPath(file)}. Start the app to use it.");
        return 0;
    }
}

/// <summary><c>migrate</c>: applies pending migrations after an automatic backup, for those who upgrade explicitly.</summary>
public sealed class MigrateCommand : IAdminCommand
{
    public string Name => "migrate";
    public string Usage => "migrate";

    public async Task<int> RunAsync(CommandContext context)
    {
        var upgrade = context.Services.GetRequiredService<DatabaseUpgrade>();
        var pending = await upgrade.PendingAsync(context.Cancellation);
        if (pending.Count == 0)
        {
            await context.Out.WriteLineAsync("The database is up to date.");
            return 0;
        }
        try
        {
            await upgrade.ApplyAsync(context.Cancellation);
        }
        catch (UpgradeFailedException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return FriendConnectHosting.ConfigurationExitCode;
        }
        await context.Out.WriteLineAsync($"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        return 0;
    }
}
