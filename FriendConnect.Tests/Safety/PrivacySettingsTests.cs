using FriendConnect.Domain.Common;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Safety;

public sealed class PrivacySettingsTests : SafetyTestBase
{
    [Fact]
    public async Task New_users_start_open_and_every_setting_round_trips_through_the_database()
    {
        var tara = await AddUserAsync("tara");
        Assert.Equal(new PrivacySettings(), await Privacy.GetSettingsAsync(tara.Id));

        foreach (var requests in Enum.GetValues<RequestPolicy>())
            foreach (var status in Enum.GetValues<StatusAudience>())
                foreach (var friends in Enum.GetValues<FriendsListAudience>())
                    foreach (var listed in new[] { false, true })
                    {
                        var settings = new PrivacySettings
                        {
                            WhoCanSendRequests = requests, WhoSeesStatus = status, WhoSeesFriends = friends, ShowInDirectory = listed,
                        };
                        await SetPrivacyAsync(tara, settings);
                        Assert.Equal(settings, await Privacy.GetSettingsAsync(tara.Id));
                    }
    }

    [Fact]
    public async Task Undefined_setting_values_are_refused_and_nothing_changes()
    {
        var tara = await AddUserAsync("tara");
        await SetPrivacyAsync(tara, new PrivacySettings { WhoSeesStatus = StatusAudience.Friends });

        (await Privacy.UpdateSettingsAsync(tara.Id, new PrivacySettings { WhoSeesStatus = (StatusAudience)7 })).ShouldFail(ErrorKind.Validation);
        (await Privacy.UpdateSettingsAsync(tara.Id, new PrivacySettings { WhoSeesFriends = (FriendsListAudience)(-1) })).ShouldFail(ErrorKind.Validation);
        (await Privacy.UpdateSettingsAsync(tara.Id, new PrivacySettings { WhoCanSendRequests = (RequestPolicy)3 })).ShouldFail(ErrorKind.Validation);

        Assert.Equal(new PrivacySettings { WhoSeesStatus = StatusAudience.Friends }, await Privacy.GetSettingsAsync(tara.Id));
    }

    [Fact]
    public async Task Changing_settings_takes_effect_at_once_and_tells_the_user_and_their_friends_live()
    {
        var tara = await AddUserAsync("tara");
        var fred = await AddUserAsync("fred");
        var sam = await AddUserAsync("sam");
        await BefriendAsync(tara, fred);
        await PostAsync(tara, "hello world");
        Assert.Equal("hello world", (await Directory.GetProfileAsync(sam.Id, "tara")).ShouldBeOk().User.StatusText);
        using var recorder = new LiveRecorder(App.Live, tara.Id, fred.Id, sam.Id);

        await SetPrivacyAsync(tara, new PrivacySettings { WhoSeesStatus = StatusAudience.Friends });

        Assert.Null((await Directory.GetProfileAsync(sam.Id, "tara")).ShouldBeOk().User.StatusText);
        Assert.Equal("hello world", (await Directory.GetProfileAsync(fred.Id, "tara")).ShouldBeOk().User.StatusText);
        Assert.Contains(recorder.For(tara.Id), e => e.Changes.HasFlag(LiveChange.Profile));
        Assert.Contains(recorder.For(fred.Id), e => e.Changes.HasFlag(LiveChange.Profile));
        Assert.Empty(recorder.For(sam.Id));
    }
}
