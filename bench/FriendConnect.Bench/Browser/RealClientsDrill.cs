using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace FriendConnect.Bench.Browser;

/// <summary>
/// NOTHING LOST WITH REAL CLIENTS: half the users hold real Blazor circuits in Chromium, half read the real SSE stream
/// (GET /api/v1/events, resuming with Last-Event-ID). Browsers go offline at random (Playwright SetOfflineAsync) and SSE
/// sockets are killed at random, while requests, accepts and status posts go through the UI (browser users) and the API.
/// Afterwards every SSE user has every notification exactly once, and every open page shows the database's truth
/// (unread count, incoming requests). Only the app's public endpoints are used.
/// (The same drill, smaller, runs in CI: FriendConnect.Tests/Drills/RealClientsDrillTests.cs compiles this file.)
/// </summary>
public sealed class RealClientsDrill(string baseUrl, IBrowser browser, int userCount, int actionCount, double uiShare, int seed = 42)
{
    public const string Password = "Drill!pass123";

    public sealed record Outcome(int Users, int BrowserUsers, int SseUsers, int Actions, int UiActions, int Statuses, int Requests,
        int Accepts, int Refused, long Expected, long DeliveredLive, long CaughtUp, long Lost, long Duplicated,
        int BrowserDrops, int SseDrops, int PagesChecked, int PagesWrong, IReadOnlyList<string> Problems, double Seconds);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed class Person(int index, string userName, string displayName)
    {
        public readonly int Index = index;
        public readonly string UserName = userName;
        public readonly string DisplayName = displayName;
        public HttpClient Api = default!;
        public readonly SemaphoreSlim Busy = new(1, 1);

        // A browser user.
        public IBrowserContext? Context;
        public IPage? Page;

        // An SSE user.
        public readonly object Gate = new();
        public readonly HashSet<long> Seen = [];
        public long LastId;
        public bool HasId;
        public long Live, CaughtUp, Duplicated;
        public CancellationTokenSource? Connection;
        public Task Stream = Task.CompletedTask;
    }

    private sealed record Token(string AccessToken);
    private sealed record Item(long Id, DateTime CreatedAt, JsonElement Kind, string? Text);
    private sealed record RequestItem(long Id, OtherUser OtherUser);
    private sealed record OtherUser(string UserName, string DisplayName);
    private sealed record Page<T>(List<T> Items, string? NextCursor);
    private sealed record Count(int Value);

    public async Task<Outcome> RunAsync(CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var random = new Random(seed);
        var problems = new List<string>();
        var prefix = Guid.NewGuid().ToString("N")[..6];
        var people = Enumerable.Range(0, userCount).Select(i => new Person(i, $"rc{prefix}{i}", $"Real {prefix} {i}")).ToList();
        var browsers = people.Where(p => p.Index % 2 == 0).ToList();
        var streams = people.Where(p => p.Index % 2 == 1).ToList();

        // Everyone joins and signs in through the API; browser users also sign in on the sign-in page.
        using var anonymous = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        foreach (var p in people)
        {
            (await anonymous.PostAsJsonAsync("/api/v1/auth/register",
                new { userName = p.UserName, email = (string?)null, displayName = p.DisplayName, password = Password }, ct)).EnsureSuccessStatusCode();
            var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { login = p.UserName, password = Password }, ct);
            login.EnsureSuccessStatusCode();
            var token = (await login.Content.ReadFromJsonAsync<Token>(Json, ct))!;
            p.Api = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
            p.Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        }
        await Task.WhenAll(browsers.Select(p => OpenBrowserAsync(p)));
        foreach (var p in streams) Connect(p);

