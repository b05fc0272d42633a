namespace FriendConnect.Tests.Infrastructure;

/// <summary>
/// The operator's commands, run through the app's own entry point the way the server's shell runs them: a host of
/// their own on the same database, so nothing they do reaches a running app except through the database.
/// </summary>
public static class CommandLine
{
    public static async Task ResetPasswordAsync(TestDatabase database, string userName)
    {
        var entry = typeof(Program).Assembly.EntryPoint!;
        string[] args = ["users", "reset-password", userName, .. database.CommandLineArgs, "--environment=Production"];
        // The compiled entry point blocks until the command ends.
        await Task.Run(() => entry.Invoke(null, [args])).WaitAsync(TimeSpan.FromSeconds(60));
    }
}
