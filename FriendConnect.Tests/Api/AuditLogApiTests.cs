using System.Text.Json.Nodes;

namespace FriendConnect.Tests.Api;

/// <summary>GET /api/v1/moderation/audit: the audit log for moderators, newest first, cursor-paged, by person.</summary>
public sealed class AuditLogApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private ApiUser Mod => app.Moderator;

    [Fact]
    public async Task Moderators_page_through_the_audit_log_newest_first_and_filter_it_by_person()
    {
        var (rhea, sam) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await Mod.SuspendAsync(rhea, days: 2, reason: "spam links");
        await Http.ExpectAsync(await Mod.DeleteAsync($"/api/v1/moderation/users/{rhea.UserName}/suspension"), 204);
        await Mod.SuspendAsync(sam, days: null, reason: "threats");

        var first = await Mod.GetJsonAsync("/api/v1/moderation/audit?limit=2");
        var items = first["items"]!.AsArray();
        Assert.Equal(["UserSuspended", "SuspensionLifted"], items.Select(i => (string?)i!["action"]));
        Assert.Equal(Mod.UserName, (string?)items[0]!["actor"]!["userName"]);
        Assert.Equal(sam.UserName, (string?)items[0]!["target"]!["userName"]);
        Assert.Equal("threats", (string?)items[0]!["reason"]);
        Assert.Equal(rhea.Id, (string?)items[1]!["targetUserId"]);

        var next = (string?)first["next"];
        Assert.NotNull(next);
        var second = (await Mod.GetJsonAsync(next))["items"]!.AsArray();
        Assert.Equal("UserSuspended", (string?)second[0]!["action"]);
        Assert.Equal("spam links", (string?)second[0]!["reason"]);
        Assert.True((long)second[0]!["id"]! < (long)items[1]!["id"]!);

        var rheas = (await Mod.GetJsonAsync($"/api/v1/moderation/audit?person={rhea.UserName}"))["items"]!.AsArray();
        Assert.Equal(["SuspensionLifted", "UserSuspended"], rheas.Select(i => (string?)i!["action"]));
        Assert.All(rheas, i => Assert.Equal(rhea.Id, (string?)i!["targetUserId"]));
        Assert.Null((string?)(await Mod.GetJsonAsync($"/api/v1/moderation/audit?person={rhea.UserName}"))["nextCursor"]);
    }

    [Fact]
    public async Task Only_moderators_read_the_audit_log_and_bad_input_is_a_clear_problem()
    {
        var rhea = await app.RegisterAndLoginAsync();

        await Http.ProblemAsync(await rhea.GetAsync("/api/v1/moderation/audit"), 403);
        using var anonymous = app.Anonymous();
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/moderation/audit"), 401);
        await Http.ValidationProblemAsync(await Mod.GetAsync("/api/v1/moderation/audit?cursor=yesterday"), "cursor");
        await Http.ProblemAsync(await Mod.GetAsync("/api/v1/moderation/audit?person=nobody-at-all"), 404);
    }
}
