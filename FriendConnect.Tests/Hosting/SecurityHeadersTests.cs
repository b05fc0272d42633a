using System.Text.RegularExpressions;
using FriendConnect.Tests.Api;

namespace FriendConnect.Tests.Hosting;

/// <summary>The headers every answer carries, in Development as in production.</summary>
public sealed partial class SecurityHeadersTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/Account/Login")]
    [InlineData("/api/v1/users")]
    [InlineData("/no-such-page")]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        var response = await app.Anonymous().GetAsync(path);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", string.Join("", response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", string.Join("", response.Headers.GetValues("Permissions-Policy")));
        var csp = string.Join("", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("'unsafe-inline'", ScriptSources().Match(csp).Value);
    }

    [Fact]
    public async Task The_one_inline_script_carries_the_nonce_the_policy_allows()
    {
        var response = await app.Anonymous().GetAsync("/Account/Login");
        var nonce = Nonce().Match(string.Join("", response.Headers.GetValues("Content-Security-Policy"))).Groups[1].Value;
        Assert.NotEqual("", nonce);
        var html = await response.Content.ReadAsStringAsync();
        var inline = InlineScripts().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Value)).ToList();
        Assert.NotEmpty(inline);
        Assert.All(inline, tag => Assert.Contains($"nonce=\"{nonce}\"", tag));
    }

    [GeneratedRegex("script-src [^;]*")]
    private static partial Regex ScriptSources();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();

    // Script tags without a src attribute: inline code.
    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScripts();
}
