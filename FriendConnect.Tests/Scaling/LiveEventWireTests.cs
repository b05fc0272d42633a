using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;

namespace FriendConnect.Tests.Scaling;

public sealed class LiveEventWireTests
{
    private static readonly DateTime At = new(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc);

    private static UserSummary Person(string id, string? status) => UserSummary.OfSelf(new User
    {
        Id = id, UserName = id, DisplayName = $"Person {id}", StatusText = status, StatusAt = status is null ? null : At,
    });

    /// <summary>An event with every payload set; a payload added to LiveEvent later fails the first assertion until it is here.</summary>
    private static LiveEvent Everything() => new(LiveChange.Notifications | LiveChange.Feed | LiveChange.Requests, "Ann: hello")
    {
        Notification = new NotificationView(7, NotificationKind.StatusPosted, Person("ann", "hello"), "hello", At, false),
        Post = new FeedItem(11, Person("ann", "hello"), "hello", At),
        Incoming = new FriendRequestSummary(3, Person("bob", null), At),
        Outgoing = new FriendRequestSummary(4, Person("cat", "hidden from nobody"), At),
        RequestGone = 5,
        StatusGone = 6,
    };

    [Fact]
    public void Every_payload_of_a_live_event_arrives_on_the_other_node_as_it_left()
    {
        var sent = Everything();
        foreach (var property in typeof(LiveEvent).GetProperties())
            Assert.True(property.GetValue(sent) is not null, $"The sample event leaves {property.Name} unset.");

        var received = LiveEventWire.Deserialize(LiveEventWire.Serialize(new LiveEventEnvelope("node1", ["bob", "cat"], sent)));

        Assert.Equal("node1", received.Origin);
        Assert.Equal(["bob", "cat"], received.To);
        Assert.Equal(sent, received.Event);
        Assert.Equal(sent.Post!.Author.StatusAt, received.Event.Post!.Author.StatusAt);
        Assert.Equal(DateTimeKind.Utc, received.Event.Post.CreatedAt.Kind);
    }

    [Fact]
    public void A_summary_the_router_cut_stays_cut()
    {
        var sent = new LiveEvent(LiveChange.Requests) { Incoming = new FriendRequestSummary(1, Person("dan", null), At) };

        var received = LiveEventWire.Deserialize(LiveEventWire.Serialize(new LiveEventEnvelope("n", ["x"], sent)));

        Assert.Null(received.Event.Incoming!.OtherUser.StatusText);
        Assert.Null(received.Event.Incoming.OtherUser.StatusAt);
        Assert.Equal("Person dan", received.Event.Incoming.OtherUser.DisplayName);
    }
}
