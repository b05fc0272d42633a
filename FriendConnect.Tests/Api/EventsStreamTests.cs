using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FriendConnect.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Api;

/// <summary>One server-sent event: its fields as received.</summary>
public sealed record SseEvent(string? Id, string Event, string Data);

/// <summary>
/// A text/event-stream read line by line (HttpCompletionOption.ResponseHeadersRead, so nothing is buffered by the
/// client). TestServer streams the response as the app flushes it, so events arrive as they are written.
/// </summary>
public sealed class SseConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseConnection(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseConnection> OpenAsync(ApiUser user, string? lastEventId, CancellationToken ct, string url = "/api/v1/events")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await user.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await Http.ExpectAsync(response, 200);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var stream = await response.Content.ReadAsStreamAsync(ct);
        return new SseConnection(response, new StreamReader(stream));
    }

    /// <summary>The next event with an "event:" or "data:" field; comments (": heartbeat") and "retry:" blocks are skipped.</summary>
    public async Task<SseEvent> NextAsync(CancellationToken ct)
    {
        string? id = null, type = null;
        var data = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (type is not null || data.Count > 0) return new SseEvent(id, type ?? "message", string.Join("\n", data));
                id = null;
                continue;
            }
            if (line.StartsWith(':')) continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Add(value); break;
            }
        }
    }

    /// <summary>The next "event: notification", skipping "event: change" and the like.</summary>
    public async Task<SseEvent> NextNotificationAsync(CancellationToken ct)
    {
        while (true)
        {
            var e = await NextAsync(ct);
            if (e.Event == "notification") return e;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>GET /api/v1/events: live notifications, and exact resumption with Last-Event-ID.</summary>
public sealed class EventsStreamTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private async Task<List<long>> NotificationIdsAsync(ApiUser user) =>
        (await app.Services.GetRequiredService<NotificationService>().GetAfterAsync(user.Id, 0, 100)).Select(n => n.Id).ToList();

    [Fact]
    public async Task Stream_delivers_live_notifications_and_resumes_exactly_after_Last_Event_ID()
    {
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var listener = await app.RegisterAndLoginAsync();
        var (a, b, c, d, e, bystander) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(),
            await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());

        // 1. Connected: another user's action over the API arrives as "event: notification" with an id.
        long first;
        await using (var stream = await SseConnection.OpenAsync(listener, lastEventId: null, overall.Token))
        {
            await a.SendRequestAsync(listener);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            timeout.CancelAfter(Wait);
            var live = await stream.NextNotificationAsync(timeout.Token);

            Assert.NotNull(live.Id);
            first = long.Parse(live.Id!);
            Assert.Equal([first], await NotificationIdsAsync(listener));
            var data = JsonNode.Parse(live.Data)!;
            Assert.Equal(first, (long)data["id"]!);
            Assert.Equal("FriendRequestReceived", (string?)data["kind"]);
            Assert.Equal(a.UserName, (string?)data["actor"]!["userName"]);
        }

        // 2. Disconnected: two notifications are missed; one for someone else happens too.
        await b.SendRequestAsync(listener);
        await c.SendRequestAsync(listener);
        await e.SendRequestAsync(bystander);
        var missed = (await NotificationIdsAsync(listener)).Where(id => id > first).ToList();
        Assert.Equal(2, missed.Count);

        // 3. Reconnected with Last-Event-ID: exactly the missed ones in order, then a live one, nothing else.
        await using (var stream = await SseConnection.OpenAsync(listener, lastEventId: first.ToString(), overall.Token))
        {
            var received = new List<SseEvent>();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(overall.Token))
            {
                timeout.CancelAfter(Wait);
                received.Add(await stream.NextNotificationAsync(timeout.Token));
                received.Add(await stream.NextNotificationAsync(timeout.Token));
            }
            Assert.Equal(missed, received.Select(r => long.Parse(r.Id!)));
            Assert.Equal([b.UserName, c.UserName], received.Select(r => (string?)JsonNode.Parse(r.Data)!["actor"]!["userName"]));

            await d.SendRequestAsync(listener);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(overall.Token))
            {
                timeout.CancelAfter(Wait);
                received.Add(await stream.NextNotificationAsync(timeout.Token));
            }

            var all = await NotificationIdsAsync(listener);
            Assert.Equal(4, all.Count);
            Assert.Equal(all.Skip(1), received.Select(r => long.Parse(r.Id!)));
            Assert.Equal(d.UserName, (string?)JsonNode.Parse(received[^1].Data)!["actor"]!["userName"]);
            Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        }
    }

    [Fact]
    public async Task Resuming_with_the_lastEventId_query_parameter_works_too()
    {
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (listener, a, b) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await a.SendRequestAsync(listener);
        await b.SendRequestAsync(listener);
        var ids = await NotificationIdsAsync(listener);

        await using var stream = await SseConnection.OpenAsync(listener, null, overall.Token, $"/api/v1/events?lastEventId={ids[0]}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
        timeout.CancelAfter(Wait);
        var next = await stream.NextNotificationAsync(timeout.Token);

        Assert.Equal(ids[1], long.Parse(next.Id!));
    }

    [Fact]
    public async Task A_fresh_stream_starts_after_the_newest_notification_and_sends_changes()
    {
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (listener, a, friend) = (await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync(), await app.RegisterAndLoginAsync());
        await a.SendRequestAsync(listener);
        await listener.BefriendAsync(friend);

        await using var stream = await SseConnection.OpenAsync(listener, null, overall.Token);
        await friend.PostStatusAsync("live!");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
        timeout.CancelAfter(Wait);
        var events = new List<SseEvent>();
        while (!events.Any(x => x.Event == "notification")) events.Add(await stream.NextAsync(timeout.Token));

        var notification = events.Single(x => x.Event == "notification");
        Assert.Equal("StatusPosted", (string?)JsonNode.Parse(notification.Data)!["kind"]);
        var newest = (await NotificationIdsAsync(listener))[^1];
        Assert.Equal(newest, long.Parse(notification.Id!));
        // The older notifications were not replayed on a fresh connection.
        Assert.Single(events, x => x.Event == "notification");
    }

    [Fact]
    public async Task Events_are_401_for_anonymous_callers()
    {
        using var anonymous = app.Anonymous();
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead), 401);
    }
}
