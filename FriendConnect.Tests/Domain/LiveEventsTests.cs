using FriendConnect.Domain.Notifications;

namespace FriendConnect.Tests.Domain;

public sealed class LiveEventsTests
{
    private readonly InProcessLiveEvents _live = new();

    [Fact]
    public async Task Every_tab_of_a_user_receives_an_event()
    {
        var received = new int[3];
        var subscriptions = Enumerable.Range(0, 3)
            .Select(i => _live.Subscribe("alice", _ => { Interlocked.Increment(ref received[i]); return Task.CompletedTask; }))
            .ToList();

        await _live.PublishAsync(["alice"], new LiveEvent(LiveChange.Feed, "hello"));

        Assert.Equal([1, 1, 1], received);
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task An_event_for_one_user_is_not_delivered_to_another()
    {
        var bobReceived = 0;
        using var alice = _live.Subscribe("alice", _ => Task.CompletedTask);
        using var bob = _live.Subscribe("bob", _ => { bobReceived++; return Task.CompletedTask; });

        await _live.PublishAsync(["alice", "nobody"], new LiveEvent(LiveChange.Feed));

        Assert.Equal(0, bobReceived);
    }

    [Fact]
    public async Task The_subscriber_receives_the_published_event()
    {
        LiveEvent? received = null;
        using var subscription = _live.Subscribe("alice", e => { received = e; return Task.CompletedTask; });
        var sent = new LiveEvent(LiveChange.Notifications | LiveChange.Requests, "Bob sent you a friend request");

        await _live.PublishAsync(["alice"], sent);

        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_more()
    {
        var closedTab = 0;
        var openTab = 0;
        var closing = _live.Subscribe("alice", _ => { closedTab++; return Task.CompletedTask; });
        using var open = _live.Subscribe("alice", _ => { openTab++; return Task.CompletedTask; });
        await _live.PublishAsync(["alice"], new LiveEvent(LiveChange.Feed));

        closing.Dispose();
        await _live.PublishAsync(["alice"], new LiveEvent(LiveChange.Feed));

        Assert.Equal(1, closedTab);
        Assert.Equal(2, openTab);
    }

    [Fact]
    public void A_user_is_online_while_any_tab_is_subscribed()
    {
        Assert.False(_live.IsOnline("alice"));
        var first = _live.Subscribe("alice", _ => Task.CompletedTask);
        var second = _live.Subscribe("alice", _ => Task.CompletedTask);
        Assert.True(_live.IsOnline("alice"));
        Assert.False(_live.IsOnline("bob"));

        first.Dispose();
        Assert.True(_live.IsOnline("alice"));

        second.Dispose();
        Assert.False(_live.IsOnline("alice"));
    }

    [Fact]
    public async Task Disposing_a_subscription_twice_leaves_other_tabs_subscribed()
    {
        var received = 0;
        Func<LiveEvent, Task> handler = _ => { Interlocked.Increment(ref received); return Task.CompletedTask; };
        var first = _live.Subscribe("alice", handler);
        using var second = _live.Subscribe("alice", handler);

        first.Dispose();
        first.Dispose();
        await _live.PublishAsync(["alice"], new LiveEvent(LiveChange.Feed));

        Assert.True(_live.IsOnline("alice"));
        Assert.Equal(1, received);
    }

    [Fact]
    public async Task A_throwing_subscriber_does_not_stop_the_others()
    {
        var received = 0;
        using var throwsAtOnce = _live.Subscribe("alice", _ => throw new InvalidOperationException("circuit gone"));
        using var faults = _live.Subscribe("alice", async _ => { await Task.Yield(); throw new InvalidOperationException("later"); });
        using var healthy = _live.Subscribe("alice", _ => { Interlocked.Increment(ref received); return Task.CompletedTask; });
        using var otherUser = _live.Subscribe("bob", _ => { Interlocked.Increment(ref received); return Task.CompletedTask; });

        var publishing = _live.PublishAsync(["alice", "bob"], new LiveEvent(LiveChange.Feed));
        await publishing;

        Assert.True(publishing.IsCompletedSuccessfully);
        Assert.Equal(2, received);
    }

    [Fact]
    public async Task Subscribing_and_unsubscribing_from_many_threads_loses_no_tab()
    {
        var keep = Enumerable.Range(0, 50).Select(_ => 0).ToArray();
        var kept = Enumerable.Range(0, 50)
            .Select(i => _live.Subscribe("alice", _ => { Interlocked.Increment(ref keep[i]); return Task.CompletedTask; }))
            .ToList();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() =>
            _live.Subscribe("alice", _ => Task.CompletedTask).Dispose())));
        await _live.PublishAsync(["alice"], new LiveEvent(LiveChange.Feed));

        Assert.All(keep, count => Assert.Equal(1, count));
        kept.ForEach(s => s.Dispose());
        Assert.False(_live.IsOnline("alice"));
    }
}
