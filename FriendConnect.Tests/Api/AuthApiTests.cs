using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Api;

/// <summary>POST /api/v1/auth/register, /login and /refresh.</summary>
public sealed class AuthApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private const string Register = "/api/v1/auth/register";
    private const string Login = "/api/v1/auth/login";
    private const string Refresh = "/api/v1/auth/refresh";

    [Fact]
    public async Task Register_creates_the_account_and_returns_its_names()
    {
        var name = app.NewName("reg");
        using var client = app.Anonymous();

        var body = await Http.JsonAsync(await client.PostAsJsonAsync(Register,
            new { userName = name, email = $"{name}@example.com", displayName = "  Reggie  ", password = ApiFactory.Password }));

        Assert.Equal(name, (string?)body["userName"]);
        Assert.Equal("Reggie", (string?)body["displayName"]);
        var user = await app.QueryAsync(db => db.Users.SingleAsync(u => u.UserName == name));
        Assert.Equal($"{name}@example.com", user.Email);
        Assert.False(await app.QueryAsync(db => db.UserRoles.AnyAsync(r => r.UserId == user.Id)), "only the first account becomes a moderator");
    }

    [Fact]
    public async Task Register_with_only_an_email_gets_a_handle_from_it()
    {
        var local = app.NewName("mailonly");
        using var client = app.Anonymous();

        var body = await Http.JsonAsync(await client.PostAsJsonAsync(Register, new { email = $"{local}@example.com", password = ApiFactory.Password }));

        Assert.Equal(local, (string?)body["userName"]);
        Assert.Equal(local, (string?)body["displayName"]);
    }

    public static TheoryData<string, string> BadRegistrations => new()
    {
        { """{"userName":"ab","password":"Test!pass123"}""", "userName" },
        { """{"userName":"has space","password":"Test!pass123"}""", "userName" },
        { """{"userName":"{taken}","password":"Test!pass123"}""", "userName" },
        { """{"password":"Test!pass123"}""", "userName" },
        { """{"userName":"","email":"","password":"Test!pass123"}""", "userName" },
        { """{"userName":"{fresh}"}""", "password" },
        { """{"userName":"{fresh}","password":""}""", "password" },
        { """{"userName":"{fresh}","password":"short"}""", "password" },
        { """{"userName":"{fresh}","email":"not-an-email","password":"Test!pass123"}""", "email" },
        { """{"userName":"{fresh}","email":"{taken}@example.com","password":"Test!pass123"}""", "email" },
        { """{"userName":"{fresh}","displayName":"{long}","password":"Test!pass123"}""", "displayName" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Register_refuses_bad_input_naming_the_field(string json, string field)
    {
        var taken = await app.RegisterAndLoginAsync();
        json = json.Replace("{taken}", taken.UserName).Replace("{fresh}", app.NewName("fresh")).Replace("{long}", new string('d', 65));
        var usersBefore = await app.QueryAsync(db => db.Users.CountAsync());
        using var client = app.Anonymous();

        await Http.ValidationProblemAsync(await client.PostAsync(Register, Http.RawJson(json)), field);

        Assert.Equal(usersBefore, await app.QueryAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Login_returns_bearer_tokens_that_work()
    {
        var user = await app.RegisterAndLoginAsync();
        using var client = app.Anonymous();

        var tokens = await Http.JsonAsync(await client.PostAsJsonAsync(Login, new { login = user.UserName, password = ApiFactory.Password }));

        Assert.Equal("Bearer", (string?)tokens["tokenType"]);
        Assert.False(string.IsNullOrEmpty((string?)tokens["accessToken"]));
        Assert.False(string.IsNullOrEmpty((string?)tokens["refreshToken"]));
        Assert.True((long)tokens["expiresIn"]! > 0);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens["accessToken"]!);
        var me = await Http.JsonAsync(await client.GetAsync("/api/v1/me"));
        Assert.Equal(user.UserName, (string?)me["profile"]!["user"]!["userName"]);
    }

    [Fact]
    public async Task Login_accepts_the_email_address_in_any_case()
    {
        var user = await app.RegisterAndLoginAsync();
        var tokens = await app.LoginAsync($"  {user.UserName.ToUpperInvariant()}@EXAMPLE.COM ", ApiFactory.Password);
        Assert.Equal("Bearer", tokens.TokenType);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_or_unknown_user_is_401()
    {
        var user = await app.RegisterAndLoginAsync();
        using var client = app.Anonymous();

        var wrong = await Http.ProblemAsync(await client.PostAsJsonAsync(Login, new { login = user.UserName, password = "Wrong!pass123" }), 401);
        Assert.Equal("Sign-in failed.", (string?)wrong["title"]);
        await Http.ProblemAsync(await client.PostAsJsonAsync(Login, new { login = "nobody-" + user.UserName, password = ApiFactory.Password }), 401);
    }

    [Fact]
    public async Task Login_without_a_name_or_password_is_400()
    {
        using var client = app.Anonymous();
        await Http.ValidationProblemAsync(await client.PostAsJsonAsync(Login, new { login = " ", password = ApiFactory.Password }), "login");
        await Http.ValidationProblemAsync(await client.PostAsJsonAsync(Login, new { login = "someone" }), "password");
    }

    [Fact]
    public async Task Refresh_trades_a_refresh_token_for_new_working_tokens()
    {
        var user = await app.RegisterAndLoginAsync();
        using var client = app.Anonymous();

        var tokens = await Http.JsonAsync(await client.PostAsJsonAsync(Refresh, new { refreshToken = user.RefreshToken }));

        Assert.Equal("Bearer", (string?)tokens["tokenType"]);
        Assert.False(string.IsNullOrEmpty((string?)tokens["refreshToken"]));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens["accessToken"]!);
        var me = await Http.JsonAsync(await client.GetAsync("/api/v1/me"));
        Assert.Equal(user.UserName, (string?)me["profile"]!["user"]!["userName"]);
    }

    [Theory]
    [InlineData("""{"refreshToken":"not-a-token"}""")]
    [InlineData("""{"refreshToken":"CfDJ8AAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"refreshToken":""}""")]
    [InlineData("""{}""")]
    public async Task Refresh_with_an_invalid_token_is_401(string json)
    {
        using var client = app.Anonymous();
        var problem = await Http.ProblemAsync(await client.PostAsync(Refresh, Http.RawJson(json)), 401);
        Assert.Contains("refresh token", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Refresh_with_an_access_token_instead_of_a_refresh_token_is_401()
    {
        var user = await app.RegisterAndLoginAsync();
        using var client = app.Anonymous();
        await Http.ProblemAsync(await client.PostAsJsonAsync(Refresh, new { refreshToken = user.AccessToken }), 401);
    }

    [Fact]
    public async Task A_suspended_account_cannot_sign_in_and_its_refresh_token_stops_working()
    {
        var user = await app.RegisterAndLoginAsync();
        await app.Moderator.SuspendAsync(user, days: 2, reason: "Spamming everyone");
        using var client = app.Anonymous();

        var login = await Http.ProblemAsync(await client.PostAsJsonAsync(Login, new { login = user.UserName, password = ApiFactory.Password }), 403);
        Assert.Contains("Spamming everyone", (string?)login["detail"]);
        await Http.ProblemAsync(await client.PostAsJsonAsync(Refresh, new { refreshToken = user.RefreshToken }), 401);
    }

    /// <summary>Without the password nobody should learn that an account is suspended, let alone why.</summary>
    [Fact]
    public async Task A_wrong_password_for_a_suspended_account_is_401_and_does_not_reveal_the_suspension()
    {
        var user = await app.RegisterAndLoginAsync();
        await app.Moderator.SuspendAsync(user, days: 2, reason: "Private moderation note");
        using var client = app.Anonymous();

        var response = await client.PostAsJsonAsync(Login, new { login = user.UserName, password = "Wrong!pass123" });

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Private moderation note", body);
        await Http.ProblemAsync(response, 401);
    }

    /// <summary>The suspend endpoint promises "their sessions end at once"; an access token issued before must stop working.</summary>
    [Fact]
    public async Task A_suspended_users_existing_access_token_stops_working()
    {
        var user = await app.RegisterAndLoginAsync();
        await Http.ExpectAsync(await user.GetAsync("/api/v1/me"), 200);

        await app.Moderator.SuspendAsync(user);

        await Http.ProblemAsync(await user.PostAsync("/api/v1/statuses", new { text = "still here" }), 403);
        var read = await user.GetAsync("/api/v1/feed");
        Assert.True((int)read.StatusCode is 401 or 403,
            $"GET /api/v1/feed with a token issued before the suspension: expected 401/403, got {(int)read.StatusCode}");
    }

    [Fact]
    public async Task Lifting_a_suspension_lets_the_user_sign_in_again()
    {
        var user = await app.RegisterAndLoginAsync();
        await app.Moderator.SuspendAsync(user, days: null);
        await Http.ExpectAsync(await app.Moderator.DeleteAsync($"/api/v1/moderation/users/{user.UserName}/suspension"), 204);

        var tokens = await app.LoginAsync(user.UserName, ApiFactory.Password);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }
}
