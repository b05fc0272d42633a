using FriendConnect.Domain.Live;
using FriendConnect.Domain.Notifications;
using FriendConnect.Tests.Safety;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Domain;

/// <summary>
/// A status post is routed after its commit, so the friendships can have changed in between. The live event reaches
/// exactly the people whose notifications list counts the post: a bell that adds one per event then agrees with the
/// database.
/// </summary>
public sealed class StatusRoutingTests : SafetyTestBase
{
    [Fact]
    public async Task A_friendship_made_after_a_post_committed_does_not_receive_that_post_live()
    {
        var users = await AddUsersAsync([("ann", "Ann"), ("ben", "Ben")]);
        var (ann, ben) = (users[0], users[1]);
        var early = await PostAsync(ann, "before we were friends");
        var earlyNotification = await NotificationIdAsync(early.StatusId);
        await BefriendViaRequestAsync(ann, ben);
        var late = await PostAsync(ann, "after we became friends");
        var lateNotification = await NotificationIdAsync(late.StatusId);

        // The early post's event routed now (as if its dispatch came after the accept) reaches no one but Ann's own tabs.
        var router = App.Get<LiveEventRouter>();
        var earlyDeliveries = await router.RouteAsync(new StatusPosted(early.StatusId, ann.Id, early.Text, early.CreatedAt, earlyNotification));
        Assert.DoesNotContain(earlyDeliveries, d => d.To.Contains(ben.Id));
        var lateDeliveries = await router.RouteAsync(new StatusPosted(late.StatusId, ann.Id, late.Text, late.CreatedAt, lateNotification));
        Assert.Contains(lateDeliveries, d => d.To.Contains(ben.Id) && d.Event.Notification?.Id == lateNotification);

        // And the database agrees: of Ann's posts, Ben's list counts only the later one.
        var unread = await Notifications.GetRecentAsync(ben.Id, 20);
        Assert.Contains(unread, n => n.Id == lateNotification);
        Assert.DoesNotContain(unread, n => n.Id == earlyNotification);
    }

    [Fact]
    public async Task A_friend_who_muted_before_a_post_does_not_receive_it_and_one_who_muted_after_still_does()
    {
        var users = await AddUsersAsync([("ann", "Ann"), ("ben", "Ben")]);
        var (ann, ben) = (users[0], users[1]);
        await BefriendAsync(ann, ben);
        var before = await PostAsync(ann, "posted before the mute");
        var beforeNotification = await NotificationIdAsync(before.StatusId);
        (await Privacy.MuteAsync(ben.Id, ann.Id)).ShouldBeOk();
        var after = await PostAsync(ann, "posted after the mute");
        var afterNotification = await NotificationIdAsync(after.StatusId);

        var router = App.Get<LiveEventRouter>();
        Assert.Contains(await router.RouteAsync(new StatusPosted(before.StatusId, ann.Id, before.Text, before.CreatedAt, beforeNotification)),
            d => d.To.Contains(ben.Id));
        Assert.DoesNotContain(await router.RouteAsync(new StatusPosted(after.StatusId, ann.Id, after.Text, after.CreatedAt, afterNotification)),
            d => d.To.Contains(ben.Id));
        Assert.Equal(1, (await Notifications.GetUnreadAsync(ben.Id)).Count);
    }

    private async Task<long> NotificationIdAsync(long statusId)
    {
        await using var db = App.NewDbContext();
        return await db.Notifications.Where(n => n.SubjectId == statusId).Select(n => n.Id).SingleAsync();
    }
}
