using System.Collections;
using System.Management.Automation;

namespace Ingestion.PowerShell.Runtime;

/// <summary>Reads a -Tag hashtable: each name maps to a string or a list of strings, as Catalog tags are.</summary>
internal static class TagParameter
{
    /// <summary>False, naming the first bad entry, when a name is empty or a value is empty.</summary>
    public static bool TryRead(Hashtable? tag, out Dictionary<string, IReadOnlyList<string>> tags, out string? invalidName)
    {
        tags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        invalidName = null;
        foreach (DictionaryEntry entry in tag ?? [])
        {
            var key = entry.Key?.ToString();
            var values = LanguagePrimitives.ConvertTo<string[]>(entry.Value) ?? [];
            if (string.IsNullOrWhiteSpace(key) || values.Any(string.IsNullOrEmpty))
            {
                invalidName = key;
                return false;
            }

            tags[key] = values;
        }

        return true;
    }

    /// <summary>Adds <paramref name="values"/> to tag <paramref name="name"/>, keeping what it has and its order.</summary>
    public static void Merge(Dictionary<string, IReadOnlyList<string>> tags, string name, IEnumerable<string> values)
    {
        var merged = tags.TryGetValue(name, out var existing) ? existing.ToList() : [];
        merged.AddRange(values.Where(v => !merged.Contains(v, StringComparer.OrdinalIgnoreCase)));
        tags[name] = merged;
    }
}
