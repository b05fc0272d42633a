using FriendConnect.Domain.Moderation;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>/api/v1/moderation…: the queue, dismiss, hide-status, suspend, lift, grant.</summary>
public sealed class ModerationApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private ApiUser Mod => app.Moderator;

    [Fact]
    public async Task Queue_lists_open_reports_for_moderators_only()
    {
        var (reporter, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var statusId = await target.PostStatusAsync("bad post");
        var id = await reporter.ReportAsync(app, target, statusId, "InappropriateContent", "look at this");

        var queue = await Mod.GetJsonAsync("/api/v1/moderation/reports?limit=50");

        var item = queue["items"]!.AsArray().Single(r => (long)r!["id"]! == id)!;
        Assert.Equal("InappropriateContent", (string?)item["reason"]);
        Assert.Equal("look at this", (string?)item["details"]);
        Assert.Equal(reporter.UserName, (string?)item["reporter"]!["userName"]);
        Assert.Equal(target.UserName, (string?)item["target"]!["userName"]);
        Assert.Equal("bad post", (string?)item["status"]!["text"]);
        Assert.True(queue.AsObject().ContainsKey("nextCursor") && queue.AsObject().ContainsKey("next"));

        await Http.ProblemAsync(await reporter.GetAsync("/api/v1/moderation/reports"), 403);
        using var anonymous = app.Anonymous();
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/moderation/reports"), 401);
    }

    [Fact]
    public async Task Dismiss_closes_the_report_and_tells_the_reporter()
    {
        var (reporter, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await reporter.ReportAsync(app, target);

        await Http.ProblemAsync(await reporter.PostAsync($"/api/v1/moderation/reports/{id}/dismiss"), 403);
        await Http.ExpectAsync(await Mod.PostAsync($"/api/v1/moderation/reports/{id}/dismiss"), 204);

        Assert.Equal(ReportState.Dismissed, await app.QueryAsync(db => db.Reports.Where(r => r.Id == id).Select(r => r.State).SingleAsync()));
        Assert.Equal("ReportResolved", (string?)(await reporter.NotificationsAsync())[0]!["kind"]);
        Assert.Empty(await target.NotificationsAsync());
        Assert.DoesNotContain((await Mod.GetJsonAsync("/api/v1/moderation/reports?limit=50"))["items"]!.AsArray(), r => (long)r!["id"]! == id);
        await Http.ProblemAsync(await Mod.PostAsync($"/api/v1/moderation/reports/{id}/dismiss"), 409);
        await Http.ProblemAsync(await Mod.PostAsync("/api/v1/moderation/reports/987654321/dismiss"), 404);
    }

    [Fact]
    public async Task Hide_status_hides_it_everywhere()
    {
        var (reporter, author, friend) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await author.BefriendAsync(friend);
        var okId = await author.PostStatusAsync("fine");
        var badId = await author.PostStatusAsync("awful");
        var id = await reporter.ReportAsync(app, author, badId);

        await Http.ProblemAsync(await author.PostAsync($"/api/v1/moderation/reports/{id}/hide-status"), 403);
        await Http.ExpectAsync(await Mod.PostAsync($"/api/v1/moderation/reports/{id}/hide-status"), 204);

        Assert.True(await app.QueryAsync(db => db.StatusUpdates.Where(s => s.Id == badId).Select(s => s.IsHidden).SingleAsync()));
        Assert.Equal([okId], (await friend.GetJsonAsync("/api/v1/feed"))["items"]!.AsArray().Select(i => (long)i!["statusId"]!));
        Assert.Equal([okId], (await reporter.GetJsonAsync($"/api/v1/users/{author.UserName}/statuses"))["items"]!.AsArray().Select(i => (long)i!["statusId"]!));
        Assert.Equal("fine", (string?)(await reporter.GetJsonAsync($"/api/v1/users/{author.UserName}"))["user"]!["statusText"]);
        Assert.Equal(ReportState.ActionTaken, await app.QueryAsync(db => db.Reports.Where(r => r.Id == id).Select(r => r.State).SingleAsync()));
        await Http.ProblemAsync(await Mod.PostAsync("/api/v1/moderation/reports/987654321/hide-status"), 404);
    }

    [Fact]
    public async Task Hide_status_on_a_report_about_a_user_is_400()
    {
        var (reporter, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await reporter.ReportAsync(app, target);
        await Http.ProblemAsync(await Mod.PostAsync($"/api/v1/moderation/reports/{id}/hide-status"), 400);
        Assert.Equal(ReportState.Open, await app.QueryAsync(db => db.Reports.Where(r => r.Id == id).Select(r => r.State).SingleAsync()));
    }

    [Fact]
    public async Task Suspend_blocks_actions_and_closes_reports_then_lift_lets_the_person_sign_in_again()
    {
        var (reporter, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var reportId = await reporter.ReportAsync(app, target);

        await Http.ExpectAsync(await Mod.PostAsync($"/api/v1/moderation/users/{target.UserName}/suspend", new { days = 7, reason = "Spam waves" }), 204);

        var user = await app.QueryAsync(db => db.Users.SingleAsync(u => u.Id == target.Id));
        Assert.NotNull(user.SuspendedUntil);
        Assert.InRange(user.SuspendedUntil!.Value, DateTime.UtcNow.AddDays(6.9), DateTime.UtcNow.AddDays(7.1));
        Assert.Equal("Spam waves", user.SuspensionReason);
        Assert.Equal(ReportState.ActionTaken, await app.QueryAsync(db => db.Reports.Where(r => r.Id == reportId).Select(r => r.State).SingleAsync()));
        await Http.ProblemAsync(await target.PostAsync("/api/v1/statuses", new { text = "can I?" }), 403);

        await Http.ExpectAsync(await Mod.DeleteAsync($"/api/v1/moderation/users/{target.UserName}/suspension"), 204);

        Assert.Null(await app.QueryAsync(db => db.Users.Where(u => u.Id == target.Id).Select(u => u.SuspendedUntil).SingleAsync()));
        // The suspension ended every session; after it is lifted the person signs in again and can act.
        await Http.ProblemAsync(await target.PostAsync("/api/v1/statuses", new { text = "old token" }), 401);
        var tokens = await app.LoginAsync(target.UserName, ApiFactory.Password);
        var signedInAgain = new ApiUser(app, target.UserName, target.Id, tokens.AccessToken, tokens.RefreshToken);
        await signedInAgain.PostStatusAsync("back again");
        await Http.ProblemAsync(await Mod.DeleteAsync($"/api/v1/moderation/users/{target.UserName}/suspension"), 404);
    }

    [Fact]
    public async Task Suspend_without_days_is_indefinite()
    {
        var target = await app.RegisterAndLoginAsync();
        await Http.ExpectAsync(await Mod.PostAsync($"/api/v1/moderation/users/{target.UserName}/suspend", new { reason = "Forever" }), 204);
        Assert.Equal(ModerationRules.Indefinitely, await app.QueryAsync(db => db.Users.Where(u => u.Id == target.Id).Select(u => u.SuspendedUntil).SingleAsync()));
    }

    [Theory]
    [InlineData("""{"days":0,"reason":"x"}""", "days")]
    [InlineData("""{"days":-3,"reason":"x"}""", "days")]
    [InlineData("""{"days":3651,"reason":"x"}""", "days")]
    [InlineData("""{"days":3}""", "reason")]
    [InlineData("""{"days":3,"reason":"   "}""", "reason")]
    [InlineData("""{"days":3,"reason":"{501}"}""", "reason")]
    public async Task Suspend_with_bad_input_is_400_naming_the_field(string json, string field)
    {
        var target = await app.RegisterAndLoginAsync();
        json = json.Replace("{501}", new string('r', 501));

        await Http.ValidationProblemAsync(await Mod.PostAsync($"/api/v1/moderation/users/{target.UserName}/suspend", Http.RawJson(json)), field);

        Assert.Null(await app.QueryAsync(db => db.Users.Where(u => u.Id == target.Id).Select(u => u.SuspendedUntil).SingleAsync()));
    }

    [Fact]
    public async Task Suspend_failures_404_unknown_400_self_403_non_moderator()
    {
        var (plain, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await Http.ProblemAsync(await Mod.PostAsync("/api/v1/moderation/users/no-such-user-here/suspend", new { days = 1, reason = "x" }), 404);
        await Http.ProblemAsync(await Mod.PostAsync($"/api/v1/moderation/users/{Mod.UserName}/suspend", new { days = 1, reason = "x" }), 400);
        await Http.ProblemAsync(await plain.PostAsync($"/api/v1/moderation/users/{target.UserName}/suspend", new { days = 1, reason = "x" }), 403);
        await Http.ProblemAsync(await plain.DeleteAsync($"/api/v1/moderation/users/{target.UserName}/suspension"), 403);
        await Http.ProblemAsync(await Mod.DeleteAsync("/api/v1/moderation/users/no-such-user-here/suspension"), 404);
        Assert.Null(await app.QueryAsync(db => db.Users.Where(u => u.Id == target.Id).Select(u => u.SuspendedUntil).SingleAsync()));
    }

    [Fact]
    public async Task Grant_moderator_makes_someone_a_moderator()
    {
        var (plain, newMod) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());

        await Http.ProblemAsync(await plain.PostAsync("/api/v1/moderation/moderators", new { userName = plain.UserName }), 403);
        await Http.ProblemAsync(await newMod.GetAsync("/api/v1/moderation/reports"), 403);
        await Http.ExpectAsync(await Mod.PostAsync("/api/v1/moderation/moderators", new { userName = newMod.UserName }), 204);

        await Http.ExpectAsync(await newMod.GetAsync("/api/v1/moderation/reports"), 200);
        await Http.ProblemAsync(await plain.GetAsync("/api/v1/moderation/reports"), 403);
        await Http.ProblemAsync(await Mod.PostAsync("/api/v1/moderation/moderators", new { userName = "no-such-user-here" }), 404);
        await Http.ValidationProblemAsync(await Mod.PostAsync("/api/v1/moderation/moderators", new { userName = "" }), "userName");
    }
}
