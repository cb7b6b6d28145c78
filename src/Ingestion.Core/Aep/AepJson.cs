using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ingestion.Core.Aep;

/// <summary>Lenient readers for AEP's JSON, whose numbers come as numbers or strings depending on the service.</summary>
internal static class AepJson
{
    public static string? String(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v
            ? v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? v.ToString() : null
            : null;

    public static long? Long(JsonNode? node, string name)
    {
        if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out var value) || value is not JsonValue v)
        {
            return null;
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.Number when v.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number when v.TryGetValue<double>(out var d) => (long)d,
            JsonValueKind.String when long.TryParse(v.GetValue<string>(), out var s) => s,
            _ => null,
        };
    }

    public static bool Bool(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v
        && (v.GetValueKind() == JsonValueKind.True || (v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) && b));

    /// <summary>Catalog times are epoch milliseconds; 0 means "not yet".</summary>
    public static DateTimeOffset? EpochMillis(JsonNode? node, string name) =>
        Long(node, name) is long ms && ms > 0 && ms < 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Catalog answers single objects as <c>{ "&lt;id&gt;": { … } }</c>.</summary>
    public static JsonObject? Unwrap(JsonNode root, string id)
    {
        if (root is not JsonObject map)
        {
            return null;
        }

        if (map.TryGetPropertyValue(id, out var byId) && byId is JsonObject hit)
        {
            return hit;
        }

        return map.Count == 1 && map.First().Value is JsonObject only ? only : null;
    }

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Tags(JsonNode? node)
    {
        var tags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (node is JsonObject obj && obj["tags"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                tags[key] = value is JsonArray array
                    ? array.Select(x => x?.ToString() ?? string.Empty).ToArray()
                    : value is null ? [] : [value.ToString()];
            }
        }

        return tags;
    }
}
