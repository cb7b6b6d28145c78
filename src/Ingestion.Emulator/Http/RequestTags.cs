using System.Text.Json.Nodes;

namespace Ingestion.Emulator.Http;

/// <summary>Catalog tags: an object whose values are arrays of strings (<c>{"tagName": ["v1", "v2"]}</c>).</summary>
internal static class RequestTags
{
    public static Dictionary<string, IReadOnlyList<string>> Parse(JsonNode? node, Func<string, ServiceException> invalid)
    {
        var tags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (node is null)
        {
            return tags;
        }

        if (node is not JsonObject json)
        {
            throw invalid("'tags' must be an object whose values are arrays of strings, e.g. {\"source\": [\"crm\"]}.");
        }

        foreach (var (name, value) in json)
        {
            if (value is not JsonArray values || values.Any(v => HttpJson.Text(v) is null))
            {
                throw invalid($"Tag '{name}' must be an array of strings.");
            }

            tags[name] = values.Select(v => HttpJson.Text(v)!).ToList();
        }

        return tags;
    }
}
