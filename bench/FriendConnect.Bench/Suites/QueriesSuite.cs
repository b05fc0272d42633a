using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FriendConnect.Bench.Data;
using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// The page queries through the real domain services at 1k, 10k and 100k users: p50/p95 per query, growth with size,
/// and SQLite's plan for every SQL statement each one sends. With <c>--providers sqlite,postgres</c> the same queries
/// also run on PostgreSQL over the same rows (copied from the SQLite file), side by side, with PostgreSQL's plans and a
/// check that both engines give the same first answer to every query.
/// </summary>
public sealed class QueriesSuite : ISuite
{
    public string Name => "queries";
    private const double TargetP95Ms = 5;

    private sealed record Scenario(string Name, string What, Func<Task<object?>> Run);

    /// <summary>One database engine under the same services: how to open it, and how to explain a statement on it.</summary>
    private sealed record Engine(string Name, Func<SqlRecorder, Task<BenchDomain>> Open, Func<RecordedCommand, StatementPlan> Explain);

    /// <summary>The people the queries look up, chosen once on SQLite so both engines answer the same requests.</summary>
    private sealed record Picks(string FriendName, string OtherName);

    public sealed record ScenarioResult(string Name, string What, int Iterations, double P50, double P95, double P99, double Mean,
        int Statements, List<StatementPlan> Plans);

    public sealed record StatementPlan(string Sql, List<string> Plan, bool FullScan);

    public sealed record SizeResult(int Users, long FriendshipRows, long Statuses, long Notifications, double LoadSeconds,
        int TypicalDegree, List<ScenarioResult> Scenarios);

    public sealed record PostgresSizeResult(int Users, double LoadSeconds, Dictionary<string, long> Rows, List<string> Settings,
        List<ScenarioResult> Scenarios, List<Mismatch> Mismatches);

    /// <summary>A query whose first answer differs between the engines, with the first difference in each.</summary>
    public sealed record Mismatch(string Scenario, string Sqlite, string Postgres);

    public async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var sizes = quick ? new[] { 1_000 } : [1_000, 10_000, 100_000];
        // --size N (repeatable): measure only these sizes (for iterating on one size; the report then covers only them).
        var picked = args.Select((a, i) => (a, i)).Where(x => x.a == "--size" && x.i + 1 < args.Length).Select(x => int.Parse(args[x.i + 1])).ToArray();
        if (picked.Length > 0) sizes = picked;
        // --providers sqlite,postgres (or --provider postgres): PostgreSQL too. SQLite always runs: it is the reference
        // for the answers and the other half of the comparison.
        var providers = args.Select((a, i) => (a, i)).Where(x => x.a is "--providers" or "--provider" && x.i + 1 < args.Length)
            .SelectMany(x => args[x.i + 1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.ToLowerInvariant()).ToHashSet();
        var unknown = providers.Except(["sqlite", "postgres"]).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"queries: unknown provider {string.Join(", ", unknown)}; use --providers sqlite,postgres.");
        var withPostgres = providers.Contains("postgres");
        // --pg-locale en-US: the PostgreSQL database's default collation from ICU instead of the server's ("C" on the
        // throw-away server), as on a server set up for people; the answer check then shows whether any order depends on it.
        var locale = args.SkipWhile(a => a != "--pg-locale").Skip(1).FirstOrDefault();
        if (args.Contains("--load-only"))
        {
            // Check the PostgreSQL copy at these sizes (time, row counts) without timing any query.
            foreach (var size in sizes) await CheckPostgresLoadAsync(await DataGenerator.EnsureAsync(size), locale);
            return;
        }
        var results = new List<SizeResult>();
        var postgres = new List<PostgresSizeResult>();
        var load = MachineLoad.Describe();
        foreach (var size in sizes)
        {
            var data = await DataGenerator.EnsureAsync(size);
            Console.WriteLine($"queries: {size:N0} users on SQLite (load {data.LoadSeconds:F1} s)");
            var (sqlite, picks, answers) = await MeasureAsync(SqliteEngine(data), data, quick, null);
            results.Add(sqlite);
            if (withPostgres) postgres.Add(await MeasurePostgresAsync(data, quick, picks, answers, locale));
        }
        var loadAfter = MachineLoad.Describe();

