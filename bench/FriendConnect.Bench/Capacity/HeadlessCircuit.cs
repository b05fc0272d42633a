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
/// (<c>EndInvokeJSFromDotNet</c>), and batches stay readable so a test can wait for a text to arrive. It pauses and
/// resumes like a hidden tab that comes back (<see cref="PauseAsync"/>, <see cref="ResumeAsync"/>).
/// </summary>
public sealed class HeadlessCircuit : IAsyncDisposable
{
    private const string AttachRenderer = "Blazor._internal.attachWebRendererInterop";

    private readonly HubConnection _hub;
    private readonly CircuitStats _stats;
    private readonly TaskCompletionSource _rendererAttached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstUpdateDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(byte[] Needle, TaskCompletionSource<long> Seen)> _waiting = [];
    private readonly List<(string Identifier, string Argument, TaskCompletionSource Seen)> _waitingForJs = [];
    private int _batches;
    private long _nextJsObjectId = 1;
    private bool _disposed;

    private readonly TaskCompletionSource<PausedCircuit> _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Uri _pageUri;
    private readonly string _cookieHeader;
    private readonly PrerenderedPage _page;
    private bool _keepStateOnPause = true;
    private bool _closing;

    private HeadlessCircuit(Uri pageUri, string cookieHeader, PrerenderedPage page, CircuitStats stats, TimeSpan serverTimeout)
    {
        _stats = stats;
        _pageUri = pageUri;
        _cookieHeader = cookieHeader;
        _page = page;
        var baseUri = new Uri(pageUri, "/");
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
        // A pause pushes the circuit's root components and application state to the tab, which keeps them for its resume;
        // a tab that declines leaves them with the server (its in-memory store or distributed cache).
        _hub.On<string, string, string, bool>("JS.SavePersistedState", (circuitId, components, state) =>
        {
            _stats.JsCall("JS.SavePersistedState");
            _paused.TrySetResult(_keepStateOnPause
                ? new PausedCircuit(_pageUri, _cookieHeader, _page, circuitId, components, state)
                : new PausedCircuit(_pageUri, _cookieHeader, _page, circuitId, null, null));
            return _keepStateOnPause;
        });
        _hub.Closed += error =>
        {
            if (!_disposed && !_closing) Fail($"connection closed: {error?.Message ?? "by the server"}");
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
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, pageUri);
        request.Headers.Add("Cookie", cookieHeader);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.RequestMessage?.RequestUri?.AbsolutePath != pageUri.AbsolutePath)
            throw new InvalidOperationException($"GET {pageUri} answered {(int)response.StatusCode} at {response.RequestMessage?.RequestUri}");
        var page = PrerenderedPage.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (page.ServerMarkers.Count == 0) throw new InvalidOperationException($"{pageUri} has no interactive server components.");

