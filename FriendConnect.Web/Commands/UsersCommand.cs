using System.Security.Cryptography;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Web.Commands;

/// <summary><c>users reset-password &lt;username&gt;</c>: for a server without e-mail, a new password to hand to its owner.</summary>
public sealed class UsersCommand : IAdminCommand
{
    public string Name => "users";
    public string Usage => "users reset-password <username>";

    public async Task<int> RunAsync(CommandContext context)
    {
        if (context.Args is not ["reset-password", var userName])
        {
            await context.Error.WriteLineAsync($"Usage: {Usage}");
            return 2;
        }
        var users = context.Services.GetRequiredService<UserManager<User>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            await context.Error.WriteLineAsync($"There is no user called '{userName}'.");
            return 1;
        }
        // Random letters and digits with one of each kind the password rules ask for; 16 random ones are well past guessing.
        var password = "Fc-" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16) + "a7Z";
        var result = await context.Services.GetRequiredService<AccountRecovery>().ResetPasswordAsync(user.Id, password, context.Cancellation);
        if (!result.Succeeded)
        {
            await context.Error.WriteLineAsync(result.Error!.Message);
            return 1;
        }
        context.Services.GetRequiredService<ILogger<UsersCommand>>().LogInformation("Password of {UserId} reset by command", user.Id);
        // A reset also ends every sign-in the account had: the security stamp changed.
        await context.Out.WriteLineAsync($"The password of '{user.UserName}' is now: {password}");
        await context.Out.WriteLineAsync("Give it to its owner and ask them to change it under Account settings.");
        return 0;
    }
}
