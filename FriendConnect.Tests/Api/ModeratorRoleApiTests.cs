using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

public sealed class ModeratorRoleApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Registering_a_name_listed_in_the_old_moderators_setting_gives_no_role()
    {
        var name = app.NewName("configured");
        using var configured = app.WithWebHostBuilder(b => b.UseSetting("Moderation:Moderators:0", name));
        using var client = configured.CreateClient();

        var registered = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { userName = name, email = $"{name}@example.com", displayName = "Claimer", password = ApiFactory.Password });

        await Http.ExpectAsync(registered, 200);
        var id = await app.QueryAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync());
        Assert.False(await app.QueryAsync(db => db.UserRoles.AnyAsync(ur => ur.UserId == id)));
    }
}
