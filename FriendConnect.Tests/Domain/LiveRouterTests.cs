using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Domain;

public sealed class LiveRouterTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private FriendshipService Friendships => _app.Get<FriendshipService>();
    private StatusService Statuses => _app.Get<StatusService>();
    private PrivacyService Privacy => _app.Get<PrivacyService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_request_event_shows_the_sender_as_the_addressee_may_see_them()
    {
        var ann = await _app.SeedUserAsync("ann", "Ann");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        (await Privacy.UpdateSettingsAsync(ann.Id, new PrivacySettings { WhoSeesStatus = StatusAudience.Friends })).ShouldSucceed();
        (await Statuses.PostAsync(ann.Id, "only for my friends")).ShouldSucceed();
        using var recorder = new LiveRecorder(_app.Live, ann.Id, bob.Id);

        (await Friendships.SendRequestAsync(ann.Id, bob.Id)).ShouldSucceed();

        var received = Assert.Single(recorder.For(bob.Id));
        Assert.Equal("Ann", received.Incoming!.OtherUser.DisplayName);
        Assert.Null(received.Incoming.OtherUser.StatusText);
        Assert.Null(received.Notification!.Actor.StatusText);
        Assert.DoesNotContain("only for my friends", received.Notification.Text);
        var sent = Assert.Single(recorder.For(ann.Id));
        Assert.Equal(received.Incoming.Id, sent.Outgoing!.Id);
    }

    [Fact]
    public async Task A_status_event_carries_the_post_to_friends_but_not_to_those_who_muted_the_author()
    {
        var ann = await _app.SeedUserAsync("ann", "Ann");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        var cat = await _app.SeedUserAsync("cat", "Cat");
        var stranger = await _app.SeedUserAsync("stranger", "Stranger");
        await _app.MakeFriendsAsync(ann, bob);
        await _app.MakeFriendsAsync(ann, cat);
        (await Privacy.MuteAsync(cat.Id, ann.Id)).ShouldSucceed();
        using var recorder = new LiveRecorder(_app.Live, bob.Id, cat.Id, stranger.Id);

        var posted = await Statuses.PostAsync(ann.Id, "hello friends");

        var received = Assert.Single(recorder.For(bob.Id));
        Assert.Equal(posted.Value!.StatusId, received.Post!.StatusId);
        Assert.Equal("hello friends", received.Post.Text);
        Assert.Empty(recorder.For(cat.Id));
        Assert.Empty(recorder.For(stranger.Id));
    }

    [Fact]
    public async Task A_blocked_person_hears_nothing_of_the_block_and_nothing_more_from_the_blocker()
    {
        var ann = await _app.SeedUserAsync("ann", "Ann");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        await _app.MakeFriendsAsync(ann, bob);
        using var recorder = new LiveRecorder(_app.Live, ann.Id, bob.Id);

        (await Privacy.BlockAsync(ann.Id, bob.Id)).ShouldSucceed();
        await Statuses.PostAsync(ann.Id, "after the block");

        Assert.Empty(recorder.For(bob.Id));
        Assert.NotEmpty(recorder.For(ann.Id));
    }

    [Fact]
    public async Task Nothing_is_published_for_work_that_did_not_commit()
    {
        var ann = await _app.SeedUserAsync("ann", "Ann");
        var bob = await _app.SeedUserAsync("bob", "Bob");
        await _app.MakeFriendsAsync(ann, bob);
        using var recorder = new LiveRecorder(_app.Live, ann.Id, bob.Id);

        (await Friendships.SendRequestAsync(ann.Id, bob.Id)).ShouldFailWith(FriendConnect.Domain.Common.ErrorKind.Conflict);

        Assert.Empty(recorder.For(ann.Id));
        Assert.Empty(recorder.For(bob.Id));
    }
}
