using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FriendConnect.Tests.Api;

namespace FriendConnect.Tests.Clients;

/// <summary>The document clients are generated from: in step with the app, and clean by redocly's recommended rules.</summary>
public sealed class OpenApiDocumentTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_checked_in_document_is_the_one_the_app_serves()
    {
        var live = await ClientTools.LiveDocumentAsync(app);
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(ClientTools.CheckedInDocument, live);

        var checkedIn = File.Exists(ClientTools.CheckedInDocument) ? await File.ReadAllTextAsync(ClientTools.CheckedInDocument) : "{}";
        var same = JsonNode.DeepEquals(WithoutServers(live), WithoutServers(checkedIn));
        Assert.True(same,
            "The API's OpenAPI document differs from clients/openapi/v1.json, which the C# and TypeScript clients are generated from. "
            + $"If the change is meant, regenerate with: {ClientTools.RegenerateCommand} — then rebuild and run the client tests.");
    }

    [Fact]
    public async Task Redocly_lint_with_the_recommended_rules_finds_nothing()
    {
        await ClientTools.EnsureNodePackagesAsync();
        var file = Path.Combine(Path.GetTempPath(), $"fc-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await ClientTools.LiveDocumentAsync(app));
        try
        {
            var (exit, output) = await ClientTools.RunAsync(
                Path.Combine(ClientTools.TypeScriptFolder, "node_modules", ".bin", "redocly"), "lint", "--extends=recommended", "--format=stylish", file);
            Assert.True(exit == 0, $"redocly lint failed ({exit}):\n{output}");
            // Findings are lines like "14:14  warning  rule-name  message" (the Node.js version notice is not one).
            var findings = Regex.Matches(output, @"^\s*\d+:\d+\s+(warning|error)\s.*$", RegexOptions.Multiline).Select(m => m.Value.Trim()).ToList();
            Assert.True(findings.Count == 0, "redocly lint: " + string.Join("\n", findings));
            Assert.Contains("Your API description is valid", output);
            Assert.Equal(ClientTools.PublicAddress, (string?)JsonNode.Parse(await File.ReadAllTextAsync(file))!["servers"]![0]!["url"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The server URL is wherever the document was fetched from; everything else must match.</summary>
    private static JsonNode WithoutServers(string json)
    {
        var node = JsonNode.Parse(json)!;
        node.AsObject().Remove("servers");
        return node;
    }
}
