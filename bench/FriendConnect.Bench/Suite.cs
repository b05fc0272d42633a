namespace FriendConnect.Bench;

/// <summary>One named measurement. It writes bench/results/NAME.json and bench/results/NAME.md (a section of docs/performance.md).</summary>
public interface ISuite
{
    string Name { get; }
    Task RunAsync(string[] args);
}

public static class SuiteCatalog
{
    private static readonly string[] Order = ["queries", "fanout", "latency", "circuits", "capacity", "api", "drills", "selfhost", "scaleout"];

    // Every ISuite in this assembly; suites live in Suites/, one file each.
    public static IReadOnlyList<ISuite> All { get; } =
        typeof(ISuite).Assembly.GetTypes()
            .Where(t => typeof(ISuite).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => (ISuite)Activator.CreateInstance(t)!)
            .OrderBy(s => Array.IndexOf(Order, s.Name) is var i and >= 0 ? i : int.MaxValue)
            .ToList();
}
