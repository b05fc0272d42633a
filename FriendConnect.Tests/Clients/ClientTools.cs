using System.Text.Json.Nodes;
using FriendConnect.Tests.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FriendConnect.Tests.Clients;

/// <summary>The checked-in OpenAPI document, the TypeScript client's folder, and its npm packages, installed once per run.</summary>
public static class ClientTools
{
    public static readonly string RepositoryRoot = PublishedApp.RepositoryRoot;
    public static readonly string CheckedInDocument = Path.Combine(RepositoryRoot, "clients", "openapi", "v1.json");
    public static readonly string TypeScriptFolder = Path.Combine(RepositoryRoot, "clients", "typescript");
    public const string RegenerateCommand = "UPDATE_OPENAPI=1 dotnet test --filter \"FullyQualifiedName~OpenApiDocumentTests\"";

    public const string PublicAddress = "https://friends.home.arpa";

    private static readonly Lazy<Task> Install = new(InstallAsync);

    /// <summary>npm ci in clients/typescript, unless node_modules already holds exactly what package-lock.json names.</summary>
    public static Task EnsureNodePackagesAsync() => Install.Value;

    public static Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args) =>
        RunAsync(file, args, new Dictionary<string, string>());

    public static Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, IDictionary<string, string> environment) =>
        PublishedApp.RunAsync(file, args, TypeScriptFolder, TimeSpan.FromMinutes(3), environment);

    /// <summary>The live document as a client developer downloads it, pretty-printed like the checked-in copy.</summary>
    public static async Task<string> LiveDocumentAsync<T>(WebApplicationFactory<T> app) where T : class
    {
        // As reached through a proxy at a real name: the document's server URL is the address the client used.
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicAddress) });
        var json = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        return json.ToJsonString(new() { WriteIndented = true }) + "\n";
    }

    private static async Task InstallAsync()
    {
        var lockFile = await File.ReadAllTextAsync(Path.Combine(TypeScriptFolder, "package-lock.json"));
        var stamp = Path.Combine(TypeScriptFolder, "node_modules", ".installed-from-lock");
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == lockFile) return;
        var (exit, output) = await RunAsync("npm", "ci", "--no-audit", "--no-fund");
        if (exit != 0) throw new InvalidOperationException($"npm ci in {TypeScriptFolder} failed ({exit}):\n{output}");
        await File.WriteAllTextAsync(stamp, lockFile);
    }
}