        Directory.CreateDirectory(PerformanceReport.ResultsDir);
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "queries.json"),
            JsonSerializer.Serialize(new
            {
                quick, machineLoadBefore = load, machineLoadAfter = loadAfter, targetP95Ms = TargetP95Ms, sizes = results,
                postgres = withPostgres ? postgres : null,
            }, new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(PerformanceReport.ResultsDir, "queries.md"), Report(results, postgres, quick, load, loadAfter));
        Plot(results);
        if (postgres.Sum(p => p.Mismatches.Count) is > 0 and var count)
            Console.WriteLine($"queries: {count} ANSWER MISMATCH(ES) between SQLite and PostgreSQL: see the report.");
    }

    private static Engine SqliteEngine(Dataset data) => new("SQLite", recorder => BenchDomain.OpenAsync(data.Path, recorder), c =>
    {
        var plan = c.Explain(data.Path);
        // "SCAN x" of a co-routine or materialized subquery reads the subquery's own (limited) output, not a table.
        var subqueries = plan.Select(l => l.Trim()).Where(l => l.StartsWith("CO-ROUTINE ") || l.StartsWith("MATERIALIZE "))
            .Select(l => l.Split(' ')[1]).ToHashSet();
        return new StatementPlan(c.Sql, plan, plan.Any(l => RecordedCommand.IsFullScan(l) && !subqueries.Contains(l.Trim().Split(' ')[1])));
    });

    /// <summary>
    /// Copies the dataset into a new database on a PostgreSQL server, runs the same queries for the same people, compares
    /// each query's first answer with SQLite's, and drops the database.
    /// </summary>
    private static async Task<PostgresSizeResult> MeasurePostgresAsync(Dataset data, bool quick, Picks picks,
        Dictionary<string, string> sqliteAnswers, string? locale)
    {
        var connectionString = await BenchPostgres.CreateDatabaseAsync($"fc_bench_{data.Users}", locale);
        try
        {
            var loaded = await PostgresLoader.LoadAsync(data, connectionString);
            Console.WriteLine($"queries: {data.Users:N0} users on PostgreSQL (copy + indexes + VACUUM ANALYZE {loaded.LoadSeconds:F1} s: " +
                $"{string.Join(", ", loaded.Rows.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value:N0}"))})");
            // Tables that grow with the site: a sequential scan of one is worth flagging; of a few pages, it is the right plan.
            var large = await LargeTablesAsync(connectionString);
            var engine = new Engine("PostgreSQL", recorder => BenchDomain.OpenPostgresAsync(connectionString, recorder), c =>
            {
                var plan = c.ExplainPostgres(connectionString);
                return new StatementPlan(c.Sql, plan, RecordedCommand.PostgresFullScan(plan, large));
            });
            var (result, _, answers) = await MeasureAsync(engine, data, quick, picks);
            var mismatches = result.Scenarios.Select(s => s.Name)
                .Where(name => sqliteAnswers.GetValueOrDefault(name) != answers.GetValueOrDefault(name))
                .Select(name => FirstDifference(name, sqliteAnswers.GetValueOrDefault(name) ?? "", answers.GetValueOrDefault(name) ?? ""))
                .ToList();
            foreach (var m in mismatches)
                Console.WriteLine($"  !!! ANSWER MISMATCH in \"{m.Scenario}\": SQLite …{m.Sqlite}… PostgreSQL …{m.Postgres}…");
            if (mismatches.Count == 0)
                Console.WriteLine($"  every query's first answer on PostgreSQL equals SQLite's ({answers.Values.Sum(a => a.Length):N0} characters of JSON compared)");
            return new PostgresSizeResult(data.Users, loaded.LoadSeconds, loaded.Rows, await BenchPostgres.SettingsAsync(connectionString),
                result.Scenarios, mismatches);
        }
        finally
        {
            await BenchPostgres.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task CheckPostgresLoadAsync(Dataset data, string? locale)
    {
        var connectionString = await BenchPostgres.CreateDatabaseAsync($"fc_bench_{data.Users}", locale);
        try
        {
            var loaded = await PostgresLoader.LoadAsync(data, connectionString);
            var expected = new Dictionary<string, long>
            {
                ["AspNetUsers"] = data.Users, ["Friendships"] = data.FriendshipRows, ["StatusUpdates"] = data.Statuses,
                ["FriendRequests"] = data.PendingRequests, ["Notifications"] = data.Notifications,
            };
            var wrong = expected.Where(e => loaded.Rows.GetValueOrDefault(e.Key) != e.Value)
                .Select(e => $"{e.Key} {loaded.Rows.GetValueOrDefault(e.Key):N0} (generated {e.Value:N0})").ToList();
            Console.WriteLine($"queries: {data.Users:N0} users copied to PostgreSQL in {loaded.LoadSeconds:F1} s (load {MachineLoad.Describe()}): " +
                string.Join(", ", loaded.Rows.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value:N0}")) +
                (wrong.Count == 0 ? "; row counts match the generator's" : $"; ROW COUNTS DIFFER: {string.Join(", ", wrong)}"));
        }
        finally
        {
            await BenchPostgres.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<HashSet<string>> LargeTablesAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples >= 1000", connection);
        var tables = new HashSet<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables;
    }

    /// <summary>An answer as JSON, times to the microsecond (PostgreSQL's precision; SQLite keeps 100 ns).</summary>
    private static string Answer(object? result) => JsonSerializer.Serialize(result, AnswerJson);

    private static readonly JsonSerializerOptions AnswerJson = new() { Converters = { new MicrosecondTimes() } };

    private sealed class MicrosecondTimes : System.Text.Json.Serialization.JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(new DateTime(value.Ticks - value.Ticks % 10).ToString("yyyy-MM-ddTHH:mm:ss.ffffff"));
    }

    private static Mismatch FirstDifference(string name, string sqlite, string postgres)
    {
        var at = 0;
        while (at < sqlite.Length && at < postgres.Length && sqlite[at] == postgres[at]) at++;
        var from = Math.Max(0, at - 60);
        string Around(string s) => s.Length <= from ? "(end)" : s.Substring(from, Math.Min(160, s.Length - from));
        return new Mismatch(name, Around(sqlite), Around(postgres));
    }

    private static async Task<(SizeResult Result, Picks Picks, Dictionary<string, string> Answers)> MeasureAsync(
        Engine engine, Dataset data, bool quick, Picks? picks)
    {
        var recorder = new SqlRecorder();
        await using var domain = await engine.Open(recorder);
        var directory = domain.Get<UserDirectory>();
        var friendships = domain.Get<FriendshipService>();
        var statuses = domain.Get<StatusService>();
        var notifications = domain.Get<NotificationService>();
        var dbFactory = domain.Get<IDbContextFactory<FriendConnectDbContext>>();

        var me = data.TypicalUserId;
        if (picks is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            picks = new Picks(
                await db.Friendships.Where(f => f.UserId == me)
                    .Join(db.Users, f => f.FriendId, u => u.Id, (f, u) => u.UserName!).OrderBy(n => n).FirstAsync(),
                await db.Users.Where(u => u.Id != me && !db.Friendships.Any(f => f.UserId == me && f.FriendId == u.Id))
                    .OrderBy(u => u.NormalizedUserName).Skip(data.Users / 2).Select(u => u.UserName!).FirstAsync());
        }
        var (friendName, otherName) = picks;
        // The cursor of the fifth feed page: a "later" keyset page.
        FeedCursor? later = null;
        for (var p = 0; p < 4; p++) later = (await statuses.GetFeedAsync(me, later, 20)).Next;
        var term = data.SearchTerm.ToLowerInvariant();

        var scenarios = new List<Scenario>
        {
            new("baseline: primary-key lookup", "one user's name by id through the same DbContext factory (the floor)", async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                return await db.Users.Where(u => u.Id == me).Select(u => u.UserName).FirstAsync();
            }),
            new("directory: first page", "UserDirectory.SearchAsync(viewer, no search, skip 0, take 20) — page + total for the pager",
                async () => await directory.SearchAsync(me, null, 0, 20)),
            new("directory: search", $"UserDirectory.SearchAsync(viewer, \"{term}\", skip 0, take 20) — a common first name",
                async () => await directory.SearchAsync(me, term, 0, 20)),
            new("directory: keyset (API)", "UserDirectory.SearchAfterAsync(viewer, no search, no cursor, 20) — GET /api/v1/users",
                async () => await directory.SearchAfterAsync(me, null, null, 20)),
            new("directory: keyset (API, anonymous)", "the same for a visitor who is not signed in — what the api suite's wrk run asks for",
                async () => await directory.SearchAfterAsync(null, null, null, 20)),
            new("profile: a friend", "UserDirectory.GetProfileAsync(viewer, a friend's username) — with mutual friends",
                async () => await directory.GetProfileAsync(me, friendName)),
            new("profile: a stranger", "UserDirectory.GetProfileAsync(viewer, a non-friend's username)",
                async () => await directory.GetProfileAsync(me, otherName)),
            new("dashboard", "FriendshipService.GetFriendsAsync(20) + GetIncomingAsync + GetOutgoingAsync", async () => new object[]
            {
                await friendships.GetFriendsAsync(me, 0, 20),
                await friendships.GetIncomingAsync(me),
                await friendships.GetOutgoingAsync(me),
            }),
            new("feed: first page", "StatusService.GetFeedAsync(viewer, no cursor, 20)", async () => await statuses.GetFeedAsync(me, null, 20)),
            new("feed: fifth page", "StatusService.GetFeedAsync(viewer, cursor after 80 items, 20)", async () => await statuses.GetFeedAsync(me, later, 20)),
            new("unread count", "NotificationService.GetUnreadCountAsync(viewer)", async () => await notifications.GetUnreadCountAsync(me)),
        };
        if (data.Hub5000Id is { } hub)
        {
            scenarios.Add(new("hub (5,000 friends): dashboard", "the dashboard of a user at the friend cap", async () => new object[]
            {
                await friendships.GetFriendsAsync(hub, 0, 20),
                await friendships.GetIncomingAsync(hub),
                await friendships.GetOutgoingAsync(hub),
            }));
            scenarios.Add(new("hub (5,000 friends): feed first page", "StatusService.GetFeedAsync for a user at the friend cap",
                async () => await statuses.GetFeedAsync(hub, null, 20)));
        }

        // Warm every path first so no query is timed on tier-0 JIT code.
        var prewarm = Stopwatch.StartNew();
        for (var round = 0; round < (quick ? 5 : 20) && prewarm.ElapsedMilliseconds < 10_000; round++)
            foreach (var s in scenarios) await s.Run();

        var results = new List<ScenarioResult>();
        var answers = new Dictionary<string, string>();
        foreach (var s in scenarios)
        {
            // Warm-up: EF's query cache, SQLite's page cache, the JIT.
            var warm = Stopwatch.StartNew();
            for (var i = 0; i < (quick ? 10 : 30) && warm.ElapsedMilliseconds < 3000; i++) await s.Run();

            recorder.Recording = true;
            answers[s.Name] = Answer(await s.Run());
            recorder.Recording = false;
            var commands = recorder.Take();

            var times = new List<double>();
            var budget = Stopwatch.StartNew();
            var max = quick ? 100 : 400;
            while (times.Count < max && (times.Count < 30 || budget.ElapsedMilliseconds < 4000))
            {
                var t = Stopwatch.GetTimestamp();
                await s.Run();
                times.Add(Stats.ElapsedMs(t));
            }
            var plans = commands.Select(engine.Explain).ToList();
            var r = new ScenarioResult(s.Name, s.What, times.Count, Stats.Percentile(times, 50), Stats.Percentile(times, 95),
                Stats.Percentile(times, 99), times.Average(), commands.Count, plans);
            Console.WriteLine($"  {s.Name,-40} p50 {Stats.Ms(r.P50),10}  p95 {Stats.Ms(r.P95),10}  ({r.Statements} statements{(plans.Any(p => p.FullScan) ? ", FULL SCAN" : "")})");
            results.Add(r);
        }
        return (new SizeResult(data.Users, data.FriendshipRows, data.Statuses, data.Notifications, data.LoadSeconds, data.TypicalDegree, results),
            picks, answers);
    }

    private static readonly Dictionary<string, string> KnownCauses = new()
    {
        ["directory: search"] = "the term is a deliberately common first name (about 2 % of users, ~2,000 matches at 100k). " +
            "A search considers at most 201 matches (UserDirectory.SearchMatchLimit): usernames that start with the term " +
            "(a range of the username index) first, then display names that contain it (the FTS5 trigram table), so the count " +
            "and the page each read at most that many rows and sort them; past the limit the pager reads \"200+\" (the plain " +
            "listing keeps \"1,000+\"). What remains grows with the limit, not with the site or the match count.",
        ["hub (5,000 friends): dashboard"] = "friends are ordered by each friend's newest status time, kept on their user row. Up to " +
            "1,000 friends the page sorts the friends' rows; above that, it walks everyone through the (StatusAt, NormalizedUserName) " +
            "index and keeps the friends, so a near page costs about (rows shown) × (users ÷ friends) index steps, and a post writes " +
            "one user row, never a row per friend (decision 011).",
        ["directory: first page"] = "the count stops at 1,001 matches, so what remains is the page itself plus the viewer's relation lookups.",
    };

    private static string Report(List<SizeResult> sizes, List<PostgresSizeResult> postgres, bool quick, string load, string loadAfter)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Page queries (`queries`)");
        sb.AppendLine();
        sb.AppendLine($"The real domain services (`UserDirectory`, `FriendshipService`, `StatusService`, `NotificationService`) over SQLite " +
            $"databases from the deterministic generator (bench/FriendConnect.Bench/Data; seed 42). Viewer: a user of typical degree " +
            $"with pending requests both ways. Each query is warmed up, then timed back to back (up to 400 calls or 4 s, at least 30), one caller. " +
            $"Target: p95 ≤ {TargetP95Ms} ms at 100k users, and flat growth. The baseline is a primary-key lookup through the same " +
            $"DbContext factory: the floor any query pays (context, connection from the pool, pragmas, one round trip).");
        sb.AppendLine();
        sb.AppendLine($"Machine load (1/5/15-min load average) before: {load}; after: {loadAfter}.{(quick ? " **Quick run (1k only): not a measurement of record.**" : "")}");
        sb.AppendLine();
        sb.AppendLine("| users | friendship rows | statuses | notifications | generate + bulk load |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var s in sizes)
            sb.AppendLine($"| {s.Users:N0} | {s.FriendshipRows:N0} | {s.Statuses:N0} | {s.Notifications:N0} | {s.LoadSeconds:F1} s (load only; cached in bench/.data) |");
        sb.AppendLine();

        // Growth table.
        var largest = sizes[^1];
        sb.AppendLine("### p95 by size");
        sb.AppendLine();
        sb.AppendLine($"| query | {string.Join(" | ", sizes.Select(s => $"p95 at {s.Users / 1000}k"))} | × baseline at {largest.Users / 1000}k | growth {sizes[0].Users / 1000}k→{largest.Users / 1000}k | target ≤ {TargetP95Ms} ms |");
        sb.AppendLine($"|---|{string.Join("", sizes.Select(_ => "---|"))}---|---|---|");
        var baseline = largest.Scenarios[0].P95;
        foreach (var name in largest.Scenarios.Select(s => s.Name))
        {
            var cells = sizes.Select(s => s.Scenarios.FirstOrDefault(x => x.Name == name) is { } r ? Stats.Ms(r.P95) : "—");
            var last = largest.Scenarios.First(x => x.Name == name);
            var first = sizes[0].Scenarios.FirstOrDefault(x => x.Name == name);
            var growth = first is null ? "—" : $"{last.P95 / first.P95:F1}×";
            var met = name.StartsWith("baseline") ? "" : last.P95 <= TargetP95Ms ? "met" : "**missed**";
            sb.AppendLine($"| {name} | {string.Join(" | ", cells)} | {last.P95 / baseline:F1}× | {growth} | {met} |");
        }
        sb.AppendLine();
        var missed = largest.Scenarios.Where(r => !r.Name.StartsWith("baseline") && r.P95 > TargetP95Ms).ToList();
        sb.AppendLine(missed.Count == 0
            ? $"Every query meets p95 ≤ {TargetP95Ms} ms at {largest.Users:N0} users."
            : $"Gaps at {largest.Users:N0} users (p95 > {TargetP95Ms} ms), with their causes:");
        sb.AppendLine();
        foreach (var r in missed)
            sb.AppendLine($"- **{r.Name}** ({Stats.Ms(r.P95)}): {KnownCauses.GetValueOrDefault(r.Name, "no diagnosis recorded; see its plan below")}");
        if (missed.Count > 0) sb.AppendLine();
        sb.AppendLine("![p95 by size](../bench/results/queries.png)");
        sb.AppendLine();
        sb.AppendLine(BeforeAfter(sizes));

        foreach (var s in sizes)
        {
            sb.AppendLine($"### {s.Users:N0} users (viewer has {s.TypicalDegree} friends)");
            sb.AppendLine();
            sb.AppendLine("| query | what | calls | p50 | p95 | p99 | statements | full table scans |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in s.Scenarios)
                sb.AppendLine($"| {r.Name} | {r.What} | {r.Iterations} | {Stats.Ms(r.P50)} | {Stats.Ms(r.P95)} | {Stats.Ms(r.P99)} | {r.Statements} | {r.Plans.Count(p => p.FullScan)} |");
            sb.AppendLine();
        }

        sb.Append(PostgresComparison(sizes, postgres));

        sb.AppendLine($"### Query plans at {largest.Users:N0} users");
        sb.AppendLine();
        sb.AppendLine("Every statement each query sends, captured with a `DbCommandInterceptor` and run through `EXPLAIN QUERY PLAN` " +
            "with the same parameter values. `SEARCH … USING INDEX` reads only matching rows; `SCAN` of a table reads all of it.");
        sb.AppendLine();
        sb.Append(Plans(largest.Scenarios));
        if (postgres.Count > 0) sb.Append(PostgresPlans(postgres[^1]));
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- queries` (`-- queries --quick`: 1k only, a smoke check; " +
            "`--size N`: only that size; `--providers sqlite,postgres`: PostgreSQL beside SQLite). " +
            "The first run generates and caches the databases in bench/.data/.");
        return sb.ToString();
    }

    /// <summary>Each size measured on both engines: p50/p95 side by side, each against its own primary-key baseline.</summary>
    private static string PostgresComparison(List<SizeResult> sizes, List<PostgresSizeResult> postgres)
    {
        if (postgres.Count == 0) return "";
        var sb = new StringBuilder();
        foreach (var pg in postgres)
        {
            var lite = sizes.First(s => s.Users == pg.Users);
            sb.AppendLine($"### PostgreSQL vs SQLite at {pg.Users / 1000}k");
            sb.AppendLine();
            sb.AppendLine($"The same queries through the same services with `Database:Provider=Postgres`, on a PostgreSQL database holding the " +
                $"same rows: the schema from the app's PostgreSQL migrations, then every table copied from the SQLite file with binary " +
                $"COPY (the denormalised `StatusText`/`StatusAt` included; the name search uses the migrations' " +
                $"pg_trgm indexes where SQLite has its FTS5 table), indexes rebuilt, then `VACUUM (ANALYZE)`: {pg.LoadSeconds:F1} s. " +
                $"The server runs on this machine over loopback TCP (SQLite is in-process); {BenchPostgres.Server}. As the server reports " +
                $"them: {string.Join("; ", pg.Settings)}. " +
                $"Each engine's ratio is against its own primary-key lookup measured in the same run; \"PostgreSQL ÷ SQLite\" compares p95.");
            sb.AppendLine();
            sb.AppendLine("| query | SQLite p50 / p95 | PostgreSQL p50 / p95 | PostgreSQL ÷ SQLite (p95) | SQLite × its baseline (p95) | PostgreSQL × its baseline (p95) | PostgreSQL full table scans |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            var liteBase = lite.Scenarios[0].P95;
            var pgBase = pg.Scenarios[0].P95;
            foreach (var r in pg.Scenarios)
            {
                var l = lite.Scenarios.First(x => x.Name == r.Name);
                sb.AppendLine($"| {r.Name} | {Stats.Ms(l.P50)} / {Stats.Ms(l.P95)} | {Stats.Ms(r.P50)} / {Stats.Ms(r.P95)} | {r.P95 / l.P95:F1}× | " +
                    $"{l.P95 / liteBase:F1}× | {r.P95 / pgBase:F1}× | {r.Plans.Count(p => p.FullScan)} |");
            }
            sb.AppendLine();
            sb.AppendLine(pg.Mismatches.Count == 0
                ? "Same answers: every query's first answer on PostgreSQL equals SQLite's (the same people, statuses and counts in the same order; times compared to the microsecond, PostgreSQL's precision)."
                : $"**Different answers on {pg.Mismatches.Count} quer{(pg.Mismatches.Count == 1 ? "y" : "ies")}** (first difference, SQLite then PostgreSQL):");
            sb.AppendLine();
            foreach (var m in pg.Mismatches)
            {
                sb.AppendLine($"- **{m.Scenario}**: SQLite `…{m.Sqlite.Replace("`", "'")}…` PostgreSQL `…{m.Postgres.Replace("`", "'")}…`");
            }
            if (pg.Mismatches.Count > 0) sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string PostgresPlans(PostgresSizeResult pg)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### PostgreSQL query plans at {pg.Users:N0} users");
        sb.AppendLine();
        sb.AppendLine("The same statements as EF sends them to PostgreSQL, through `EXPLAIN` (estimates; nothing is run) with the same " +
            "parameters. \"Seq Scan\" of a table of 1,000 rows or more counts as a full table scan, unless straight under a Limit (which stops it early).");
        sb.AppendLine();
        sb.Append(Plans(pg.Scenarios));
        return sb.ToString();
    }

    /// <summary>Every statement of every query with its plan, folded one query a block.</summary>
    private static string Plans(List<ScenarioResult> scenarios)
    {
        var sb = new StringBuilder();
        foreach (var r in scenarios)
        {
            sb.AppendLine($"<details><summary>{r.Name}: {r.Statements} statement(s){(r.Plans.Any(p => p.FullScan) ? " — full table scan" : "")}</summary>");
            sb.AppendLine();
            foreach (var p in r.Plans)
            {
                sb.AppendLine("```sql");
                sb.AppendLine(p.Sql.Trim());
                sb.AppendLine("```");
                sb.AppendLine("```text");
                foreach (var line in p.Plan) sb.AppendLine(line);
                sb.AppendLine("```");
            }
            sb.AppendLine("</details>");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>
    /// The figures from before this suite's fixes (bench/results/queries-before.json, measured at commit 7b623b8 with the
    /// same generator and seed) beside this run's, and what changed.
    /// </summary>
    private static string BeforeAfter(List<SizeResult> sizes)
    {
        var path = Path.Combine(PerformanceReport.ResultsDir, "queries-before.json");
        if (!File.Exists(path)) return "";
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var before = doc.RootElement.GetProperty("sizes").EnumerateArray()
            .ToDictionary(e => e.GetProperty("Users").GetInt32(), e => e.GetProperty("Scenarios").EnumerateArray()
                .ToDictionary(x => x.GetProperty("Name").GetString()!, x => (P50: x.GetProperty("P50").GetDouble(), P95: x.GetProperty("P95").GetDouble())));
        var sb = new StringBuilder();
        sb.AppendLine("### Before and after the fixes");
        sb.AppendLine();
        sb.AppendLine("\"Before\" is the same suite, generator and seed at commit 7b623b8 (bench/results/queries-before.json); \"after\" is this run.");
        sb.AppendLine();
        sb.AppendLine("| users | query | before p50 / p95 | after p50 / p95 | p95 speed-up |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var size in sizes.Where(s => before.ContainsKey(s.Users) && s.Users >= 10_000))
            foreach (var r in size.Scenarios.Where(r => !r.Name.StartsWith("baseline")))
                if (before[size.Users].TryGetValue(r.Name, out var b) && (b.P95 > TargetP95Ms || r.P95 > TargetP95Ms || b.P95 / r.P95 >= 1.5))
                    sb.AppendLine($"| {size.Users:N0} | {r.Name} | {Stats.Ms(b.P50)} / {Stats.Ms(b.P95)} | {Stats.Ms(r.P50)} / {Stats.Ms(r.P95)} | {b.P95 / r.P95:F1}× |");
        sb.AppendLine();
        sb.AppendLine("""
            What changed in the product (migrations `PageQueryIndexes` and `DirectorySearchIndex`, `StatusService.GetFeedAsync`, `Audience.NotBlocked`, `UserDirectory.SearchAsync`, `FriendshipService.GetFriendsAsync`):

            - **Feed** — before, SQLite walked `StatusUpdates` newest first with a correlated `EXISTS` on `Friendships` per row and
              sorted the survivors: a full scan of a million rows for a reader with ten friends (300–450 ms at 100k). Now the plan
              depends on the reader's friend count: up to 300 friends it starts from the reader's `Friendships` rows and reads each
              friend's updates through `(AuthorId, CreatedAt)`; above that it walks a new `(CreatedAt)` index newest first and keeps
              friends' updates, so a page fills after a few hundred rows. The keyset condition gained a leading `CreatedAt <= @cursor`
              so both indexes can seek to a later page.
            - **Blocks filter** — `NOT EXISTS (… OR …)` correlated per user (two index searches per row) became two uncorrelated
              `NOT IN` lists that SQLite builds once per query (with a Bloom filter).
            - **Directory total** — the pager's `COUNT(*)` read every listed user on every page view. It now counts exactly up to
              1,000 and shows "1,000+" beyond (`Page.TotalIsLowerBound`; the directory page's subtitle and pager say "1,000+").
              A covering index `IX_AspNetUsers_Directory (NormalizedUserName, ShowInDirectory, NormalizedDisplayName, Id)` keeps
              the listing, the count and the display-name match off the wide user rows.
            - **Directory search** — `LIKE '%term%'` on display names read every user. A trigram full-text index (FTS5 table
              `UserSearch` with `tokenize='trigram'`, filled and kept in step by triggers on `AspNetUsers`; migration
              `DirectorySearchIndex`) now answers "any part of a display name" and "start of a username" for terms of three or
              more characters; shorter terms (and terms containing LIKE wildcards) keep the old path. Renaming or deleting a
              user costs one scan of the search table in its trigger (rare writes).
            - **Friends list total** — counted from `Friendships` alone (the foreign key guarantees the user row).
            """);
        return sb.ToString();
    }

    private static void Plot(List<SizeResult> sizes)
    {
        var plot = new ScottPlot.Plot();
        var names = sizes[^1].Scenarios.Select(s => s.Name).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        for (var k = 0; k < names.Count; k++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var s in sizes)
                if (s.Scenarios.FirstOrDefault(x => x.Name == names[k]) is { } r) { xs.Add(Math.Log10(s.Users)); ys.Add(r.P95); }
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            line.LegendText = names[k];
            line.Color = palette.GetColor(k);
        }
        var target = plot.Add.HorizontalLine(TargetP95Ms);
        target.LinePattern = ScottPlot.LinePattern.Dashed;
        target.LegendText = "target p95";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            sizes.Select(s => Math.Log10(s.Users)).ToArray(), sizes.Select(s => $"{s.Users:N0}").ToArray());
        plot.XLabel("users");
        plot.YLabel("p95 (ms)");
        plot.Title("Page query p95 by data size");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(Path.Combine(PerformanceReport.ResultsDir, "queries.png"), 1000, 600);
    }
}
