using FriendConnect.Domain.Common;
using FriendConnect.Domain.Notifications;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Safety;

public sealed class MuteTests : SafetyTestBase
{
    [Fact]
    public async Task A_muted_friends_new_statuses_make_no_notification_no_live_event_and_leave_the_feed()
    {
        var mia = await AddUserAsync("mia", "Mia");
        var loud = await AddUserAsync("loud", "Loud");
        var gus = await AddUserAsync("gus", "Gus");
        await BefriendAsync(mia, loud);
        await BefriendAsync(gus, loud);
        var earlier = await PostAsync(loud, "before the mute");
        using var recorder = new LiveRecorder(App.Live, mia.Id, loud.Id, gus.Id);

        (await Privacy.MuteAsync(mia.Id, loud.Id)).ShouldBeOk();
        Assert.Empty(recorder.For(loud.Id)); // the friend is not told
        var miaEventsAfterMute = recorder.For(mia.Id).Count;

        await PostAsync(loud, "after the mute");

        Assert.Equal(["before the mute"], (await Notifications.GetRecentAsync(mia.Id, 50)).Select(n => n.Text.Replace("Loud posted: ", "").Trim('“', '”')));
        Assert.Equal(2, (await Notifications.GetRecentAsync(gus.Id, 50)).Count(n => n.Actor.Id == loud.Id));
        Assert.Equal(miaEventsAfterMute, recorder.For(mia.Id).Count);
        Assert.Contains(recorder.For(gus.Id), e => e.Message == "Loud: after the mute");
        Assert.DoesNotContain((await Statuses.GetFeedAsync(mia.Id, null, 50)).Items, i => i.Author.Id == loud.Id);
        Assert.Equal(2, (await Statuses.GetFeedAsync(gus.Id, null, 50)).Items.Count);

        // Still friends, and the profile says muted.
        Assert.True(await AreFriendsAsync(mia, loud));
        Assert.True((await Directory.GetProfileAsync(mia.Id, "loud")).ShouldBeOk().IsMuted);
        Assert.Equal(loud.Id, Assert.Single(await Privacy.GetMutedAsync(mia.Id)).Id);
    }

    [Fact]
    public async Task Unmuting_restores_the_feed_notifications_and_live_events()
    {
        var mia = await AddUserAsync("mia", "Mia");
        var loud = await AddUserAsync("loud", "Loud");
        await BefriendAsync(mia, loud);
        (await Privacy.MuteAsync(mia.Id, loud.Id)).ShouldBeOk();
        await PostAsync(loud, "while muted");

        (await Privacy.UnmuteAsync(mia.Id, loud.Id)).ShouldBeOk();
        using var recorder = new LiveRecorder(App.Live, mia.Id);
        await PostAsync(loud, "after unmute");

        Assert.Equal(["after unmute", "while muted"], (await Statuses.GetFeedAsync(mia.Id, null, 50)).Items.Select(i => i.Text));
        var notification = Assert.Single(await Notifications.GetRecentAsync(mia.Id, 10));
        Assert.Equal(NotificationKind.StatusPosted, notification.Kind);
        Assert.Contains("after unmute", notification.Text);
        Assert.Contains(recorder.For(mia.Id), e => e.Message == "Loud: after unmute");
        Assert.False((await Directory.GetProfileAsync(mia.Id, "loud")).ShouldBeOk().IsMuted);
        (await Privacy.UnmuteAsync(mia.Id, loud.Id)).ShouldFail(ErrorKind.NotFound);
    }

    [Fact]
    public async Task Muting_someone_who_is_not_a_friend_is_refused()
    {
        var mia = await AddUserAsync("mia");
        var stranger = await AddUserAsync("stranger");
        var requested = await AddUserAsync("requested");
        (await Friendships.SendRequestAsync(mia.Id, requested.Id)).ShouldBeOk();

        (await Privacy.MuteAsync(mia.Id, stranger.Id)).ShouldFail(ErrorKind.Validation);
        (await Privacy.MuteAsync(mia.Id, requested.Id)).ShouldFail(ErrorKind.Validation);
        (await Privacy.MuteAsync(mia.Id, Guid.NewGuid().ToString())).ShouldFail(ErrorKind.Validation);

        await using var db = App.NewDbContext();
        Assert.Equal(0, await db.Mutes.CountAsync());
    }

    [Fact]
    public async Task Muting_twice_keeps_one_mute()
    {
        var mia = await AddUserAsync("mia");
        var loud = await AddUserAsync("loud");
        await BefriendAsync(mia, loud);

        (await Privacy.MuteAsync(mia.Id, loud.Id)).ShouldBeOk();
        (await Privacy.MuteAsync(mia.Id, loud.Id)).ShouldBeOk();

        await using var db = App.NewDbContext();
        Assert.Equal(1, await db.Mutes.CountAsync());
    }
}
