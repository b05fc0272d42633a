using System.Collections.Concurrent;
using System.Threading.Channels;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Bench.Browser;

/// <summary>
/// NOTHING LOST: users hold live subscriptions that drop and come back at random while real domain services produce
/// requests, accepts and status updates. Each simulated session behaves like the SSE endpoint (EventsApi): subscribe
/// first, then catch up from the database by notification id, then fetch after its last id on every live signal.
/// Afterwards every user must have seen every notification addressed to them exactly once.
/// (The same drill, smaller, runs in CI: FriendConnect.Tests/Drills/NothingLostDrillTests.cs compiles this file.)
/// </summary>
public sealed class NothingLostDrill(IServiceProvider services, int userCount, int eventCount, int seed = 42)
{
    public sealed record Outcome(int Users, int Events, int Statuses, int Requests, int Accepts, int Refused,
        long Expected, long DeliveredLive, long CaughtUp, long Lost, long Duplicated, int Drops, double Seconds);

    private sealed class Session(string userId)
    {
        public readonly string UserId = userId;
        public readonly object Gate = new();
        public readonly HashSet<long> Seen = [];
        public long LastSeen;
        public long Live, CaughtUp, Duplicated;
        public CancellationTokenSource? Connection;
        public Task Loop = Task.CompletedTask;
    }

    public async Task<Outcome> RunAsync(CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var random = new Random(seed);
        var subscriber = services.GetRequiredService<ILiveEventSubscriber>();
        var notifications = services.GetRequiredService<NotificationService>();
        var friendships = services.GetRequiredService<FriendshipService>();
        var statuses = services.GetRequiredService<StatusService>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<FriendConnectDbContext>>();

        // People: written straight to the database (no password hashing; nobody signs in here).
        var prefix = Guid.NewGuid().ToString("N")[..6];
        var users = Enumerable.Range(0, userCount).Select(i => new User
        {
            Id = Guid.NewGuid().ToString(), UserName = $"drill{prefix}{i}", NormalizedUserName = $"DRILL{prefix}{i}".ToUpperInvariant(),
            DisplayName = $"Drill {i}", NormalizedDisplayName = $"DRILL {i}", SecurityStamp = Guid.NewGuid().ToString(),
            CreatedAt = DateTime.UtcNow,
        }).ToList();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Users.AddRange(users);
            await db.SaveChangesAsync(ct);
        }
        var ids = users.Select(u => u.Id).ToArray();
        var sessions = ids.ToDictionary(id => id, id => new Session(id));

        async Task SessionLoopAsync(Session s, CancellationToken connection)
        {
            var signals = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
            // Subscribe before reading the backlog: whatever commits in between is read from the database, not lost.
            using var subscription = subscriber.Subscribe(s.UserId, e => signals.Writer.WriteAsync(e, connection).AsTask());
            try
            {
                await FetchAsync(s, live: false, connection);
                while (!connection.IsCancellationRequested)
                {
                    var signal = await signals.Reader.ReadAsync(connection);
                    if (signal.Changes.HasFlag(LiveChange.Notifications))
                        await FetchAsync(s, live: true, connection);
                }
            }
            catch (OperationCanceledException) { }
        }

        async Task FetchAsync(Session s, bool live, CancellationToken connection)
        {
            while (true)
            {
                var batch = await notifications.GetAfterAsync(s.UserId, s.LastSeen, 100, connection);
                lock (s.Gate)
                {
                    foreach (var item in batch)
                    {
                        if (!s.Seen.Add(item.Id)) s.Duplicated++;
                        else if (live) s.Live++;
                        else s.CaughtUp++;
                        s.LastSeen = Math.Max(s.LastSeen, item.Id);
                    }
                }
                if (batch.Count < 100) return;
            }
        }

        void Connect(Session s)
        {
            lock (s.Gate)
            {
                if (s.Connection is not null) return;
                var cts = new CancellationTokenSource();
                s.Connection = cts;
                var previous = s.Loop;
                s.Loop = Task.Run(async () => { await previous; await SessionLoopAsync(s, cts.Token); });
            }
        }

        void Disconnect(Session s)
        {
            lock (s.Gate)
            {
                s.Connection?.Cancel();
                s.Connection = null;
            }
        }

        // Everyone starts connected with LastSeen = 0 (nothing exists yet).
        foreach (var s in sessions.Values) Connect(s);

