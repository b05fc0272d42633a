using FriendConnect.Bench;

// dotnet run -c Release --project bench/FriendConnect.Bench -- <suite|all|report>
var suites = SuiteCatalog.All;
var name = args.FirstOrDefault() ?? "";
if (name == "report")
{
    // Rebuild docs/performance.md from bench/results without running anything (e.g. after merging results).
    PerformanceReport.Write();
    return 0;
}
var chosen = name == "all" ? suites : suites.Where(s => s.Name == name).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project bench/FriendConnect.Bench -- <{string.Join("|", suites.Select(s => s.Name))}|all>");
    return 2;
}

foreach (var suite in chosen)
{
    Console.WriteLine($"== {suite.Name} ==");
    var started = DateTime.UtcNow;
    await suite.RunAsync(args.Skip(1).ToArray());
    Console.WriteLine($"== {suite.Name} done in {(DateTime.UtcNow - started).TotalSeconds:F0} s ==");
}
PerformanceReport.Write();
return 0;
