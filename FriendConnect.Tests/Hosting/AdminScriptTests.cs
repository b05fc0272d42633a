using FriendConnect.Domain.Data;

namespace FriendConnect.Tests.Hosting;

/// <summary>
/// deploy/friendconnect-admin as root's crontab runs it: no environment but cron's PATH, started from a folder of the
/// caller's. Its settings file, release folder and service user are moved to the test's own; the rest runs as written.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AdminScriptTests : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fc-admin-{Guid.NewGuid():N}")).FullName;

    private string Caller => Path.Combine(_root, "caller");
    private string Data => Path.Combine(_root, "data");

    [Fact]
    public async Task Under_crons_path_backup_and_restore_take_relative_paths_from_the_callers_folder_and_never_use_tmp()
    {
        var script = await InstallScriptAsync();
        Directory.CreateDirectory(Caller);
        Directory.CreateDirectory(Data);
        var name = $"fc-admin-{Guid.NewGuid():N}.zip";

        var migrate = await RunAsync(script, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        var backup = await RunAsync(script, "backup", name);
        Assert.True(backup.ExitCode == 0, backup.Output);

        var written = Path.Combine(Caller, name);
        Assert.True(File.Exists(written), $"The backup is not in the caller's folder:\n{backup.Output}");
        Assert.False(File.Exists(Path.Combine("/tmp", name)), "The backup landed in /tmp.");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written));

        File.Delete(Path.Combine(Data, DataOptions.DatabaseFileName));
        var restore = await RunAsync(script, "restore", name);
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.True(File.Exists(Path.Combine(Data, DataOptions.DatabaseFileName)), restore.Output);
        Assert.Contains(written, restore.Output);
    }

    private async Task<string> InstallScriptAsync()
    {
        var settings = Path.Combine(_root, "friendconnect.env");
        await File.WriteAllTextAsync(settings, $"""
            ASPNETCORE_ENVIRONMENT=Production
            ASPNETCORE_URLS=http://127.0.0.1:{PublishedApp.FreePort()}
            Data__Directory={Data}
            """);
        var script = Path.Combine(_root, "friendconnect-admin");
        var text = (await File.ReadAllTextAsync(Path.Combine(PublishedApp.RepositoryRoot, "deploy", "friendconnect-admin")))
            .Replace("/etc/friendconnect/friendconnect.env", settings)
            .Replace("/opt/friendconnect/current", await PublishedApp.DirectoryAsync())
            .Replace("-u friendconnect ", $"-u {Environment.UserName} ");
        await File.WriteAllTextAsync(script, text);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>As cron starts a job: an empty environment but PATH=/usr/bin:/bin.</summary>
    private Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args) =>
        PublishedApp.RunAsync("/usr/bin/env", ["-i", "PATH=/usr/bin:/bin", script, .. args], Caller, TimeSpan.FromMinutes(2));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
