using System.Globalization;
using System.Text;
using FriendConnect.Bench.Browser;
using FriendConnect.Bench.Shared;

namespace FriendConnect.Bench.Suites;

/// <summary>
/// The drills at full size: NOTHING LOST (live subscriptions under churn), NOTHING LOST WITH REAL CLIENTS (browsers and SSE
/// streams against the published app) and CRASH (kill -9 mid-write).
/// </summary>
public sealed class DrillsSuite : ISuite
{
    public string Name => "drills";

    public async Task RunAsync(string[] args)
    {
        var quick = SuiteOutput.Quick(args);
        var users = quick ? 20 : 50;
        var events = quick ? 500 : 5000;
        var writes = quick ? 200 : 1000;
        var load = MachineLoad.Describe();

        Console.WriteLine($"  nothing lost: {users} users, {events} events");
        var dbPath = Path.Combine(Path.GetTempPath(), $"fc-bench-drill-{Guid.NewGuid():N}.db");
        NothingLostDrill.Outcome lost;
        try
        {
            await using var domain = await BenchDomain.OpenAsync(dbPath);
            lost = await new NothingLostDrill(domain.Services, users, events).RunAsync();
        }
        finally
        {
            BenchApp.DeleteDatabase(dbPath);
        }
        var lostPass = lost.Lost == 0 && lost.Duplicated == 0 && lost.Expected > 0;
        Console.WriteLine($"    {(lostPass ? "PASS" : "FAIL")}: {lost}");

        var realUsers = quick ? 10 : 50;
        var realActions = quick ? 300 : 5000;
        Console.WriteLine($"  nothing lost with real clients: {realUsers} users ({realUsers / 2} browsers, {realUsers / 2} SSE streams), {realActions} actions");
        var realDb = Path.Combine(Path.GetTempPath(), $"fc-bench-real-{Guid.NewGuid():N}.db");
        RealClientsDrill.Outcome real;
        try
        {
            await using var app = new BenchApp(realDb);
            await app.StartAsync();
            await using var browser = await BenchBrowser.LaunchAsync(app.BaseUrl);
            real = await new RealClientsDrill(app.BaseUrl, browser.Browser, realUsers, realActions, uiShare: quick ? 0.2 : 0.05).RunAsync();
        }
        finally
        {
            BenchApp.DeleteDatabase(realDb);
        }
        var realPass = real.Lost == 0 && real.Duplicated == 0 && real.PagesWrong == 0 && real.Expected > 0;
        Console.WriteLine($"    {(realPass ? "PASS" : "FAIL")}: {real with { Problems = [] }}");
        foreach (var problem in real.Problems.Take(10)) Console.WriteLine($"      {problem}");

        Console.WriteLine($"  crash: {writes} concurrent writes, kill -9 mid-flight");
        var crash = await new CrashDrill(writes).RunAsync();
        var crashPass = crash.IntegrityAfterCrash == "ok" && crash.IntegrityAfterRestart == "ok" && crash.AcknowledgedMissing == 0
                        && crash.RestartedAndServing && crash.Acknowledged > 0 && crash.Acknowledged < writes;
        Console.WriteLine($"    {(crashPass ? "PASS" : "FAIL")}: {crash}");

        var json = new
        {
            suite = Name, quick, load, nothingLost = new { pass = lostPass, outcome = lost },
            realClients = new { pass = realPass, outcome = real }, crash = new { pass = crashPass, outcome = crash },
        };
        SuiteOutput.Write(Name, json, Markdown(lost, lostPass, real, realPass, crash, crashPass, quick, load));
    }