        // Chaos: browsers go offline for 0.1–1.5 s, SSE sockets are killed and come back 0–300 ms later.
        int browserDrops = 0, sseDrops = 0;
        using var stopChaos = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chaos = Task.Run(async () =>
        {
            var r = new Random(seed + 1);
            while (!stopChaos.IsCancellationRequested)
            {
                try
                {
                    if (r.Next(2) == 0)
                    {
                        var p = browsers[r.Next(browsers.Count)];
                        if (await p.Busy.WaitAsync(0))
                        {
                            var offlineFor = r.Next(100, 1500);
                            _ = Task.Run(async () =>
                            {
                                try
                                {
                                    await p.Context!.SetOfflineAsync(true);
                                    Interlocked.Increment(ref browserDrops);
                                    await Task.Delay(offlineFor);
                                    await p.Context!.SetOfflineAsync(false);
                                }
                                finally { p.Busy.Release(); }
                            });
                        }
                    }
                    else
                    {
                        var p = streams[r.Next(streams.Count)];
                        Disconnect(p);
                        Interlocked.Increment(ref sseDrops);
                        var back = r.Next(0, 300);
                        _ = Task.Run(async () => { await Task.Delay(back); Connect(p); });
                    }
                    await Task.Delay(r.Next(20, 120), stopChaos.Token);
                }
                catch (OperationCanceledException) { }
            }
        }, ct);

