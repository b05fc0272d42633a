using FriendConnect.Domain.Notifications;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Safety;

public sealed class PresenceTests : SafetyTestBase
{
    [Fact]
    public async Task A_user_with_several_tabs_stays_online_until_the_last_one_closes_and_friends_hear_each_transition()
    {
        var pat = await AddUserAsync("pat");
        var fred = await AddUserAsync("fred");
        var stranger = await AddUserAsync("stranger");
        await BefriendAsync(pat, fred);
        using var recorder = new LiveRecorder(App.Live, fred.Id, stranger.Id);
        int PresenceEvents() => recorder.For(fred.Id).Count(e => e.Changes.HasFlag(LiveChange.Presence));

        Assert.False(Presence.IsOnline(pat.Id));

        await Presence.ConnectedAsync(pat.Id);
        Assert.True(Presence.IsOnline(pat.Id));
        Assert.Equal(1, PresenceEvents());

        await Presence.ConnectedAsync(pat.Id);
        await Presence.ConnectedAsync(pat.Id);
        Assert.Equal(1, PresenceEvents());

        await Presence.DisconnectedAsync(pat.Id);
        await Presence.DisconnectedAsync(pat.Id);
        Assert.True(Presence.IsOnline(pat.Id));
        Assert.Equal(1, PresenceEvents());

        await Presence.DisconnectedAsync(pat.Id);
        Assert.False(Presence.IsOnline(pat.Id));
        Assert.Equal(2, PresenceEvents());

        await Presence.ConnectedAsync(pat.Id);
        Assert.True(Presence.IsOnline(pat.Id));
        Assert.Equal(3, PresenceEvents());

        Assert.Empty(recorder.For(stranger.Id));
    }

    [Fact]
    public async Task An_extra_disconnect_does_not_make_the_count_negative()
    {
        var pat = await AddUserAsync("pat");

        await Presence.DisconnectedAsync(pat.Id);
        await Presence.ConnectedAsync(pat.Id);

        Assert.True(Presence.IsOnline(pat.Id));
    }

    [Fact]
    public async Task Only_friends_see_that_someone_is_online()
    {
        var pat = await AddUserAsync("pat");
        var fred = await AddUserAsync("fred");
        var stranger = await AddUserAsync("stranger");
        await BefriendAsync(pat, fred);

        await Presence.ConnectedAsync(pat.Id);

        Assert.True((await Directory.GetProfileAsync(fred.Id, "pat")).ShouldBeOk().IsOnline);
        Assert.False((await Directory.GetProfileAsync(stranger.Id, "pat")).ShouldBeOk().IsOnline);
        Assert.False((await Directory.GetProfileAsync(null, "pat")).ShouldBeOk().IsOnline);
        Assert.False((await Directory.PreviewProfileAsync(pat.Id, asFriend: true)).ShouldBeOk().IsOnline);
    }
}
