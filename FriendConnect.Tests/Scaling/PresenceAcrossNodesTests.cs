using FriendConnect.Domain.Live;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Presence;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Tests.Safety;

namespace FriendConnect.Tests.Scaling;

/// <summary>The presence rule with a share between nodes: friends hear the first arrival and the last departure over all nodes.</summary>
public sealed class PresenceAcrossNodesTests : SafetyTestBase
{
    /// <summary>Two nodes' view of one shared store, in memory; it can be made to fail as an unreachable Redis does.</summary>
    private sealed class SharedStore
    {
        public readonly Dictionary<string, HashSet<string>> Nodes = [];
        public bool Down;
    }

    private sealed class Share(SharedStore store, string node) : IPresenceShare
    {
        public Task<bool> JoinAsync(string userId, CancellationToken ct = default)
        {
            if (store.Down) throw new InvalidOperationException("unreachable");
            var nodes = store.Nodes.TryGetValue(userId, out var set) ? set : store.Nodes[userId] = [];
            var first = nodes.Count == 0;
            nodes.Add(node);
            return Task.FromResult(first);
        }

        public Task<bool> LeaveAsync(string userId, CancellationToken ct = default)
        {
            if (store.Down) throw new InvalidOperationException("unreachable");
            store.Nodes.TryGetValue(userId, out var nodes);
            nodes?.Remove(node);
            return Task.FromResult(nodes is not { Count: > 0 });
        }

        public bool IsOnlineAnywhere(string userId) =>
            store.Down ? throw new InvalidOperationException("unreachable") : store.Nodes.TryGetValue(userId, out var nodes) && nodes.Count > 0;
    }

    [Fact]
    public async Task A_friend_online_on_either_node_is_online_on_both_and_friends_hear_only_the_first_and_last()
    {
        var pat = await AddUserAsync("pat");
        var fred = await AddUserAsync("fred");
        await BefriendAsync(pat, fred);
        var store = new SharedStore();
        var dispatcher = App.Get<LiveEventDispatcher>();
        var node1 = new PresenceTracker(dispatcher, new Share(store, "node1"));
        var node2 = new PresenceTracker(dispatcher, new Share(store, "node2"));
        using var recorder = new LiveRecorder(App.Live, fred.Id);
        int PresenceEvents() => recorder.For(fred.Id).Count(e => e.Changes.HasFlag(LiveChange.Presence));

        await node1.ConnectedAsync(pat.Id);
        Assert.True(node2.IsOnline(pat.Id));
        await node2.ConnectedAsync(pat.Id);
        Assert.Equal(1, PresenceEvents());

        await node1.DisconnectedAsync(pat.Id);
        Assert.True(node1.IsOnline(pat.Id));
        Assert.Equal(1, PresenceEvents());

        await node2.DisconnectedAsync(pat.Id);
        Assert.False(node1.IsOnline(pat.Id));
        Assert.Equal(2, PresenceEvents());
    }

    [Fact]
    public async Task While_the_share_is_unreachable_each_node_decides_from_its_own_connections_and_nothing_throws()
    {
        var pat = await AddUserAsync("pat");
        var fred = await AddUserAsync("fred");
        await BefriendAsync(pat, fred);
        var store = new SharedStore { Down = true };
        var node1 = new PresenceTracker(App.Get<LiveEventDispatcher>(), new Share(store, "node1"));
        using var recorder = new LiveRecorder(App.Live, fred.Id);

        await node1.ConnectedAsync(pat.Id);
        Assert.True(node1.IsOnline(pat.Id));
        Assert.False(node1.IsOnline(fred.Id));
        await node1.DisconnectedAsync(pat.Id);
        Assert.False(node1.IsOnline(pat.Id));

        Assert.Equal(2, recorder.For(fred.Id).Count(e => e.Changes.HasFlag(LiveChange.Presence)));
    }
}
