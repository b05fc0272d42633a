using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FriendConnect.Bench.Capacity;

/// <summary>
/// What blazor.web.js reads from a prerendered page before it starts a circuit: the interactive-server component markers
/// (<c>&lt;!--Blazor:{"type":"server",…,"descriptor":"…"}--&gt;</c>, data-protected descriptors the server issued for this
/// response) and the persisted component state (<c>&lt;!--Blazor-Server-Component-State:…--&gt;</c>).
/// </summary>
public sealed partial record PrerenderedPage(IReadOnlyList<JsonObject> ServerMarkers, string ApplicationState)
{
    public static PrerenderedPage Parse(string html)
    {
        var markers = new List<JsonObject>();
        foreach (Match m in MarkerComment().Matches(html))
        {
            // End markers carry only the prerender id; start markers carry the descriptor.
            if (JsonNode.Parse(m.Groups["json"].Value) is JsonObject marker && (string?)marker["type"] == "server" && marker["descriptor"] is not null)
                markers.Add(marker);
        }
        markers.Sort((a, b) => ((int)a["sequence"]!).CompareTo((int)b["sequence"]!));
        var state = StateComment().Match(html);
        return new PrerenderedPage(markers, state.Success ? state.Groups["state"].Value : "");
    }

    /// <summary>The first UpdateRootComponents batch: every marker added, numbered the way the page's SSR component ids are.</summary>
    public string AddAllOperationsJson(int batchId)
    {
        var operations = new JsonArray();
        for (var i = 0; i < ServerMarkers.Count; i++)
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = ServerMarkers[i].DeepClone() });
        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString();
    }

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerComment();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->")]
    private static partial Regex StateComment();
}
