using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FriendConnect.Client;

/// <summary>
/// What the generated client cannot know from the document: enums travel as their names, and the event stream
/// is read as Server-Sent Events rather than as one response.
/// </summary>
public partial class FriendConnectClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.Converters.Add(new JsonStringEnumConverter());

    /// <summary>
    /// GET /api/v1/events as a sequence of events (type, id, JSON data). With <paramref name="lastEventId"/>, the stream
    /// starts with every notification after that id; "0" replays all of them.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> ReadEventsAsync(string? lastEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/events");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new FriendConnectApiException("The event stream was refused.", (int)response.StatusCode,
                await response.Content.ReadAsStringAsync(cancellationToken), new Dictionary<string, IEnumerable<string>>(), null);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
            yield return item;
    }
}
