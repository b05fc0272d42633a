using FriendConnect.Bench.Capacity;
using FriendConnect.Domain.Friendships;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Web.Diagnostics;
using System.Net.Http.Json;

namespace FriendConnect.Tests.Capacity;

/// <summary>
/// The capacity bench's headless circuit client, at CI size: 50 signed-in dashboard circuits without a browser, and a
/// friend's status update arriving in every one of them as a render batch; and hidden tabs pausing and coming back.
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

    [Fact]
    public async Task Paused_headless_circuits_leave_the_server_and_resume_to_receive_a_friends_status()
    {
        var pat = await _app.CreateUserAsync("pat", "Pat Poster");
        var friendships = _app.Get<FriendshipService>();
        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var friend = await _app.CreateUserAsync($"sleeper{i}", $"Sleeper {i}");
            await friendships.SendRequestAsync(pat.Id, friend.Id);
            await friendships.SendRequestAsync(friend.Id, pat.Id);
            names.Add(friend.UserName!);
        }
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(_app.BaseUrl), Timeout = TimeSpan.FromMinutes(2),
        };
        var stats = new CircuitStats();
        var circuits = new List<HeadlessCircuit>();
        foreach (var name in names)
        {
            var cookie = await BenchSessions.SignInAsync(http, name);
            circuits.Add(await HeadlessCircuit.OpenAsync(http, new Uri(new Uri(_app.BaseUrl), "/dashboard"), cookie, "fc-interactive", stats, TimeSpan.FromMinutes(2)));
        }
        var resumed = new List<HeadlessCircuit>();
        try
        {
            Assert.Equal(4, await OpenCircuitsAsync(http));

            // Two tabs keep their state, as browsers do; two decline it, so the server keeps it until they come back.
            var paused = await Task.WhenAll(circuits.Select((c, i) => c.PauseAsync(keepStateInTab: i % 2 == 0, TimeSpan.FromMinutes(1))));
            Assert.Equal([true, false, true, false], paused.Select(p => p.HeldByTab));
            Assert.All(paused.Where(p => p.HeldByTab), p => Assert.True(p.StateChars > 0));
            await WaitForOpenCircuitsAsync(http, 0);

            foreach (var p in paused) resumed.Add(await HeadlessCircuit.ResumeAsync(p, "fc-interactive", stats, TimeSpan.FromMinutes(2)));
            Assert.All(resumed.Zip(circuits), pair => Assert.NotEqual(pair.Second.CircuitId, pair.First.CircuitId));
            await WaitForOpenCircuitsAsync(http, 4);

            var text = $"Back from a pause {Guid.NewGuid():N}";
            var arrivals = resumed.Select(c => c.WaitForTextAsync(text)).ToList();
            await BenchSessions.PostStatusAsync(http, pat.UserName!, text);
            await Task.WhenAll(arrivals).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Empty(stats.FirstErrors);
        }
        finally
        {
            foreach (var circuit in circuits.Concat(resumed)) await circuit.DisposeAsync();
        }
    }

    private static async Task<int> OpenCircuitsAsync(HttpClient http) => (await http.GetFromJsonAsync<BenchRuntime>("/bench/runtime"))!.OpenCircuits;

    private static async Task WaitForOpenCircuitsAsync(HttpClient http, int expected)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        int open;
        while ((open = await OpenCircuitsAsync(http)) != expected && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(expected, open);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