        var circuit = new HeadlessCircuit(pageUri, cookieHeader, page, stats ?? new CircuitStats(), timeout ?? TimeSpan.FromSeconds(60));
        await circuit.StartAsync("StartCircuit", "[]", page.ApplicationState, readyText, started, cancellationToken);
        return circuit;
    }

    /// <summary>
    /// Resumes a paused tab the way blazor.web.js does: a new connection, <c>ResumeCircuit</c> with the old circuit's id and
    /// the state the tab kept (or none, when the server kept it), then the page's markers added again, whose descriptors the
    /// server replaces with the persisted ones. Returns once <paramref name="readyText"/> arrived in a batch.
    /// </summary>
    public static async Task<HeadlessCircuit> ResumeAsync(PausedCircuit paused, string readyText,
        CircuitStats? stats = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var circuit = new HeadlessCircuit(paused.PageUri, paused.CookieHeader, paused.Page, stats ?? new CircuitStats(), timeout ?? TimeSpan.FromSeconds(60));
        await circuit.StartAsync("ResumeCircuit", paused.RootComponents ?? "[]", paused.ApplicationState ?? "", readyText, started, cancellationToken, paused.CircuitSecret);
        return circuit;
    }

    private async Task StartAsync(string method, string components, string applicationState, string readyText, long started,
        CancellationToken cancellationToken, string? pausedCircuitSecret = null)
    {
        try
        {
            var ready = WaitForTextAsync(readyText);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(_hub.ServerTimeout);
            await _hub.StartAsync(cts.Token);
            var baseUri = new Uri(_pageUri, "/").ToString();
            CircuitId = pausedCircuitSecret is null
                ? await _hub.InvokeAsync<string?>(method, baseUri, _pageUri.ToString(), components, applicationState, cts.Token)
                : await _hub.InvokeAsync<string?>(method, pausedCircuitSecret, baseUri, _pageUri.ToString(), components, applicationState, cts.Token);
            if (CircuitId is null) throw new InvalidOperationException($"{method} refused: {string.Join("; ", Errors)}");
            // blazor.web.js adds the page's components once the server's renderer has attached its interop; a resumed
            // circuit gets the same markers and no application state (the server swaps in what it persisted).
            await _rendererAttached.Task.WaitAsync(cts.Token);
            await _hub.SendAsync("UpdateRootComponents", _page.AddAllOperationsJson(batchId: 1), pausedCircuitSecret is null ? _page.ApplicationState : "", cts.Token);
            await _firstUpdateDone.Task.WaitAsync(cts.Token);
            await ready.WaitAsync(cts.Token);
            OpenTime = Stopwatch.GetElapsedTime(started);
        }
        catch (Exception ex)
        {
            var errors = string.Join("; ", Errors);
            await DisposeAsync();
            throw new InvalidOperationException($"Circuit for {_pageUri} did not {(pausedCircuitSecret is null ? "open" : "resume")}: {ex.Message} {errors}", ex);
        }
    }

    /// <summary>
    /// Pauses the circuit the way a hidden tab does (app.js → <c>Blazor.pauseCircuit()</c>): <c>PauseCircuit</c>, then the
    /// server persists the circuit, pushes its state here (kept, or declined so the server keeps it), disposes the circuit,
    /// and the tab closes its connection. The server's circuit count drops once the disposal finishes.
    /// </summary>
    public async Task<PausedCircuit> PauseAsync(bool keepStateInTab = true, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        _keepStateOnPause = keepStateInTab;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? _hub.ServerTimeout);
        if (!await _hub.InvokeAsync<bool>("PauseCircuit", cts.Token))
            throw new InvalidOperationException($"PauseCircuit refused for {CircuitId}: {string.Join("; ", Errors)}");
        var paused = await _paused.Task.WaitAsync(cts.Token);
        _closing = true;
        await _hub.StopAsync(cts.Token);
        return paused;
    }

    /// <summary>Completes with the Stopwatch timestamp at which a render batch carrying <paramref name="text"/> (UTF-8, as the batch's string table holds it) arrived.</summary>
    public Task<long> WaitForTextAsync(string text)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting) _waiting.Add((Encoding.UTF8.GetBytes(text), seen));
        return seen.Task;
    }

    /// <summary>Completes when the server calls the JS function <paramref name="identifier"/> with arguments whose JSON contains <paramref name="argument"/>.</summary>
    public Task WaitForJsCallAsync(string identifier, string argument)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitingForJs) _waitingForJs.Add((identifier, argument, seen));
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
        lock (_waitingForJs)
        {
            for (var i = _waitingForJs.Count - 1; i >= 0; i--)
            {
                var (waitedFor, argument, seen) = _waitingForJs[i];
                if (waitedFor != identifier || argsJson?.Contains(argument, StringComparison.Ordinal) != true) continue;
                seen.TrySetResult();
                _waitingForJs.RemoveAt(i);
            }
        }
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
        lock (_waitingForJs)
        {
            foreach (var (_, _, seen) in _waitingForJs) seen.TrySetCanceled();
            _waitingForJs.Clear();
        }
        try { await _hub.DisposeAsync(); } catch (Exception) { /* closing a broken connection */ }
    }
}

/// <summary>
/// A paused tab: the page it shows and, when the tab kept them, the data-protected root components and application state
/// the server pushed at the pause (null when the server kept them). <see cref="CircuitSecret"/> names the old circuit.
/// </summary>
public sealed record PausedCircuit(Uri PageUri, string CookieHeader, PrerenderedPage Page, string CircuitSecret, string? RootComponents, string? ApplicationState)
{
    public bool HeldByTab => RootComponents is not null;
    public int StateChars => (RootComponents?.Length ?? 0) + (ApplicationState?.Length ?? 0);
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