        // Work: 4 actors share the budget. 60 % status posts, 25 % requests, 15 % accepts; a share of them through the UI.
        int statuses = 0, requests = 0, accepts = 0, refused = 0, ui = 0, issued = 0;
        var actors = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var r = new Random(seed * 31 + w);
            while (Interlocked.Increment(ref issued) <= actionCount)
            {
                var roll = r.NextDouble();
                var actor = people[r.Next(people.Count)];
                var viaUi = actor.Page is not null && r.NextDouble() < uiShare && roll >= 0.25 && await actor.Busy.WaitAsync(0);
                try
                {
                    if (viaUi) Interlocked.Increment(ref ui);
                    bool ok;
                    if (roll < 0.15) ok = await AcceptAsync(actor, viaUi, ct);
                    else if (roll < 0.40) ok = await SendRequestAsync(actor, people[r.Next(people.Count)], ct);
                    else ok = await PostAsync(actor, viaUi, $"drill {Guid.NewGuid():N}", ct);
                    if (!ok) Interlocked.Increment(ref refused);
                    else if (roll < 0.15) Interlocked.Increment(ref accepts);
                    else if (roll < 0.40) Interlocked.Increment(ref requests);
                    else Interlocked.Increment(ref statuses);
                }
                finally
                {
                    if (viaUi) actor.Busy.Release();
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(actors);
        stopChaos.Cancel();
        await chaos;

        // The end: every browser back online, every stream connected, then quiet.
        foreach (var p in browsers)
        {
            await p.Busy.WaitAsync(ct);
            p.Busy.Release();
            await p.Context!.SetOfflineAsync(false);
        }
        foreach (var p in streams) Connect(p);

        // SSE users: what the database holds for each, through the API, must be exactly what the stream delivered.
        var expected = new Dictionary<Person, HashSet<long>>();
        var described = new Dictionary<long, Item>();
        foreach (var p in streams)
        {
            var all = await AllNotificationsAsync(p, ct);
            expected[p] = all.Select(i => i.Id).ToHashSet();
            foreach (var i in all) described[i.Id] = i;
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && streams.Any(p => { lock (p.Gate) return !expected[p].IsSubsetOf(p.Seen); }))
            await Task.Delay(100, ct);
        foreach (var p in streams) Disconnect(p);
        await Task.WhenAll(streams.Select(p => p.Stream));

        long live = 0, caughtUp = 0, lost = 0, duplicated = 0, total = 0;
        foreach (var p in streams)
        {
            live += p.Live;
            caughtUp += p.CaughtUp;
            duplicated += p.Duplicated + p.Seen.Count(id => !expected[p].Contains(id));
            total += expected[p].Count;
            var missed = expected[p].Where(id => !p.Seen.Contains(id)).ToList();
            lost += missed.Count;
            foreach (var id in missed)
                problems.Add($"{p.UserName} never got notification {id} ({described[id].Kind}, \"{described[id].Text}\", {described[id].CreatedAt:HH:mm:ss.fff}); last id seen {p.LastId}");
        }

        // Browser users: the open page must come to show the database's truth, without a reload by the drill.
        var pagesWrong = 0;
        foreach (var p in browsers)
        {
            var (ok, problem) = await PageShowsTruthAsync(p, ct);
            if (!ok)
            {
                pagesWrong++;
                problems.Add(problem!);
            }
        }

        foreach (var p in browsers) await p.Context!.CloseAsync();
        foreach (var p in people) p.Api.Dispose();
        return new Outcome(userCount, browsers.Count, streams.Count, actionCount, ui, statuses, requests, accepts, refused,
            total, live, caughtUp, lost, duplicated, browserDrops, sseDrops, browsers.Count, pagesWrong, problems,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private async Task OpenBrowserAsync(Person p)
    {
        p.Context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        p.Page = await p.Context.NewPageAsync();
        p.Page.SetDefaultTimeout(120_000);
        await p.Page.GotoAsync("/Account/Login");
        await p.Page.GetByLabel("Username or e-mail").FillAsync(p.UserName);
        await p.Page.GetByLabel("Password").FillAsync(Password);
        await p.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await p.Page.WaitForURLAsync("**/dashboard");
        await p.Page.Locator("#fc-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    private static async Task<bool> PostAsync(Person actor, bool viaUi, string text, CancellationToken ct)
    {
        if (!viaUi)
            return (await actor.Api.PostAsJsonAsync("/api/v1/statuses", new { text }, ct)).IsSuccessStatusCode;
        var page = actor.Page!;
        await page.GetByLabel("What's on your mind?").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save status" }).ClickAsync();
        // Done when the author's own feed shows it (the post's live event to the author's tabs).
        await page.Locator("[aria-label=Feed]").GetByText(text).First.WaitForAsync();
        return true;
    }

    private static async Task<bool> SendRequestAsync(Person actor, Person to, CancellationToken ct) =>
        (await actor.Api.PostAsJsonAsync("/api/v1/friend-requests", new { userName = to.UserName }, ct)).IsSuccessStatusCode;

    private static async Task<bool> AcceptAsync(Person actor, bool viaUi, CancellationToken ct)
    {
        var incoming = await actor.Api.GetFromJsonAsync<Page<RequestItem>>("/api/v1/friend-requests/incoming?limit=5", Json, ct);
        if (incoming is null || incoming.Items.Count == 0) return false;
        var request = incoming.Items[0];
        if (!viaUi)
            return (await actor.Api.PostAsync($"/api/v1/friend-requests/{request.Id}/accept", null, ct)).IsSuccessStatusCode;
        var page = actor.Page!;
        var button = page.GetByRole(AriaRole.Button, new() { Name = $"Accept friend request from {request.OtherUser.DisplayName}", Exact = true });
        // The request reached the page live (or the page shows it from the database); the click goes through the circuit.
        await button.WaitForAsync();
        await button.ClickAsync();
        await button.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        return true;
    }

    private void Connect(Person p)
    {
        lock (p.Gate)
        {
            if (p.Connection is not null) return;
            var cts = new CancellationTokenSource();
            p.Connection = cts;
            var previous = p.Stream;
            // Like a browser's EventSource: a stream that ends or fails is opened again, resuming after the last id.
            p.Stream = Task.Run(async () =>
            {
                await previous;
                while (!cts.IsCancellationRequested)
                {
                    await ReadStreamAsync(p, cts.Token);
                    try { await Task.Delay(100, cts.Token); } catch (OperationCanceledException) { }
                }
            });
        }
    }

    private static void Disconnect(Person p)
    {
        lock (p.Gate)
        {
            p.Connection?.Cancel();
            p.Connection = null;
        }
    }

    /// <summary>One SSE connection: resumes after the last id it saw; notifications made before it opened are "caught up".</summary>
    private static async Task ReadStreamAsync(Person p, CancellationToken connection)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
            long resumeFrom;
            lock (p.Gate) resumeFrom = p.LastId;
            // Sent once any id has arrived (as EventSource does), even "0".
            if (p.HasId) request.Headers.Add("Last-Event-ID", resumeFrom.ToString());
            var openedAt = DateTime.UtcNow;
            using var response = await p.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connection);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(connection);
            using var reader = new StreamReader(body);
            string? eventName = null, data = null, id = null;
            while (await reader.ReadLineAsync(connection) is { } line)
            {
                if (line.StartsWith("event: ")) eventName = line[7..];
                else if (line.StartsWith("data: ")) data = line[6..];
                else if (line.StartsWith("id: ")) id = line[4..];
                else if (line.Length == 0)
                {
                    // As EventSource does: an id field sets the resume point even when the block carries no event.
                    if (long.TryParse(id, out var resumeAt))
                        lock (p.Gate)
                        {
                            p.LastId = Math.Max(p.LastId, resumeAt);
                            p.HasId = true;
                        }
                    if (eventName == "notification" && data is not null)
                    {
                        var item = JsonSerializer.Deserialize<Item>(data, Json)!;
                        lock (p.Gate)
                        {
                            if (!p.Seen.Add(item.Id)) p.Duplicated++;
                            else if (item.CreatedAt < openedAt) p.CaughtUp++;
                            else p.Live++;
                            p.LastId = Math.Max(p.LastId, item.Id);
                        }
                    }
                    eventName = data = id = null;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (HttpRequestException) { }
        catch (IOException) { }
        catch (JsonException) { }
    }

    private static async Task<List<Item>> AllNotificationsAsync(Person p, CancellationToken ct)
    {
        var ids = new List<Item>();
        string? cursor = null;
        do
        {
            var page = await p.Api.GetFromJsonAsync<Page<Item>>($"/api/v1/notifications?limit=100{(cursor is null ? "" : $"&cursor={cursor}")}", Json, ct);
            ids.AddRange(page!.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return ids;
    }

    /// <summary>The open page's bell and incoming requests match the database (through the API), waiting up to a minute.</summary>
    private static async Task<(bool Ok, string? Problem)> PageShowsTruthAsync(Person p, CancellationToken ct)
    {
        var page = p.Page!;
        string? last = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var unread = (await p.Api.GetFromJsonAsync<JsonElement>("/api/v1/notifications/unread-count", Json, ct)).GetProperty("count").GetInt32();
            var incoming = (await p.Api.GetFromJsonAsync<Page<RequestItem>>("/api/v1/friend-requests/incoming?limit=100", Json, ct))!.Items;
            var bellName = unread == 0 ? "Notifications" : $"Notifications, {unread} unread";
            var bellOk = await page.GetByRole(AriaRole.Button, new() { Name = bellName, Exact = true }).CountAsync() == 1;
            var shown = await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept friend request from ") }).AllAsync();
            var shownNames = new List<string>();
            foreach (var b in shown) shownNames.Add((await b.GetAttributeAsync("aria-label"))!["Accept friend request from ".Length..]);
            var expectedNames = incoming.Select(r => r.OtherUser.DisplayName).Order().ToList();
            var requestsOk = shownNames.Order().SequenceEqual(expectedNames);
            if (bellOk && requestsOk) return (true, null);
            var bellNow = await page.Locator("#notification-bell").GetAttributeAsync("aria-label");
            last = $"{p.UserName}: bell \"{bellNow}\" vs {unread} unread in the database; incoming shown [{string.Join(", ", shownNames.Order())}] vs [{string.Join(", ", expectedNames)}]";
            await Task.Delay(500, ct);
        }
        return (false, last);
    }
}
