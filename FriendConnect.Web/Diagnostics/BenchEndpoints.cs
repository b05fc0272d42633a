using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;

namespace FriendConnect.Web.Diagnostics;

/// <summary>
/// Endpoints that exist only for measurement (bench/). Off unless configuration sets "Bench:Enabled" to true.
/// </summary>
public static class BenchEndpoints
{
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>("Bench:Enabled");

    public static IHostApplicationBuilder AddBenchServices(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration)) return builder;
        builder.Services.AddSignalR();
        builder.Services.AddBenchCapacityServices();
        return builder;
    }

    public static WebApplication MapBenchEndpoints(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration)) return app;
        var bench = app.MapGroup("/bench").AllowAnonymous();

        // The cheapest possible answer through the same pipeline: the api suite's baseline.
        bench.MapGet("/constant", () => Results.Text("ok", "text/plain"));
        bench.MapBenchCapacity();

        // Managed heap after a full, blocking, compacting collection, plus the process working set.
        bench.MapGet("/heap", () =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            return Results.Json(new BenchHeap(heap, process.WorkingSet64, GC.CollectionCount(2)));
        });

        // Raw SignalR hub: the latency baseline (BASELINES.md measured the same thing).
        app.MapHub<BenchHub>("/bench/hub");
        bench.MapGet("/hub-page", () => Results.Content(BenchHubPage.Html, "text/html; charset=utf-8"));
        bench.MapGet("/signalr.min.js", BenchHubPage.ScriptResult);
        bench.MapGet("/hub-page.js", () => Results.Text(BenchHubPage.PageScript, "text/javascript"));
        return app;
    }
}

public sealed record BenchHeap(long ManagedHeapBytes, long WorkingSetBytes, int Gen2Collections);

/// <summary>Broadcasts whatever a client sends to every connected client.</summary>
public sealed class BenchHub : Hub
{
    public Task Broadcast(string text) => Clients.All.SendAsync("pushed", text);
}
