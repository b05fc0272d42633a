using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Notifications;
using FriendConnect.Web.Realtime;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Api;

/// <summary>
/// Server-Sent Events: the signed-in user's notifications as they happen, each with its database id as the event id.
/// A client that reconnects with Last-Event-ID first gets every notification after that id from the database, then
/// live ones; the stream only ever sends ids greater than the last it sent, so nothing is lost and nothing repeats.
/// </summary>
public static class EventsApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly LiveEvent SignedOut = new(LiveChange.SignedOut);

    public static void MapEventsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/events", StreamAsync)
            .RequireAuthorization(ApiExtensions.AuthPolicy)
            .WithTags("Events")
            .WithName("StreamEvents")
            .WithSummary("A text/event-stream of my notifications (event: notification, id: its id) and other changes (event: change); resume with Last-Event-ID")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
    }

    private static async Task StreamAsync(
        HttpContext context, ClaimsPrincipal principal, ILiveEventSubscriber live, NotificationService notifications,
        EventStreamLimiter limiter, SessionSweep sweep, IOptions<JsonOptions> jsonOptions, CancellationToken ct)
    {
        var userId = principal.UserId();
        using var place = limiter.Acquire(userId);
        if (!place.IsAcquired)
        {
            await DomainProblems.For(DomainError.LimitReached(
                    $"You already have {limiter.MaxPerUser} open event streams. Close one, or try again in {EventStreamLimiter.RetryAfter.TotalSeconds} seconds.",
                    EventStreamLimiter.RetryAfter), context)
                .ExecuteAsync(context);
            return;
        }
        var json = jsonOptions.Value.SerializerOptions;
        var signals = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        // Subscribe before reading the backlog: an event that lands in between is then read from the database, not lost.
        using var subscription = live.Subscribe(userId, e => signals.Writer.WriteAsync(e, ct).AsTask());
        // A session ended where this node cannot hear it (a command, another node) is found by the node's sweep.
        using var watched = sweep.Watch(principal, () => signals.Writer.TryWrite(SignedOut));

        var lastEventId = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        var lastSent = long.TryParse(lastEventId, out var resumeFrom) && resumeFrom >= 0
            ? resumeFrom
            : await notifications.GetLatestIdAsync(userId, ct);

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // The id alone (no data) sets the client's Last-Event-ID without an event: a stream that drops before its first
        // notification still resumes from here instead of from whatever is newest when it comes back.
        await context.Response.WriteAsync($"retry: 3000\nid: {lastSent}\n\n: connected\n\n", ct);
        await context.Response.Body.FlushAsync(ct);

        try
        {
            lastSent = await SendNotificationsAfterAsync(context, notifications, userId, lastSent, json, ct);
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(Heartbeat);
                LiveEvent? signal = null;
                try
                {
                    signal = await signals.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": heartbeat\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    continue;
                }

                if (signal.Changes.HasFlag(LiveChange.SignedOut))
                {
                    await context.Response.WriteAsync("event: signed-out\ndata: {}\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    return;
                }
                if (signal.Changes.HasFlag(LiveChange.Notifications))
                    lastSent = await SendNotificationsAfterAsync(context, notifications, userId, lastSent, json, ct);
                var other = signal.Changes & ~LiveChange.Notifications;
                if (other != LiveChange.None)
                {
                    var data = JsonSerializer.Serialize(new { changes = other.ToString().Split(", ") }, json);
                    await context.Response.WriteAsync($"event: change\ndata: {data}\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task<long> SendNotificationsAfterAsync(
        HttpContext context, NotificationService notifications, string userId, long after, JsonSerializerOptions json, CancellationToken ct)
    {
        while (true)
        {
            var batch = await notifications.GetAfterAsync(userId, after, 100, ct);
            foreach (var item in batch)
            {
                await context.Response.WriteAsync($"id: {item.Id}\nevent: notification\ndata: {JsonSerializer.Serialize(item, json)}\n\n", ct);
                after = item.Id;
            }
            await context.Response.Body.FlushAsync(ct);
            if (batch.Count < 100) return after;
        }
    }
}
