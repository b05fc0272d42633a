using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>
/// Searches and sign-ins with characters no stored text has find nothing (never a 500), names that read like another
/// person's are refused, and names are stored the way they are compared (NFC).
/// </summary>
public sealed class HostileTextTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("us%00er")]
    [InlineData("%00")]
    [InlineData("u%00")]
    [InlineData("user%01%02%03")]
    [InlineData("%C2%85user")]
    public async Task A_directory_search_with_a_control_character_finds_nothing(string search)
    {
        await app.RegisterAndLoginAsync();
        using var anonymous = app.Anonymous();

        var body = await Http.JsonAsync(await anonymous.GetAsync($"/api/v1/users?search={search}"));

        Assert.Empty(body["items"]!.AsArray());
    }

    [Fact]
    public async Task A_directory_cursor_with_a_control_character_finds_nothing()
    {
        await app.RegisterAndLoginAsync();
        using var anonymous = app.Anonymous();

        var body = await Http.JsonAsync(await anonymous.GetAsync("/api/v1/users?cursor=%00"));

        Assert.Empty(body["items"]!.AsArray());
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("{me}\0")]
    [InlineData("\0{me}@example.com")]
    [InlineData("{me}\u0001")]
    public async Task A_sign_in_name_with_a_control_character_matches_no_account(string login)
    {
        var me = await app.RegisterAndLoginAsync();
        using var anonymous = app.Anonymous();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login",
            new { login = login.Replace("{me}", me.UserName), password = ApiFactory.Password });

        await Http.ProblemAsync(response, 401);
    }

    [Theory]
    [InlineData("alice", "aIice")]
    [InlineData("alice", "a1ice")]
    [InlineData("alice", "ALlCE")]
    [InlineData("mallory", "rnallory")]
    [InlineData("oscar", "0scar")]
    [InlineData("vvalter", "walter")]
    public async Task A_username_that_reads_like_a_taken_one_is_refused(string taken, string lookalike)
    {
        var suffix = "-" + app.NewName("x");
        await app.RegisterAndLoginAsync(taken + suffix);
        using var anonymous = app.Anonymous();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { userName = lookalike + suffix, password = ApiFactory.Password });

        var problem = await Http.ValidationProblemAsync(response, "userName");
        Assert.Contains("looks too much like", problem.ToJsonString());
        Assert.False(await app.QueryAsync(db => db.Users.AnyAsync(u => u.UserName == lookalike + suffix)));
    }

    [Fact]
    public async Task A_display_name_is_stored_composed_so_it_matches_what_people_type()
    {
        var me = await app.RegisterAndLoginAsync();

        await Http.ExpectAsync(await me.PatchAsync("/api/v1/me", new { displayName = "Rene\u0301 Dupont" }), 204);

        Assert.Equal("Ren\u00E9 Dupont", await app.QueryAsync(db => db.Users.Where(u => u.Id == me.Id).Select(u => u.DisplayName).SingleAsync()));
    }

    [Theory]
    [InlineData("Sam 👩\u200D👩\u200D👧")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    [InlineData("Ali ❤\uFE0F\u200D🔥")]
    public async Task A_display_name_keeps_the_joiners_emoji_and_scripts_need(string displayName)
    {
        var me = await app.RegisterAndLoginAsync();

        await Http.ExpectAsync(await me.PatchAsync("/api/v1/me", new { displayName }), 204);

        Assert.Equal(displayName, await app.QueryAsync(db => db.Users.Where(u => u.Id == me.Id).Select(u => u.DisplayName).SingleAsync()));
    }
}