        // Chaos: drop a random session every few milliseconds and bring it back a little later.
        var drops = 0;
        // SQLite calls block their thread (busy waits included); without spare pool threads the chaos and the sessions would starve.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, 64), minIo);
        using var stopChaos = new CancellationTokenSource();
        var chaos = new Thread(() =>
        {
            var r = new Random(seed + 1);
            var comeBack = new List<(DateTime Due, Session Session)>();
            while (!stopChaos.IsCancellationRequested)
            {
                var now = DateTime.UtcNow;
                foreach (var due in comeBack.Where(c => c.Due <= now).ToList())
                {
                    Connect(due.Session);
                    comeBack.Remove(due);
                }
                var s = sessions[ids[r.Next(ids.Length)]];
                if (comeBack.All(c => c.Session != s))
                {
                    Disconnect(s);
                    Interlocked.Increment(ref drops);
                    comeBack.Add((now.AddMilliseconds(r.Next(0, 40)), s));
                }
                Thread.Sleep(r.Next(1, 8));
            }
        }) { IsBackground = true, Name = "drill chaos" };
        chaos.Start();

        // Work: 4 writers share the event budget. Mix: 60 % statuses, 25 % requests, 15 % accepts.
        var pending = new ConcurrentDictionary<long, string>(); // request id -> addressee
        int statusCount = 0, requestCount = 0, acceptCount = 0, refused = 0, issued = 0;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var r = new Random(seed * 31 + w);
            while (Interlocked.Increment(ref issued) <= eventCount)
            {
                var roll = r.NextDouble();
                if (roll < 0.15 && !pending.IsEmpty)
                {
                    var candidates = pending.Keys.ToArray();
                    var requestId = candidates[r.Next(candidates.Length)];
                    if (!pending.TryRemove(requestId, out var addressee)) { Interlocked.Increment(ref refused); continue; }
                    var result = await friendships.AcceptAsync(requestId, addressee, ct);
                    if (result.Succeeded) Interlocked.Increment(ref acceptCount); else Interlocked.Increment(ref refused);
                }
                else if (roll < 0.40)
                {
                    var from = ids[r.Next(ids.Length)];
                    var to = ids[r.Next(ids.Length)];
                    var result = await friendships.SendRequestAsync(from, to, ct);
                    if (result.Succeeded)
                    {
                        Interlocked.Increment(ref requestCount);
                        if (result.Value == SendRequestOutcome.RequestSent)
                        {
                            await using var db = await dbFactory.CreateDbContextAsync(ct);
                            var id = await db.FriendRequests.Where(q => q.FromUserId == from && q.ToUserId == to && q.State == FriendRequestState.Pending)
                                .Select(q => q.Id).FirstOrDefaultAsync(ct);
                            if (id != 0) pending[id] = to;
                        }
                    }
                    else Interlocked.Increment(ref refused);
                }
                else
                {
                    var author = ids[r.Next(ids.Length)];
                    var result = await statuses.PostAsync(author, $"drill status {Guid.NewGuid():N}", ct);
                    if (result.Succeeded) Interlocked.Increment(ref statusCount); else Interlocked.Increment(ref refused);
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(writers);
        stopChaos.Cancel();
        chaos.Join();

        // The end of the drill: every dropped session comes back (as any client does), then quiet.
        await Task.Delay(100, ct);
        foreach (var s in sessions.Values) Connect(s);
        var expected = new Dictionary<string, HashSet<long>>();
        // What the database says each user has: rows addressed to them and their friends' posts.
        foreach (var id in ids)
        {
            expected[id] = [];
            for (long after = 0; ;)
            {
                var batch = await notifications.GetAfterAsync(id, after, 100, ct);
                foreach (var item in batch) expected[id].Add(item.Id);
                if (batch.Count < 100) break;
                after = batch[^1].Id;
            }
        }
        // Give live fetches still in flight up to 10 s to land.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && sessions.Values.Any(s => { lock (s.Gate) return !expected[s.UserId].IsSubsetOf(s.Seen); }))
            await Task.Delay(50, ct);
        foreach (var s in sessions.Values) Disconnect(s);
        await Task.WhenAll(sessions.Values.Select(s => s.Loop));

        long live = 0, caughtUp = 0, lost = 0, duplicated = 0, total = 0;
        foreach (var s in sessions.Values)
        {
            live += s.Live;
            caughtUp += s.CaughtUp;
            duplicated += s.Duplicated;
            total += expected[s.UserId].Count;
            lost += expected[s.UserId].Count(id => !s.Seen.Contains(id));
            // Anything seen that was not addressed to this user counts as a wrong delivery: report it as duplicated.
            duplicated += s.Seen.Count(id => !expected[s.UserId].Contains(id));
        }
        return new Outcome(userCount, eventCount, statusCount, requestCount, acceptCount, refused, total, live, caughtUp, lost, duplicated,
            drops, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
