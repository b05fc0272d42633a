using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Tests.Safety;

public sealed class AccountSafetyTests : SafetyTestBase
{
    [Fact]
    public async Task Only_the_first_account_on_a_new_installation_becomes_a_moderator()
    {
        await using var app = new OwnedFixture();
        await app.Fixture.InitializeAsync();
        var moderation = app.Fixture.Get<ModerationService>();

        var first = await app.Fixture.CreateUserAsync("first");
        var second = await app.Fixture.CreateUserAsync("second");

        Assert.True(await moderation.IsModeratorAsync(first.Id));
        Assert.False(await moderation.IsModeratorAsync(second.Id));
        (await moderation.GetQueueAsync(second.Id, 0, 10)).ShouldFail(FriendConnect.Domain.Common.ErrorKind.Forbidden);
    }

    [Fact]
    public async Task Users_registered_after_the_moderator_are_plain_users()
    {
        var registered = await App.CreateUserAsync("registered");

        Assert.False(await Moderation.IsModeratorAsync(registered.Id));
    }

    [Fact]
    public async Task The_export_holds_profile_statuses_friends_requests_notifications_and_my_reports()
    {
        var me = await AddUserAsync("me", "Me Myself");
        var fred = await AddUserAsync("fred", "Fred");
        var asked = await AddUserAsync("asked");
        var asker = await AddUserAsync("asker", "Asker");
        var troll = await AddUserAsync("troll");
        var muted = await AddUserAsync("muted");
        var blocked = await AddUserAsync("blocked");
        var reportsMe = await AddUserAsync("reportsme");
        await BefriendViaRequestAsync(me, fred);
        await BefriendAsync(me, muted);
        await SetPrivacyAsync(me, new PrivacySettings { WhoSeesStatus = StatusAudience.Friends, ShowInDirectory = false });
        await PostAsync(me, "my first status");
        await PostAsync(fred, "fred says hi");
        (await Friendships.SendRequestAsync(me.Id, asked.Id)).ShouldBeOk();
        (await Friendships.SendRequestAsync(asker.Id, me.Id)).ShouldBeOk();
        var trollStatus = await PostAsync(troll, "nasty");
        (await Reports.ReportAsync(me.Id, troll.Id, trollStatus.StatusId, ReportReason.Harassment, "not nice")).ShouldBeOk();
        (await Reports.ReportAsync(reportsMe.Id, me.Id, null, ReportReason.Spam, "secret reporter")).ShouldBeOk();
        (await Privacy.MuteAsync(me.Id, muted.Id)).ShouldBeOk();
        (await Privacy.BlockAsync(me.Id, blocked.Id)).ShouldBeOk();

        var export = await Export.ExportAsync(me.Id);

        Assert.NotNull(export);
        Assert.Equal("me", export.Profile.UserName);
        Assert.Equal("Me Myself", export.Profile.DisplayName);
        Assert.Equal(StatusAudience.Friends, export.Profile.Privacy.WhoSeesStatus);
        Assert.False(export.Profile.Privacy.ShowInDirectory);
        Assert.Equal(["my first status"], export.Statuses.Select(s => s.Text));
        Assert.Equal(["fred", "muted"], export.Friends.Select(f => f.UserName).Order());
        Assert.Contains(export.FriendRequests, r => r.Direction == "sent" && r.OtherUserName == "fred" && r.State == "Accepted");
        Assert.Contains(export.FriendRequests, r => r.Direction == "sent" && r.OtherUserName == "asked" && r.State == "Pending");
        Assert.Contains(export.FriendRequests, r => r.Direction == "received" && r.OtherUserName == "asker" && r.State == "Pending");
        Assert.Contains(export.Notifications, n => n.Kind == nameof(NotificationKind.FriendRequestAccepted) && n.ActorUserName == "fred");
        Assert.Contains(export.Notifications, n => n.Kind == nameof(NotificationKind.StatusPosted) && n.ActorUserName == "fred");
        Assert.Contains(export.Notifications, n => n.Kind == nameof(NotificationKind.FriendRequestReceived) && n.ActorUserName == "asker");
        var report = Assert.Single(export.ReportsMade);
        Assert.Equal("troll", report.ReportedUserName);
        Assert.Equal(trollStatus.StatusId, report.StatusId);
        Assert.Equal("not nice", report.Details);
        Assert.Equal(["blocked"], export.Blocked.Select(p => p.UserName));
        Assert.Equal(["muted"], export.Muted.Select(p => p.UserName));

        // Reports about me are not mine to download: they would name the reporter.
        var json = System.Text.Json.JsonSerializer.Serialize(export);
        Assert.DoesNotContain("reportsme", json);
        Assert.DoesNotContain("secret reporter", json);
        Assert.Null(await Export.ExportAsync(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_rows_everywhere_and_signs_it_out()
    {
        var doomed = await App.CreateUserAsync("doomed", "Doomed");
        var fred = await AddUserAsync("fred", "Fred");
        var gina = await AddUserAsync("gina", "Gina");
        var asked = await AddUserAsync("asked");
        var asker = await AddUserAsync("asker");
        var troll = await AddUserAsync("troll");
        await BefriendViaRequestAsync(doomed, fred);
        await BefriendViaRequestAsync(gina, doomed);
        await BefriendAsync(fred, gina);
        await PostAsync(doomed, "goodbye soon");
        await PostAsync(fred, "hi doomed");
        (await Friendships.SendRequestAsync(doomed.Id, asked.Id)).ShouldBeOk();
        (await Friendships.SendRequestAsync(asker.Id, doomed.Id)).ShouldBeOk();
        (await Privacy.MuteAsync(doomed.Id, fred.Id)).ShouldBeOk();
        (await Privacy.MuteAsync(gina.Id, doomed.Id)).ShouldBeOk();
        var trollStatus = await PostAsync(troll, "nasty");
        (await Reports.ReportAsync(troll.Id, doomed.Id, null, ReportReason.Spam, null)).ShouldBeOk();
        (await Privacy.BlockAsync(doomed.Id, troll.Id)).ShouldBeOk();
        (await Reports.ReportAsync(doomed.Id, troll.Id, trollStatus.StatusId, ReportReason.Spam, null)).ShouldBeOk();
        await Suggestions.DismissAsync(doomed.Id, asker.Id);
        using var recorder = new LiveRecorder(App.Live, doomed.Id, fred.Id, gina.Id);

        (await App.WithAccountsAsync(accounts => accounts.DeleteAsync(doomed.Id))).ShouldBeOk();

        var id = doomed.Id;
        await using (var db = App.NewDbContext())
        {
            Assert.False(await db.Users.AnyAsync(u => u.Id == id));
            Assert.False(await db.Friendships.AnyAsync(f => f.UserId == id || f.FriendId == id));
            Assert.False(await db.StatusUpdates.AnyAsync(s => s.AuthorId == id));
            Assert.False(await db.Notifications.AnyAsync(n => n.RecipientId == id || n.ActorId == id));
            Assert.False(await db.FriendRequests.AnyAsync(r => r.FromUserId == id || r.ToUserId == id));
            Assert.False(await db.Mutes.AnyAsync(m => m.UserId == id || m.MutedId == id));
            Assert.False(await db.Blocks.AnyAsync(b => b.BlockerId == id || b.BlockedId == id));
            Assert.False(await db.Reports.AnyAsync(r => r.ReporterId == id || r.TargetUserId == id));
            Assert.False(await db.SuggestionDismissals.AnyAsync(d => d.UserId == id || d.DismissedId == id));
            Assert.False(await db.UserRoles.AnyAsync(ur => ur.UserId == id));
            // Everyone else's rows survive.
            Assert.True(await db.Friendships.AnyAsync());
            Assert.True(await db.StatusUpdates.AnyAsync(s => s.AuthorId == fred.Id));
        }

        Assert.Contains(recorder.For(doomed.Id), e => e.Changes.HasFlag(LiveChange.SignedOut));
        Assert.Contains(recorder.For(fred.Id), e => e.Changes.HasFlag(LiveChange.Friends));
        Assert.Contains(recorder.For(gina.Id), e => e.Changes.HasFlag(LiveChange.Friends));
        Assert.Equal([gina.Id], (await Friendships.GetFriendsAsync(fred.Id, 0, 10)).Items.Select(u => u.Id));
        Assert.DoesNotContain((await Statuses.GetFeedAsync(fred.Id, null, 10)).Items, i => i.Author.Id == id);
        Assert.DoesNotContain(await Notifications.GetRecentAsync(fred.Id, 50), n => n.Actor.Id == id);
        Assert.Empty(await Friendships.GetIncomingAsync(asked.Id));
        (await Directory.GetProfileAsync(fred.Id, "doomed")).ShouldFail(FriendConnect.Domain.Common.ErrorKind.NotFound);
        (await Friendships.SendRequestAsync(fred.Id, id)).ShouldFail(FriendConnect.Domain.Common.ErrorKind.NotFound);

        // A deleted account acting from a stale session is refused.
        (await Statuses.PostAsync(id, "ghost")).ShouldFail(FriendConnect.Domain.Common.ErrorKind.Forbidden);
    }

    /// <summary>A fixture of its own, for the one test that needs an installation with no moderator yet.</summary>
    private sealed class OwnedFixture : IAsyncDisposable
    {
        public DomainFixture Fixture { get; } = new();
        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
