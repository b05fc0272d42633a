using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>/api/v1/blocks…, /api/v1/mutes… and POST /api/v1/reports.</summary>
public sealed class SafetyApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Block_ends_the_friendship_and_hides_each_from_the_other()
    {
        var (me, them) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BefriendAsync(them);

        await Http.ExpectAsync(await me.PutAsync($"/api/v1/blocks/{them.UserName}"), 204);

        var blocked = (await me.GetJsonAsync("/api/v1/blocks"))["items"]!.AsArray();
        Assert.Equal(them.UserName, (string?)Assert.Single(blocked)!["userName"]);
        Assert.Empty((await me.GetJsonAsync("/api/v1/friends"))["items"]!.AsArray());
        Assert.Empty((await them.GetJsonAsync("/api/v1/friends"))["items"]!.AsArray());
        await Http.ProblemAsync(await them.GetAsync($"/api/v1/users/{me.UserName}"), 404);
        await Http.ProblemAsync(await me.GetAsync($"/api/v1/users/{them.UserName}"), 404);
        await Http.ProblemAsync(await them.PostAsync("/api/v1/friend-requests", new { userName = me.UserName }), 404);
        Assert.Empty((await them.GetJsonAsync("/api/v1/blocks"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Block_cancels_pending_requests_and_is_idempotent()
    {
        var (me, them) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var id = await them.SendRequestAsync(me);

        await Http.ExpectAsync(await me.PutAsync($"/api/v1/blocks/{them.UserName}"), 204);
        await Http.ExpectAsync(await me.PutAsync($"/api/v1/blocks/{them.UserName}"), 204);

        Assert.Equal(FriendRequestState.Cancelled, await app.QueryAsync(db => db.FriendRequests.Where(r => r.Id == id).Select(r => r.State).SingleAsync()));
        Assert.Equal(1, await app.QueryAsync(db => db.Blocks.CountAsync(b => b.BlockerId == me.Id)));
        Assert.Equal(0, await me.UnreadCountAsync());
    }

    [Fact]
    public async Task Block_failures_are_400_for_myself_and_404_for_unknown()
    {
        var me = await app.RegisterAndLoginAsync();
        await Http.ProblemAsync(await me.PutAsync($"/api/v1/blocks/{me.UserName}"), 400);
        await Http.ProblemAsync(await me.PutAsync("/api/v1/blocks/no-such-user-here"), 404);
        Assert.Equal(0, await app.QueryAsync(db => db.Blocks.CountAsync(b => b.BlockerId == me.Id)));
    }

    [Fact]
    public async Task Unblock_is_204_then_404()
    {
        var (me, them) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BlockAsync(them);

        await Http.ExpectAsync(await me.DeleteAsync($"/api/v1/blocks/{them.UserName}"), 204);

        Assert.Empty((await me.GetJsonAsync("/api/v1/blocks"))["items"]!.AsArray());
        await Http.ExpectAsync(await them.GetAsync($"/api/v1/users/{me.UserName}"), 200);
        await Http.ProblemAsync(await me.DeleteAsync($"/api/v1/blocks/{them.UserName}"), 404);
        await Http.ProblemAsync(await me.DeleteAsync("/api/v1/blocks/no-such-user-here"), 404);
    }

    [Fact]
    public async Task Mute_and_unmute_a_friend()
    {
        var (me, friend) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BefriendAsync(friend);

        await Http.ExpectAsync(await me.PutAsync($"/api/v1/mutes/{friend.UserName}"), 204);
        await Http.ExpectAsync(await me.PutAsync($"/api/v1/mutes/{friend.UserName}"), 204);

        var muted = (await me.GetJsonAsync("/api/v1/mutes"))["items"]!.AsArray();
        Assert.Equal(friend.UserName, (string?)Assert.Single(muted)!["userName"]);
        Assert.True((bool)(await me.GetJsonAsync($"/api/v1/users/{friend.UserName}"))["isMuted"]!);
        Assert.False((bool)(await friend.GetJsonAsync($"/api/v1/users/{me.UserName}"))["isMuted"]!);
        await friend.PostStatusAsync("you will not hear this");
        Assert.Empty((await me.GetJsonAsync("/api/v1/feed"))["items"]!.AsArray());

        await Http.ExpectAsync(await me.DeleteAsync($"/api/v1/mutes/{friend.UserName}"), 204);
        Assert.Empty((await me.GetJsonAsync("/api/v1/mutes"))["items"]!.AsArray());
        Assert.Single((await me.GetJsonAsync("/api/v1/feed"))["items"]!.AsArray());
        await Http.ProblemAsync(await me.DeleteAsync($"/api/v1/mutes/{friend.UserName}"), 404);
    }

    [Fact]
    public async Task Muting_a_non_friend_is_400_and_unknown_404()
    {
        var (me, stranger) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());

        var problem = await Http.ProblemAsync(await me.PutAsync($"/api/v1/mutes/{stranger.UserName}"), 400);
        Assert.Contains("only mute your friends", (string?)problem["detail"]);
        await Http.ProblemAsync(await me.PutAsync("/api/v1/mutes/no-such-user-here"), 404);
        await Http.ProblemAsync(await me.DeleteAsync("/api/v1/mutes/no-such-user-here"), 404);
        Assert.Equal(0, await app.QueryAsync(db => db.Mutes.CountAsync(m => m.UserId == me.Id)));
    }

    [Fact]
    public async Task Report_creates_then_a_second_report_updates()
    {
        var (me, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());

        var first = await Http.JsonAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, reason = "Spam", details = "Sells things" }));
        var second = await Http.JsonAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, reason = "Harassment", details = "  Worse now  " }));

        Assert.Equal("Created", (string?)first["outcome"]);
        Assert.Equal("Updated", (string?)second["outcome"]);
        var report = await app.QueryAsync(db => db.Reports.SingleAsync(r => r.ReporterId == me.Id));
        Assert.Equal(ReportReason.Harassment, report.Reason);
        Assert.Equal("Worse now", report.Details);
        Assert.Equal(ReportState.Open, report.State);
        Assert.Null(report.StatusId);
    }

    [Fact]
    public async Task Report_a_status_is_separate_from_reporting_the_user()
    {
        var (me, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var statusId = await target.PostStatusAsync("offensive");

        await Http.JsonAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, reason = "Other" }));
        var status = await Http.JsonAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, statusId, reason = "InappropriateContent" }));

        Assert.Equal("Created", (string?)status["outcome"]);
        Assert.Equal(2, await app.QueryAsync(db => db.Reports.CountAsync(r => r.ReporterId == me.Id)));
    }

    [Fact]
    public async Task Report_details_may_have_exactly_1000_characters()
    {
        var (me, target) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await Http.JsonAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, reason = "Other", details = new string('d', 1000) }));
    }

    [Fact]
    public async Task Report_failures_are_400_or_404_and_store_nothing()
    {
        var (me, target, other) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        var othersStatus = await other.PostStatusAsync("not the target's");

        await Http.ProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = me.UserName, reason = "Spam" }), 400);
        var tooLong = await Http.ValidationProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, reason = "Spam", details = new string('d', 1001) }), "details");
        Assert.Contains("1,000", (string?)tooLong["errors"]!["details"]![0]);
        await Http.ValidationProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName }), "reason");
        await Http.ValidationProblemAsync(await me.PostAsync("/api/v1/reports", new { reason = "Spam" }), "userName");
        await Http.ProblemAsync(await me.PostAsync("/api/v1/reports", Http.RawJson($$"""{"userName":"{{target.UserName}}","reason":"Rude"}""")), 400);
        await Http.ProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = "no-such-user-here", reason = "Spam" }), 404);
        await Http.ProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, statusId = othersStatus, reason = "Spam" }), 404);
        await Http.ProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = target.UserName, statusId = 987654321, reason = "Spam" }), 404);

        Assert.Equal(0, await app.QueryAsync(db => db.Reports.CountAsync(r => r.ReporterId == me.Id)));
    }

    [Fact]
    public async Task Reporting_someone_who_blocked_me_answers_exactly_like_reporting_a_missing_user()
    {
        var (me, blocker) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await blocker.BlockAsync(me);
        var before = await DbSnapshot.TakeAsync(app);

        var blocked = await Http.ProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = blocker.UserName, reason = "Harassment" }), 404);
        var missing = await Http.ProblemAsync(await me.PostAsync("/api/v1/reports", new { userName = "nosuchuser", reason = "Harassment" }), 404);

        Assert.Equal(((string?)missing["detail"])!.Replace("nosuchuser", blocker.UserName), (string?)blocked["detail"]);
        Assert.Equal((string?)missing["title"], (string?)blocked["title"]);
        DbSnapshot.AssertUnchanged(before, await DbSnapshot.TakeAsync(app), "report of a blocker");
    }

    [Fact]
    public async Task The_blocker_can_still_report_the_person_they_blocked()
    {
        var (me, blocked) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await me.BlockAsync(blocked);
        var result = await Http.JsonAsync(await me.PostAsync("/api/v1/reports", new { userName = blocked.UserName, reason = "Harassment" }));
        Assert.Equal("Created", (string?)result["outcome"]);
    }

    [Fact]
    public async Task Safety_endpoints_are_401_for_anonymous_callers()
    {
        using var anonymous = app.Anonymous();
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/blocks"), 401);
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/mutes"), 401);
    }
}
