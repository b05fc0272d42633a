using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace FriendConnect.Tests.Api;

/// <summary>
/// Account pages opened with a damaged link or out of order answer with a page that says so (or a redirect to one),
/// never a 500, and in Production never a not-found page that hides an error.
/// </summary>
public abstract class AccountPageInputTests(ApiFactory app)
{
    public static TheoryData<string, string> DamagedLinks => new()
    {
        // The page asked for, and what the answer shows: a path it redirects to, or words on the page.
        { "/Account/ResetPassword?code=!!!", "→/Account/InvalidPasswordReset" },
        { "/Account/ResetPassword?code=%00", "→/Account/InvalidPasswordReset" },
        { "/Account/ConfirmEmailChange?userId=x&email=a@b.co&code=!!!", "link is damaged" },
        { "/Account/LoginWith2fa", "→/Account/Login" },
        { "/Account/LoginWithRecoveryCode", "→/Account/Login" },
    };

    [Theory]
    [MemberData(nameof(DamagedLinks))]
    public async Task An_account_page_opened_with_a_damaged_link_or_out_of_order_says_so(string url, string answer)
    {
        using var client = app.Anonymous();

        var response = await client.GetAsync(url);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is not HttpStatusCode.InternalServerError and not HttpStatusCode.NotFound,
            $"GET {url}: {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 2000)]}");
        if (answer.StartsWith('→'))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(answer[1..], new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(answer, body);
        }
    }
}

public sealed class AccountPageInputInDevelopmentTests(ApiFactory app) : AccountPageInputTests(app), IClassFixture<ApiFactory>;

public sealed class AccountPageInputInProductionTests(ProductionApiFactory app) : AccountPageInputTests(app), IClassFixture<ProductionApiFactory>;

/// <summary>The API factory's app in the Production environment: error pages as a deployed server shows them.</summary>
public sealed class ProductionApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("App:PublicUrl", "http://localhost");
    }
}
