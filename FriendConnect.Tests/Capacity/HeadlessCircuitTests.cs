using FriendConnect.Bench.Capacity;
using FriendConnect.Domain.Friendships;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Capacity;

/// <summary>
/// The capacity bench's headless circuit client, at CI size: 50 signed-in dashboard circuits without a browser, and a
/// friend's status update arriving in every one of them as a render batch.
/// </summary>
public sealed class HeadlessCircuitTests : IAsyncLifetime
{
    private const int Friends = 10;
    private const int CircuitsPerFriend = 5;
    private readonly AppFactory _app = new(new Dictionary<string, string> { ["Bench:Enabled"] = "true" });

    public Task InitializeAsync()
    {
        _app.StartServer();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Fifty_headless_dashboard_circuits_open_and_each_receives_a_friends_status_as_a_render_batch()
    {
        var pat = await _app.CreateUserAsync("pat", "Pat Poster");
        var friendships = _app.Get<FriendshipService>();
        var names = new List<string>();
        for (var i = 0; i < Friends; i++)
        {
            var friend = await _app.CreateUserAsync($"reader{i}", $"Reader {i}");
            await friendships.SendRequestAsync(pat.Id, friend.Id);
            var accepted = await friendships.SendRequestAsync(friend.Id, pat.Id);
            Assert.Equal(SendRequestOutcome.BecameFriends, accepted.Value);
            names.Add(friend.UserName!);
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(_app.BaseUrl), Timeout = TimeSpan.FromMinutes(2),
        };
        var cookies = new List<string>();
        foreach (var name in names) cookies.Add(await BenchSessions.SignInAsync(http, name));

        var stats = new CircuitStats();
        using var gate = new SemaphoreSlim(10);
        var circuits = await Task.WhenAll(Enumerable.Range(0, Friends * CircuitsPerFriend).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await HeadlessCircuit.OpenAsync(http, new Uri(new Uri(_app.BaseUrl), "/dashboard"), cookies[i % Friends],
                    "fc-interactive", stats, TimeSpan.FromMinutes(2));
            }
            finally
            {
                gate.Release();
            }
        }));
        try
        {
            Assert.All(circuits, c => Assert.NotNull(c.CircuitId));
            Assert.Equal(Friends * CircuitsPerFriend, circuits.Select(c => c.CircuitId).Distinct().Count());
            Assert.Contains("Blazor._internal.attachWebRendererInterop", stats.JsCalls.Keys);

            var text = $"Smoke test {Guid.NewGuid():N}";
            var arrivals = circuits.Select(c => c.WaitForTextAsync(text)).ToList();
            var posted = await BenchSessions.PostStatusAsync(http, pat.UserName!, text);
            var arrived = await Task.WhenAll(arrivals).WaitAsync(TimeSpan.FromMinutes(1));

            Assert.All(arrived, at => Assert.True(at >= posted.StartedTimestamp, "a batch cannot carry the status before it was posted"));
            Assert.Empty(stats.FirstErrors);
        }
        finally
        {
            foreach (var circuit in circuits) await circuit.DisposeAsync();
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
