using System.Collections.Concurrent;
using System.Security.Claims;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Web.Realtime;
using Microsoft.AspNetCore.Components.Authorization;

namespace FriendConnect.Tests.Realtime;

public sealed class LiveSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly DomainFixture _app = new();
    private readonly InProcessLiveEvents _bus = new();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_page_that_is_slow_to_render_delays_neither_the_publisher_nor_another_page()
    {
        using var slowTab = await StartAsync("ann");
        using var otherTab = await StartAsync("ben");
        using var release = new ManualResetEventSlim();
        var slowEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowFinished = false;
        // A render that holds its thread (a heavy page), not one that politely awaits.
        using var slow = slowTab.Listen(_ =>
        {
            slowEntered.TrySetResult();
            release.Wait(Patience);
            Volatile.Write(ref slowFinished, true);
            return Task.CompletedTask;
        });
        var received = new TaskCompletionSource<LiveEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var other = otherTab.Listen(e =>
        {
            received.TrySetResult(e);
            return Task.CompletedTask;
        });

        var published = new LiveEvent(LiveChange.Feed);
        var publish = _bus.PublishAsync(["ann", "ben"], published);

        Assert.True(publish.IsCompleted, "The publisher waited for a page.");
        await slowEntered.Task.WaitAsync(Patience);
        Assert.Same(published, await received.Task.WaitAsync(Patience));
        Assert.False(Volatile.Read(ref slowFinished), "The other page waited for the slow one.");
        release.Set();
    }

    [Fact]
    public async Task A_page_gets_its_events_in_the_order_they_were_published()
    {
        using var tab = await StartAsync("ann");
        var seen = new ConcurrentQueue<string?>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = tab.Listen(e =>
        {
            seen.Enqueue(e.Message);
            if (seen.Count == 200) all.TrySetResult();
            return Task.CompletedTask;
        });

        for (var i = 0; i < 200; i++)
            await _bus.PublishAsync(["ann"], new LiveEvent(LiveChange.Feed, i.ToString()));

        await all.Task.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString()), seen);
    }

    [Fact]
    public async Task The_layouts_toast_hears_an_event_after_the_page_that_shows_it()
    {
        // The layout listens first (it is created first); each listener's render is its own batch, applied in order,
        // so the page's news must be queued before the toast's.
        using var tab = await StartAsync("ann");
        var heard = new ConcurrentQueue<string>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Hear(string who)
        {
            heard.Enqueue(who);
            if (heard.Count == 2) both.TrySetResult();
            return Task.CompletedTask;
        }
        using var toast = tab.Listen(_ => Hear("toast"), last: true);
        using var page = tab.Listen(_ => Hear("page"));

        await _bus.PublishAsync(["ann"], new LiveEvent(LiveChange.Feed, "news"));

        await both.Task.WaitAsync(Patience);
        Assert.Equal(["page", "toast"], heard);
    }

    private async Task<LiveSession> StartAsync(string userId)
    {
        var session = new LiveSession(_bus, new SignedIn(userId), _app.Get<SessionValidator>());
        await session.StartAsync();
        Assert.True(_bus.IsOnline(userId));
        return session;
    }

    private sealed class SignedIn(string userId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(
                new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"))));
    }
}
