using System.Reflection;
using Bunit;
using FriendConnect.Domain.Moderation;
using Microsoft.AspNetCore.Components;

namespace FriendConnect.Tests.Components;

public sealed class ModerationAuditPageTests : ComponentTestContext
{
    private static Type PageAt(string route) =>
        typeof(Program).Assembly.GetTypes().SingleOrDefault(t => t.GetCustomAttributes<RouteAttribute>().Any(r => r.Template == route))
        ?? throw new Xunit.Sdk.XunitException($"No page answers {route}.");

    private IRenderedComponent<IComponent> RenderPage() => Render(builder =>
    {
        builder.OpenComponent(0, PageAt("/moderation/audit"));
        builder.CloseComponent();
    });

    [Fact]
    public async Task A_moderator_sees_who_did_what_to_whom_and_why_newest_first_and_can_filter_by_person()
    {
        var mo = await App.CreateUserAsync("moira", "Moderator Mo");
        var rhea = await App.CreateUserAsync("rhea", "Rhea Rude");
        var sam = await App.CreateUserAsync("sam", "Sam Spammer");
        var moderation = App.Get<ModerationService>();
        Assert.True((await moderation.SuspendAsync(mo.Id, rhea.Id, TimeSpan.FromDays(3), "insults")).Succeeded);
        Assert.True((await moderation.SuspendAsync(mo.Id, sam.Id, null, "spam links")).Succeeded);
        SignIn(mo);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tbody tr").Count));
        var rows = cut.FindAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("Moderator Mo (@moira)", rows[0]);
        Assert.Contains("Suspended", rows[0]);
        Assert.Contains("Sam Spammer (@sam)", rows[0]);
        Assert.Contains("spam links", rows[0]);
        Assert.Contains("Rhea Rude (@rhea)", rows[1]);
        Assert.Contains("insults", rows[1]);
        Assert.Contains("Made a moderator", rows[2]);
        Assert.Contains("first account of the installation", rows[2]);

        await ByLabel(cut, "Person, by username").ChangeAsync(new ChangeEventArgs { Value = "rhea" });
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr")));
        Assert.Contains("insults", cut.Find("tbody tr").TextContent);
        AssertNoUnhandledException();
    }

    [Fact]
    public async Task Someone_who_is_not_a_moderator_is_told_so_and_sees_no_entries()
    {
        var mo = await App.CreateUserAsync("moira", "Moderator Mo");
        var rhea = await App.CreateUserAsync("rhea", "Rhea Rude");
        Assert.True((await App.Get<ModerationService>().SuspendAsync(mo.Id, rhea.Id, null, "insults")).Succeeded);
        var sam = await App.CreateUserAsync("sam", "Sam Curious");
        SignIn(sam);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains("Only moderators can do that.", cut.Markup));
        Assert.Empty(cut.FindAll("tbody tr"));
        Assert.DoesNotContain("insults", cut.Markup);
    }
}
