using System.Net.Http.Headers;
using System.Text.Json;
using FriendConnect.Client;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Clients;

/// <summary>
/// The C# client generated at build time (NSwag) from clients/openapi/v1.json drives the same journey as the
/// TypeScript one against the app on a real port. A document change that breaks it breaks the build of this test.
/// </summary>
public sealed class CSharpClientTests : IAsyncLifetime
{
    private const string Password = "Journey!pass123";
    private readonly AppFactory _app = new();
    private readonly List<HttpClient> _http = [];

    public Task InitializeAsync()
    {
        _app.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.ForEach(h => h.Dispose());
        await _app.DisposeAsync();
    }

    private FriendConnectClient Client(string? accessToken = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl + "/") };
        if (accessToken is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        _http.Add(http);
        return new FriendConnectClient(http);
    }

    private async Task<FriendConnectClient> SignedUpAndInAsync(string userName)
    {
        var anonymous = Client();
        var registered = await anonymous.RegisterAsync(new RegisterRequest
        {
            UserName = userName, Email = $"{userName}@example.com", DisplayName = $"C# {userName}", Password = Password,
        });
        Assert.Equal(userName, registered.UserName);
        var tokens = await anonymous.LoginAsync(new LoginRequest { Login = userName, Password = Password });
        return Client(tokens.AccessToken);
    }

    [Fact]
    public async Task The_generated_client_registers_befriends_posts_and_reads_the_feed_and_the_event_stream()
    {
        var alice = await SignedUpAndInAsync("csalice");
        var bob = await SignedUpAndInAsync("csbob");

        var found = await alice.ListUsersAsync(search: "csbob", cursor: null, limit: 10);
        Assert.Contains(found.Items, u => u.User.UserName == "csbob");

        var sent = await alice.SendFriendRequestAsync(new SendFriendRequest { UserName = "csbob" });
        Assert.Equal(SendRequestOutcome.RequestSent, sent.Outcome);

        var request = Assert.Single((await bob.ListIncomingRequestsAsync(cursor: null, limit: null)).Items, r => r.OtherUser.UserName == "csalice");
        await bob.AcceptFriendRequestAsync(request.Id);
        var friends = await alice.ListMyFriendsAsync(cursor: null, limit: null);
        Assert.Contains(friends.Items, f => f.UserName == "csbob");

        var status = await alice.PostStatusAsync(new PostStatusRequest { Text = "Hello from the C# client" });
        var feed = await bob.GetFeedAsync(cursor: null, limit: 20);
        Assert.Contains(feed.Items, item => item.StatusId == status.StatusId && item.Author.UserName == "csalice");

        // The stream from the beginning: Bob's notifications, Alice's request and then her status.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var notifications = new List<JsonElement>();
        await foreach (var item in bob.ReadEventsAsync(lastEventId: "0", timeout.Token))
        {
            if (item.EventType != "notification") continue;
            Assert.True(long.TryParse(item.EventId, out _), $"a notification without a numeric id: '{item.EventId}'");
            var notification = JsonDocument.Parse(item.Data).RootElement;
            notifications.Add(notification);
            if (notification.GetProperty("kind").GetString() == "StatusPosted") break;
        }
        Assert.Equal(["FriendRequestReceived", "StatusPosted"], notifications.Select(n => n.GetProperty("kind").GetString()));
        Assert.All(notifications, n => Assert.Equal("csalice", n.GetProperty("actor").GetProperty("userName").GetString()));

        // A refusal arrives as the documented problem details.
        var refused = await Assert.ThrowsAsync<FriendConnectApiException<ProblemDetails>>(() => alice.GetUserAsync("nobody-by-that-name"));
        Assert.Equal(404, refused.StatusCode);
        Assert.Equal(404, refused.Result.Status);
    }
}
