using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace FriendConnect.Tests.Api;

/// <summary>One operation of /openapi/v1.json and the problem responses it declares.</summary>
public sealed record DocumentedOperation(string Method, string Path, string OperationId, JsonObject Responses, bool ReadsJson, string? IntegerQuery)
{
    public IEnumerable<int> Failures => Responses.Select(r => int.Parse(r.Key)).Where(status => status >= 400);
    public bool ChangesState => Method is not ("GET" or "HEAD");

    /// <summary>The path with its parameters filled by values that name nothing.</summary>
    public string Url => Path.Replace("{id}", "987654321").Replace("{userName}", "nobody-by-that-name");

    public HttpRequestMessage Request(string? json = null, string? bearer = null, string? query = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Url + query);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        else if (ReadsJson) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    public override string ToString() => $"{OperationId} ({Method} {Path})";
}

/// <summary>Reads the operations from the live document and checks a response against what it declares.</summary>
public static class ApiContract
{
    public static async Task<IReadOnlyList<DocumentedOperation>> OperationsAsync(ApiFactory app)
    {
        using var client = app.Anonymous();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        return document["paths"]!.AsObject()
            .Where(path => path.Key.StartsWith("/api/v1/"))
            .SelectMany(path => path.Value!.AsObject().Select(operation => new DocumentedOperation(
                operation.Key.ToUpperInvariant(),
                path.Key,
                (string)operation.Value!["operationId"]!,
                operation.Value["responses"]!.AsObject(),
                operation.Value["requestBody"] is not null,
                operation.Value["parameters"]?.AsArray()
                    .FirstOrDefault(p => (string?)p!["in"] == "query" && p["schema"]!.ToJsonString().Contains("integer"))?["name"]?.GetValue<string>())))
            .ToList();
    }

    /// <summary>
    /// The response has the status, and the operation declares it with a problem schema the body fits:
    /// application/problem+json, a status equal to the HTTP one, a title; errors (if any) as field → messages;
    /// Retry-After on 429.
    /// </summary>
    public static async Task AssertDeclaredAsync(DocumentedOperation operation, HttpResponseMessage response, int status)
    {
        var declared = operation.Responses[status.ToString()];
        Assert.True(declared is not null, $"{operation} answered {status}, which its document does not declare");
        var schema = (string?)declared!["content"]?["application/problem+json"]?["schema"]?["$ref"];
        Assert.True(schema is "#/components/schemas/ProblemDetails" or "#/components/schemas/HttpValidationProblemDetails",
            $"{operation} declares {status} without a problem details schema: {declared.ToJsonString()}");

        var problem = await Http.ProblemAsync(response, status);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]), $"{operation} {status}: no title in {problem.ToJsonString()}");
        if (problem["errors"] is { } errors)
        {
            Assert.EndsWith("HttpValidationProblemDetails", schema);
            Assert.All(errors.AsObject(), field => Assert.All(field.Value!.AsArray(), message => Assert.False(string.IsNullOrEmpty((string?)message))));
        }
        if (status == 429)
        {
            Assert.NotNull(declared["headers"]?["Retry-After"]);
            Assert.True(response.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero, $"{operation} 429 without Retry-After");
        }
    }

    /// <summary>Runs <paramref name="check"/> on every operation and reports all that failed at once.</summary>
    public static async Task ForEachAsync(IEnumerable<DocumentedOperation> operations, Func<DocumentedOperation, Task> check)
    {
        var selected = operations.ToList();
        Assert.NotEmpty(selected);
        var failures = new List<string>();
        foreach (var operation in selected)
        {
            try { await check(operation); }
            catch (Exception e) when (e is Xunit.Sdk.XunitException) { failures.Add($"{operation}: {e.Message}"); }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
