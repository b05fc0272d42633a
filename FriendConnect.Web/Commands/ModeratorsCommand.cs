using FriendConnect.Domain.Moderation;

namespace FriendConnect.Web.Commands;

/// <summary><c>moderators list</c>, <c>moderators grant &lt;username&gt;</c>, <c>moderators revoke &lt;username&gt;</c>.</summary>
public sealed class ModeratorsCommand : IAdminCommand
{
    public string Name => "moderators";
    public string Usage => "moderators list | moderators grant <username> | moderators revoke <username>";

    public async Task<int> RunAsync(CommandContext context)
    {
        var moderation = context.Services.GetRequiredService<ModerationService>();
        var ct = context.Cancellation;
        switch (context.Args)
        {
            case ["list"]:
                var names = await moderation.ListModeratorsAsync(ct);
                await context.Out.WriteLineAsync(names.Count == 0 ? "There are no moderators." : $"Moderators: {string.Join(", ", names)}");
                return 0;
            case ["grant", var userName]:
                return await ReportAsync(context, await moderation.GrantAsync(userName, ct), $"'{userName}' is now a moderator.");
            case ["revoke", var userName]:
                return await ReportAsync(context, await moderation.RevokeAsync(userName, ct), $"'{userName}' is no longer a moderator.");
            default:
                await context.Error.WriteLineAsync($"Usage: {Usage}");
                return 2;
        }
    }

    private static async Task<int> ReportAsync(CommandContext context, Domain.Common.Result result, string success)
    {
        if (result.Succeeded)
        {
            await context.Out.WriteLineAsync(success);
            return 0;
        }
        await context.Error.WriteLineAsync(result.Error!.Message);
        return 1;
    }
}
