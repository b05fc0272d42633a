using FriendConnect.Domain.Common;
using FriendConnect.Domain.Moderation;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Domain;

/// <summary>Rules that the API and the dialogs once checked themselves, now answered by the domain alone.</summary>
public sealed class RulesInTheDomainTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_suspension_longer_than_the_maximum_is_refused_by_the_domain()
    {
        var moderator = await _app.CreateUserAsync("moderator");
        var troll = await _app.CreateUserAsync("troll");
        var moderation = _app.Get<ModerationService>();

        var tooLong = await moderation.SuspendAsync(moderator.Id, troll.Id, TimeSpan.FromDays(ModerationRules.MaxSuspensionDays + 1), "spam");
        var longest = await moderation.SuspendAsync(moderator.Id, troll.Id, TimeSpan.FromDays(ModerationRules.MaxSuspensionDays), "spam");

        Assert.Equal("Duration", tooLong.ShouldFailWith(ErrorKind.Validation).Field);
        longest.ShouldSucceed();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(ModerationRules.MaxSuspensionDays + 1)]
    [InlineData(int.MaxValue)]
    public void A_suspension_period_in_days_outside_the_bounds_is_refused(int days)
    {
        Assert.Equal("Days", ModerationRules.SuspensionPeriod(days).ShouldFailWith(ErrorKind.Validation).Field);
    }

    [Fact]
    public void A_suspension_period_without_days_is_indefinite_and_whole_days_are_kept()
    {
        Assert.Null(ModerationRules.SuspensionPeriod(null).Value);
        Assert.Equal(TimeSpan.FromDays(7), ModerationRules.SuspensionPeriod(7).Value);
    }

    [Fact]
    public async Task A_report_without_a_reason_is_refused_by_the_domain_naming_the_reason()
    {
        var rhea = await _app.CreateUserAsync("rhea");
        var troll = await _app.CreateUserAsync("troll");

        var result = await _app.Get<ReportService>().ReportAsync(rhea.Id, troll.Id, null, null, "no reason given");

        Assert.Equal("Reason", result.ShouldFailWith(ErrorKind.Validation).Field);
    }

    [Theory]
    [InlineData(null, 100, Paging.DefaultPageSize)]
    [InlineData(0, 100, 1)]
    [InlineData(-5, 100, 1)]
    [InlineData(5000, 100, 100)]
    [InlineData(5000, 50, 50)]
    public void Page_sizes_are_clamped_in_one_place(int? requested, int max, int expected)
    {
        Assert.Equal(expected, Paging.Take(requested, max));
        Assert.Equal(0, Paging.Skip(-1));
    }
}
