using System.Globalization;
using System.Text;
using FriendConnect.Bench.Browser;
using FriendConnect.Bench.Shared;

namespace FriendConnect.Bench.Suites;

/// <summary>The two drills at full size: NOTHING LOST (live subscriptions under churn) and CRASH (kill -9 mid-write).</summary>
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

        Console.WriteLine($"  crash: {writes} concurrent writes, kill -9 mid-flight");
        var crash = await new CrashDrill(writes).RunAsync();
        var crashPass = crash.IntegrityAfterCrash == "ok" && crash.IntegrityAfterRestart == "ok" && crash.AcknowledgedMissing == 0
                        && crash.RestartedAndServing && crash.Acknowledged > 0 && crash.Acknowledged < writes;
        Console.WriteLine($"    {(crashPass ? "PASS" : "FAIL")}: {crash}");

        var json = new { suite = Name, quick, load, nothingLost = new { pass = lostPass, outcome = lost }, crash = new { pass = crashPass, outcome = crash } };
        SuiteOutput.Write(Name, json, Markdown(lost, lostPass, crash, crashPass, quick, load));
    }

    private static string Markdown(NothingLostDrill.Outcome l, bool lostPass, CrashDrill.Outcome c, bool crashPass, bool quick, string load)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("## Drills: nothing lost, crash (drills)");
        sb.AppendLine();
        if (quick) sb.AppendLine("> **Quick smoke run** (`--quick`): smaller drills. Run without `--quick` for the full sizes.\n");
        sb.AppendLine(string.Create(inv, $"**Headline:** NOTHING LOST **{(lostPass ? "passed" : "FAILED")}** — {l.Expected:N0} notifications to {l.Users} users, {l.Lost} lost, {l.Duplicated} duplicated, under {l.Drops:N0} random drops. CRASH **{(crashPass ? "passed" : "FAILED")}** — {c.Acknowledged:N0} acknowledged writes, {c.AcknowledgedMissing} missing after kill -9, integrity_check \"{c.IntegrityAfterCrash}\"."));
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
