using System.Text.Json;
using FriendConnect.Bench.Shared;

namespace FriendConnect.Bench.Browser;

/// <summary>Writes a suite's bench/results/NAME.json and NAME.md.</summary>
public static class SuiteOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write(string name, object json, string markdown)
    {
        Directory.CreateDirectory(PerformanceReport.ResultsDir);
        File.WriteAllText(Path.Combine(PerformanceReport.ResultsDir, name + ".json"), JsonSerializer.Serialize(json, Json));
        File.WriteAllText(Path.Combine(PerformanceReport.ResultsDir, name + ".md"), markdown.TrimEnd() + "\n");
        Console.WriteLine($"  wrote bench/results/{name}.json and {name}.md");
    }

    public static string PngPath(string fileName) => Path.Combine(PerformanceReport.ResultsDir, fileName);

    /// <summary>Waits (up to <paramref name="maxWait"/>) for the 1-minute load average to drop below <paramref name="threshold"/>.</summary>
    public static async Task<string> WaitForQuietMachineAsync(double threshold = 1.0, TimeSpan? maxWait = null)
    {
        var deadline = DateTime.UtcNow + (maxWait ?? TimeSpan.FromMinutes(2));
        while (MachineLoad.OneMinute() >= threshold && DateTime.UtcNow < deadline)
            await Task.Delay(5000);
        return MachineLoad.Describe();
    }

    public static bool Quick(string[] args) => args.Contains("--quick");
}

public sealed record LatencySummary(string Path, int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static LatencySummary Of(string path, IReadOnlyList<double> ms) => new(path, ms.Count,
        Stats.Percentile(ms, 50), Stats.Percentile(ms, 95), Stats.Percentile(ms, 99), ms.Count == 0 ? double.NaN : ms.Max(),
        ms.Count == 0 ? double.NaN : ms.Average());
}
