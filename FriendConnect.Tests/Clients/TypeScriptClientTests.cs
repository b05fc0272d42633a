using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests.Clients;

/// <summary>
/// The TypeScript client (openapi-typescript + openapi-fetch) generated from clients/openapi/v1.json, type-checked
/// against the journey script and then run against the app on a real port.
/// </summary>
public sealed class TypeScriptClientTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();

    public Task InitializeAsync()
    {
        _app.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_generated_client_registers_befriends_posts_and_reads_the_feed_and_the_event_stream()
    {
        await ClientTools.EnsureNodePackagesAsync();

        var (built, buildOutput) = await ClientTools.RunAsync("npm", "run", "build");
        Assert.True(built == 0, $"generating the TypeScript client or compiling the journey against it failed:\n{buildOutput}");

        var (exit, output) = await ClientTools.RunAsync("node", ["dist/journey.js"], new Dictionary<string, string> { ["BASE_URL"] = _app.BaseUrl });
        Assert.True(exit == 0, $"the TypeScript journey failed ({exit}):\n{output}");
        Assert.Contains("journey ok", output);
    }
}