    private static string Markdown(NothingLostDrill.Outcome l, bool lostPass, RealClientsDrill.Outcome r, bool realPass,
        CrashDrill.Outcome c, bool crashPass, bool quick, string load)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("## Drills: nothing lost, crash (drills)");
        sb.AppendLine();
        if (quick) sb.AppendLine("> **Quick smoke run** (`--quick`): smaller drills. Run without `--quick` for the full sizes.\n");
        sb.AppendLine(string.Create(inv, $"**Headline:** NOTHING LOST **{(lostPass ? "passed" : "FAILED")}** — {l.Expected:N0} notifications to {l.Users} users, {l.Lost} lost, {l.Duplicated} duplicated, under {l.Drops:N0} random drops. WITH REAL CLIENTS **{(realPass ? "passed" : "FAILED")}** — {r.Expected:N0} notifications over SSE, {r.Lost} lost, {r.Duplicated} duplicated; {r.PagesChecked - r.PagesWrong} of {r.PagesChecked} browser pages showed the database's truth. CRASH **{(crashPass ? "passed" : "FAILED")}** — {c.Acknowledged:N0} acknowledged writes, {c.AcknowledgedMissing} missing after kill -9, integrity_check \"{c.IntegrityAfterCrash}\"."));
        sb.AppendLine();
        sb.AppendLine("### Nothing lost");
        sb.AppendLine();
        sb.AppendLine("| users | events (statuses / requests / accepts / refused) | notifications addressed | delivered live | caught up on reconnect | lost | duplicated | subscription drops | time |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        sb.AppendLine(string.Create(inv, $"| {l.Users} | {l.Events:N0} ({l.Statuses:N0} / {l.Requests:N0} / {l.Accepts:N0} / {l.Refused:N0}) | {l.Expected:N0} | {l.DeliveredLive:N0} | {l.CaughtUp:N0} | **{l.Lost}** | **{l.Duplicated}** | {l.Drops:N0} | {l.Seconds:F1} s |"));
        sb.AppendLine();
        sb.AppendLine("Sessions are simulated at the bus/service level, each exactly like the SSE endpoint (`FriendConnect.Web/Api/EventsApi.cs`): subscribe to " +
                      "`ILiveEventSubscriber` first, then catch up from the database with `NotificationService.GetAfterAsync(lastId)`, then fetch after the last " +
                      "id on every live signal (bounded signal channel, drop-oldest). A chaos loop drops a random session every 1–8 ms and brings it back 0–40 ms later. " +
                      "Four writers run the real domain services (60 % status updates, 25 % friend requests between random users, 15 % accepts of pending requests; " +
                      "\"refused\" counts the service's own refusals, e.g. a request to an existing friend). At the end every session is connected again; " +
                      "*lost* = addressed rows (from the database) a session never saw; *duplicated* = ids seen twice or not addressed to that user. " +
                      "\"Delivered live\" counts notifications fetched because of a live signal; \"caught up\" those fetched on (re)connect.");
        sb.AppendLine();
        sb.AppendLine("### Nothing lost with real clients");
        sb.AppendLine();
        sb.AppendLine("| users (browsers / SSE) | actions (through the UI) | statuses / requests / accepts / refused | SSE notifications addressed | delivered live | caught up on resume | lost | duplicated | browser offline drops | SSE sockets killed | pages showing the database's truth | time |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        sb.AppendLine(string.Create(inv, $"| {r.Users} ({r.BrowserUsers} / {r.SseUsers}) | {r.Actions:N0} ({r.UiActions:N0}) | {r.Statuses:N0} / {r.Requests:N0} / {r.Accepts:N0} / {r.Refused:N0} | {r.Expected:N0} | {r.DeliveredLive:N0} | {r.CaughtUp:N0} | **{r.Lost}** | **{r.Duplicated}** | {r.BrowserDrops:N0} | {r.SseDrops:N0} | {r.PagesChecked - r.PagesWrong} of {r.PagesChecked} | {r.Seconds:F1} s |"));
        sb.AppendLine();
        foreach (var problem in r.Problems.Take(10)) sb.AppendLine($"- {problem}");
        if (r.Problems.Count > 0) sb.AppendLine();
        sb.AppendLine("The published app (Production, own SQLite file, rate limits lifted) serves real clients only through its endpoints " +
                      "(bench/FriendConnect.Bench/Browser/RealClientsDrill.cs). Everyone registers and gets a bearer token through the API; half the users " +
                      "also sign in on the sign-in page in their own Chromium context and keep the dashboard open (a Blazor circuit), the other half read " +
                      "`GET /api/v1/events` and, whenever a socket is killed or the stream ends, open it again with `Last-Event-ID` set to the last id they saw. " +
                      "Chaos: every 20–120 ms either a browser goes offline for 0.1–1.5 s (`IBrowserContext.SetOfflineAsync`) or an SSE socket is killed and " +
                      "comes back 0–300 ms later. Four actors run the mix (60 % status posts, 25 % friend requests between random users, 15 % accepts of the " +
                      "actor's newest incoming request); a share of the browser users' posts and accepts are typed and clicked on their open dashboard, the rest go " +
                      "through the API. Afterwards: each SSE user's delivered ids must equal the ids `GET /api/v1/notifications` lists for them (*live* = made " +
                      "while the stream was open, *caught up* = sent on resume), and each open page — never reloaded by the drill — must come to show the " +
                      "bell's unread count from `GET /api/v1/notifications/unread-count` and exactly the incoming requests `GET /api/v1/friend-requests/incoming` lists.");
        sb.AppendLine();
        sb.AppendLine("### Crash");
        sb.AppendLine();
        sb.AppendLine("| writes fired | users | in flight | acknowledged (201) | failed (in flight or sent after the kill) | refused | present after restart | acknowledged but missing | committed, never acknowledged | integrity after crash | after restart | app restarted and serving |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        sb.AppendLine(string.Create(inv, $"| {c.Writes:N0} | {c.Users} | {c.Concurrency} | {c.Acknowledged:N0} | {c.FailedInFlight:N0} | {c.Refused} | {c.PresentAfterRestart:N0} | **{c.AcknowledgedMissing}** | {c.CommittedButUnacknowledged} | {c.IntegrityAfterCrash} | {c.IntegrityAfterRestart} | {(c.RestartedAndServing ? "yes" : "no")} |"));
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"The published app (`dotnet publish -c {BenchApp.Configuration}`, Production) runs as its own process on a fresh SQLite file (WAL). {c.Users} users register and sign in through the API (bearer tokens), then {c.Writes:N0} `POST /api/v1/statuses` go out with {c.Concurrency} in flight; once {c.Acknowledged:N0}+ have been answered 201 (after {c.SecondsToKill:F1} s) the process gets SIGKILL. `PRAGMA integrity_check` runs on the file as the crash left it (WAL recovery included), the app is restarted on the same file (migrations, sign-in), and every text that was acknowledged is looked up. Note: SIGKILL is a process crash; the OS page cache survives it, so this drill does not prove durability across a power cut (that would depend on `PRAGMA synchronous`)."));
        sb.AppendLine();
        sb.AppendLine($"Load average at start: {load}.");
        sb.AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench/FriendConnect.Bench -- drills` (add `--quick` for a smoke run). " +
                      "CI versions: `dotnet test --filter FullyQualifiedName~FriendConnect.Tests.Drills`.");
        return sb.ToString();
    }
}
