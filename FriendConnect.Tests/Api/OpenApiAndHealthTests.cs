using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FriendConnect.Tests.Api;

/// <summary>GET /openapi/v1.json, GET /docs, GET /health and /health/ready.</summary>
public sealed class OpenApiAndHealthTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    public sealed record Endpoint(string Method, string Path, string Auth, int Success, string Failures);

    /// <summary>The REST API v1 as these tests know it: method, path, who may call, success and failure statuses.</summary>
    public static readonly Endpoint[] Endpoints =
    [
        new("POST", "/api/v1/auth/register", "anonymous", 200, "400"),
        new("POST", "/api/v1/auth/login", "anonymous", 200, "400, 401, 403 (suspended)"),
        new("POST", "/api/v1/auth/refresh", "anonymous", 200, "401"),
        new("GET", "/api/v1/users", "anonymous or bearer", 200, "400 (bad query)"),
        new("GET", "/api/v1/users/{userName}", "anonymous or bearer", 200, "404"),
        new("GET", "/api/v1/users/{userName}/friends", "anonymous or bearer", 200, "403, 404"),
        new("GET", "/api/v1/users/{userName}/statuses", "anonymous or bearer", 200, "400 (cursor), 404"),
        new("GET", "/api/v1/me", "bearer/cookie", 200, "401"),
        new("PATCH", "/api/v1/me", "bearer/cookie", 204, "400, 401"),
        new("GET", "/api/v1/me/privacy", "bearer/cookie", 200, "401"),
        new("PUT", "/api/v1/me/privacy", "bearer/cookie", 204, "400, 401"),
        new("GET", "/api/v1/friend-requests/incoming", "bearer/cookie", 200, "400 (cursor), 401"),
        new("GET", "/api/v1/friend-requests/outgoing", "bearer/cookie", 200, "400 (cursor), 401"),
        new("POST", "/api/v1/friend-requests", "bearer/cookie", 200, "400, 401, 403, 404, 409, 429"),
        new("POST", "/api/v1/friend-requests/{id}/accept", "bearer/cookie", 204, "401, 403, 404, 409"),
        new("POST", "/api/v1/friend-requests/{id}/decline", "bearer/cookie", 204, "401, 403, 404, 409"),
        new("DELETE", "/api/v1/friend-requests/{id}", "bearer/cookie", 204, "401, 403, 404, 409"),
        new("GET", "/api/v1/friends", "bearer/cookie", 200, "401"),
        new("DELETE", "/api/v1/friends/{userName}", "bearer/cookie", 204, "401, 404"),
        new("POST", "/api/v1/statuses", "bearer/cookie", 201, "400, 401, 403 (suspended), 429"),
        new("GET", "/api/v1/feed", "bearer/cookie", 200, "400 (cursor), 401"),
        new("GET", "/api/v1/notifications", "bearer/cookie", 200, "400 (cursor), 401"),
        new("GET", "/api/v1/notifications/unread-count", "bearer/cookie", 200, "401"),
        new("POST", "/api/v1/notifications/{id}/read", "bearer/cookie", 204, "401, 404 (expected)"),
        new("POST", "/api/v1/notifications/read-all", "bearer/cookie", 204, "401"),
        new("GET", "/api/v1/blocks", "bearer/cookie", 200, "400 (bad query), 401"),
        new("PUT", "/api/v1/blocks/{userName}", "bearer/cookie", 204, "400, 401, 404"),
        new("DELETE", "/api/v1/blocks/{userName}", "bearer/cookie", 204, "401, 404"),
        new("GET", "/api/v1/mutes", "bearer/cookie", 200, "400 (bad query), 401"),
        new("PUT", "/api/v1/mutes/{userName}", "bearer/cookie", 204, "400, 401, 404"),
        new("DELETE", "/api/v1/mutes/{userName}", "bearer/cookie", 204, "401, 404"),
        new("POST", "/api/v1/reports", "bearer/cookie", 200, "400, 401, 404, 429"),
        new("GET", "/api/v1/events", "bearer/cookie", 200, "401, 429"),
        new("GET", "/api/v1/moderation/reports", "moderator", 200, "401, 403"),
        new("GET", "/api/v1/moderation/audit", "moderator", 200, "400, 401, 403, 404"),
        new("POST", "/api/v1/moderation/reports/{id}/dismiss", "moderator", 204, "401, 403, 404, 409"),
        new("POST", "/api/v1/moderation/reports/{id}/hide-status", "moderator", 204, "400, 401, 403, 404"),
        new("POST", "/api/v1/moderation/reports/{id}/remove-photo", "moderator", 204, "400, 401, 403, 404"),
        new("POST", "/api/v1/moderation/users/{userName}/suspend", "moderator", 204, "400, 401, 403, 404"),
        new("DELETE", "/api/v1/moderation/users/{userName}/suspension", "moderator", 204, "401, 403, 404"),
        new("POST", "/api/v1/moderation/moderators", "moderator", 204, "400, 401, 403, 404"),
    ];

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync("/openapi/v1.json");
        await Http.ExpectAsync(response, 200);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task OpenApi_lists_every_endpoint_with_a_summary_and_tags()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();

        var missing = new List<string>();
        foreach (var endpoint in Endpoints)
        {
            var operation = paths[endpoint.Path]?[endpoint.Method.ToLowerInvariant()];
            if (operation is null) { missing.Add($"{endpoint.Method} {endpoint.Path}"); continue; }
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{endpoint.Method} {endpoint.Path} has no summary");
            Assert.NotEmpty(operation["tags"]?.AsArray() ?? []);
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["operationId"]), $"{endpoint.Method} {endpoint.Path} has no operationId");
        }
        Assert.True(missing.Count == 0, "missing from the OpenAPI document: " + string.Join(", ", missing));

        // …and nothing under /api/v1 that these tests do not know about.
        var documented = paths.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .Where(o => o.Contains(" /api/v1/")).Order().ToList();
        Assert.Equal(Endpoints.Select(e => $"{e.Method} {e.Path}").Order(), documented);
    }

    [Fact]
    public async Task OpenApi_declares_a_bearer_security_scheme()
    {
        var document = await DocumentAsync();

        var scheme = document["components"]?["securitySchemes"]?["Bearer"];
        Assert.NotNull(scheme);
        Assert.Equal("http", (string?)scheme!["type"]);
        Assert.Equal("bearer", ((string?)scheme["scheme"])?.ToLowerInvariant());
        var security = document["security"]?.AsArray();
        Assert.NotNull(security);
        Assert.Contains(security!, requirement => requirement!.AsObject().ContainsKey("Bearer"));
        Assert.Equal("FriendConnect API", (string?)document["info"]!["title"]);
    }

    [Fact]
    public async Task Docs_page_is_html()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true });

        var response = await client.GetAsync("/docs");

        await Http.ExpectAsync(response, 200);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("FriendConnect API", html);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_are_200_healthy(string path)
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync(path);
        await Http.ExpectAsync(response, 200);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
