using System.Net;
using System.Net.Http.Headers;

namespace FriendConnect.Tests.Api;

/// <summary>Circuits:MaxEventStreamsPerUser = 3, for the cap on one person's open event streams.</summary>
public sealed class EventStreamLimitedApiFactory : ApiFactory
{
    public const int PerUser = 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:RequestsPerMinute"] = "100000",
        ["Circuits:MaxEventStreamsPerUser"] = PerUser.ToString(),
    };
}

/// <summary>One person's open GET /api/v1/events streams are capped, like their circuits; a closed stream frees its place.</summary>
public sealed class EventStreamLimitTests(EventStreamLimitedApiFactory app) : IClassFixture<EventStreamLimitedApiFactory>
{
    private static HttpRequestMessage StreamRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return request;
    }

    [Fact]
    public async Task A_stream_past_the_per_user_limit_gets_429_with_Retry_After_and_a_closed_stream_frees_its_place()
    {
        var user = await app.RegisterAndLoginAsync();
        var someoneElse = await app.RegisterAndLoginAsync();
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var open = new List<SseConnection>();
        try
        {
            for (var i = 0; i < EventStreamLimitedApiFactory.PerUser; i++)
                open.Add(await SseConnection.OpenAsync(user, null, overall.Token));

            using var refused = await user.Client.SendAsync(StreamRequest(), HttpCompletionOption.ResponseHeadersRead, overall.Token);
            // An accepted stream never ends: look at the status before reading a body.
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var problem = await Http.ProblemAsync(refused, 429);
            Assert.Contains("event streams", (string?)problem["detail"]);
            Assert.True(refused.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero, $"Retry-After: '{refused.Headers.RetryAfter}'");

            // Another person's streams are theirs to count.
            open.Add(await SseConnection.OpenAsync(someoneElse, null, overall.Token));

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            while (true)
            {
                using var again = await user.Client.SendAsync(StreamRequest(), HttpCompletionOption.ResponseHeadersRead, overall.Token);
                if (again.StatusCode == HttpStatusCode.OK) break;
                Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
                // The server notices the closed stream when its request ends; ask again until it has.
                await Task.Delay(50, overall.Token);
            }
        }
        finally
        {
            foreach (var stream in open) await stream.DisposeAsync();
        }
    }
}
