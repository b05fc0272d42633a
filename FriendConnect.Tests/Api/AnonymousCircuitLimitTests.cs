using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace FriendConnect.Tests.Api;

/// <summary>Circuits:MaxAnonymousConnectionsPerAddress = 2.</summary>
public sealed class CircuitLimitedApiFactory : ApiFactory
{
    protected override bool RegisterModeratorViaApi => false;
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Circuits:MaxAnonymousConnectionsPerAddress"] = "2",
    };
}

/// <summary>Unauthenticated connections to the circuit hub are capped per address; signed-in ones are not counted.</summary>
public sealed class AnonymousCircuitLimitTests(CircuitLimitedApiFactory app) : IClassFixture<CircuitLimitedApiFactory>
{
    private async Task<HttpResponseMessage> NegotiateAsync(string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await app.CreateClient().SendAsync(request);
    }

    private async Task<WebSocket> ConnectAnonymouslyAsync()
    {
        var negotiate = await Http.JsonAsync(await NegotiateAsync());
        var token = (string)negotiate["connectionToken"]!;
        var client = app.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri($"ws://localhost/_blazor?id={Uri.EscapeDataString(token)}"), CancellationToken.None);
    }

    [Fact]
    public async Task A_third_anonymous_connection_from_one_address_is_refused_until_one_closes()
    {
        var signedIn = await app.RegisterAndLoginAsync();
        using var first = await ConnectAnonymouslyAsync();
        using var second = await ConnectAnonymouslyAsync();

        var refused = await NegotiateAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many open connections", await refused.Content.ReadAsStringAsync());
        Assert.NotNull(refused.Headers.RetryAfter);
        // Someone signed in from the same address is not counted.
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(signedIn.AccessToken)).StatusCode);

        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        while ((status = (await NegotiateAsync()).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
