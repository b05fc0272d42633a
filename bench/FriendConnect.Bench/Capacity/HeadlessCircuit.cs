using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FriendConnect.Bench.Capacity;

/// <summary>
/// One Blazor Server circuit without a browser, started the way .NET 10's blazor.web.js starts it: GET the page with the
/// session cookie, read its server markers and persisted state, connect to /_blazor over WebSockets with blazorpack,
/// <c>StartCircuit</c> with no components, wait for the renderer to attach, then <c>UpdateRootComponents</c> with every
/// marker. Every render batch is acknowledged (<c>OnRenderCompleted</c>), every JS interop call answered
/// (<c>EndInvokeJSFromDotNet</c>), and batches stay readable so a test can wait for a text to arrive.
/// </summary>
public sealed class HeadlessCircuit : IAsyncDisposable
{
    private const string AttachRenderer = "Blazor._internal.attachWebRendererInterop";

    private readonly HubConnection _hub;
    private readonly CircuitStats _stats;
    private readonly TaskCompletionSource _rendererAttached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstUpdateDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(byte[] Needle, TaskCompletionSource<long> Seen)> _waiting = [];
    private int _batches;
    private long _nextJsObjectId = 1;
    private bool _disposed;

    private HeadlessCircuit(Uri baseUri, string cookieHeader, CircuitStats stats, TimeSpan serverTimeout)
    {
        _stats = stats;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "_blazor"), HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.Headers["Cookie"] = cookieHeader;
            });
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorPackHubProtocol>();
        _hub = builder.Build();
        _hub.ServerTimeout = serverTimeout;
        _hub.HandshakeTimeout = serverTimeout;

        _hub.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        _hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)],
            args => OnBeginInvokeJSAsync((long)args[0]!, (string)args[1]!, (string?)args[2], (int)args[3]!));
        _hub.On<int>("JS.EndUpdateRootComponents", _ => _firstUpdateDone.TrySetResult());
        _hub.On<string>("JS.Error", error => Fail($"JS.Error: {error}"));
        _hub.Closed += error =>
        {
            if (!_disposed) Fail($"connection closed: {error?.Message ?? "by the server"}");
            return Task.CompletedTask;
        };
    }

    public string? CircuitId { get; private set; }
    public int Batches => Volatile.Read(ref _batches);
    public TimeSpan OpenTime { get; private set; }
    public List<string> Errors { get; } = [];

    /// <summary>Opens the page as the cookie's user and starts its circuit; returns once <paramref name="readyText"/> arrived in a batch.</summary>
    public static async Task<HeadlessCircuit> OpenAsync(HttpClient http, Uri pageUri, string cookieHeader, string readyText,
        CircuitStats? stats = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, pageUri);
        request.Headers.Add("Cookie", cookieHeader);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.RequestMessage?.RequestUri?.AbsolutePath != pageUri.AbsolutePath)
            throw new InvalidOperationException($"GET {pageUri} answered {(int)response.StatusCode} at {response.RequestMessage?.RequestUri}");
        var page = PrerenderedPage.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (page.ServerMarkers.Count == 0) throw new InvalidOperationException($"{pageUri} has no interactive server components.");

        var circuit = new HeadlessCircuit(new Uri(pageUri, "/"), cookieHeader, stats ?? new CircuitStats(), limit);
        try
        {
            var ready = circuit.WaitForTextAsync(readyText);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(limit);
            await circuit._hub.StartAsync(cts.Token);
            circuit.CircuitId = await circuit._hub.InvokeAsync<string?>("StartCircuit",
                new Uri(pageUri, "/").ToString(), pageUri.ToString(), "[]", page.ApplicationState, cts.Token);
            if (circuit.CircuitId is null) throw new InvalidOperationException($"StartCircuit refused: {string.Join("; ", circuit.Errors)}");
            // blazor.web.js adds the page's components once the server's renderer has attached its interop.
            await circuit._rendererAttached.Task.WaitAsync(cts.Token);
            await circuit._hub.SendAsync("UpdateRootComponents", page.AddAllOperationsJson(batchId: 1), page.ApplicationState, cts.Token);
            await circuit._firstUpdateDone.Task.WaitAsync(cts.Token);
            await ready.WaitAsync(cts.Token);
            circuit.OpenTime = Stopwatch.GetElapsedTime(started);
            return circuit;
        }
        catch (Exception ex)
        {
            var errors = string.Join("; ", circuit.Errors);
            await circuit.DisposeAsync();
            throw new InvalidOperationException($"Circuit for {pageUri} did not open: {ex.Message} {errors}", ex);
        }
    }

    /// <summary>Completes with the Stopwatch timestamp at which a render batch carrying <paramref name="text"/> (UTF-8, as the batch's string table holds it) arrived.</summary>
    public Task<long> WaitForTextAsync(string text)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting) _waiting.Add((Encoding.UTF8.GetBytes(text), seen));
        return seen.Task;
    }

    public void StopWaiting(Task<long> wait)
    {
        lock (_waiting) _waiting.RemoveAll(w => w.Seen.Task == wait);
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] data)
    {
        var at = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _batches);
        _stats.Batch(data.Length);
        lock (_waiting)
        {
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (data.AsSpan().IndexOf(_waiting[i].Needle) < 0) continue;
                _waiting[i].Seen.TrySetResult(at);
                _waiting.RemoveAt(i);
            }
        }
        // blazor.web.js acknowledges each batch once applied to the DOM; the server holds back after 10 unacknowledged.
        await _hub.SendAsync("OnRenderCompleted", batchId, null);
    }

    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string? argsJson, int resultType)
    {
        _stats.JsCall(identifier);
        if (identifier == AttachRenderer) _rendererAttached.TrySetResult();
        if (asyncHandle == 0) return; // fire and forget: nothing to answer
        // JSCallResultType: 1 = an object reference (e.g. import() of a module), 3 = void; otherwise a plausible value.
        object? result = resultType switch
        {
            1 => new Dictionary<string, long> { ["__jsObjectId"] = Interlocked.Increment(ref _nextJsObjectId) },
            3 => null,
            _ => PlausibleResult(identifier, argsJson),
        };
        var reply = JsonSerializer.Serialize(new[] { asyncHandle, true, result });
        await _hub.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, reply);
    }

    /// <summary>What a browser would answer to the page's own functions; null for everything else (MudBlazor's listeners are void).</summary>
    private static object? PlausibleResult(string identifier, string? argsJson) => identifier switch
    {
        "friendConnect.getTheme" => "light",
        "friendConnect.focusFirstIn" or "friendConnect.focusFirstWithin" => true,
        _ when identifier.EndsWith("getBoundingClientRect", StringComparison.Ordinal) => new { top = 0, left = 0, width = 1024, height = 768, bottom = 768, right = 1024 },
        _ => null,
    };

    private void Fail(string message)
    {
        lock (Errors) Errors.Add(message);
        _stats.Error(message);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_waiting)
        {
            foreach (var (_, seen) in _waiting) seen.TrySetCanceled();
            _waiting.Clear();
        }
        try { await _hub.DisposeAsync(); } catch (Exception) { /* closing a broken connection */ }
    }
}

/// <summary>Counters shared by many circuits (thread-safe): batches, bytes, JS calls by identifier, errors.</summary>
public sealed class CircuitStats
{
    private long _batches, _bytes, _errors;
    public ConcurrentDictionary<string, int> JsCalls { get; } = new();
    public ConcurrentQueue<string> FirstErrors { get; } = new();
    public long Batches => Interlocked.Read(ref _batches);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long ErrorCount => Interlocked.Read(ref _errors);

    internal void Batch(int bytes)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void JsCall(string identifier) => JsCalls.AddOrUpdate(identifier, 1, (_, n) => n + 1);

    internal void Error(string message)
    {
        if (Interlocked.Increment(ref _errors) <= 20) FirstErrors.Enqueue(message);
    }
}
