using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Catalog;

/// <summary>Catalog's shared list parameters: <c>limit</c> (max 100), <c>start</c> (offset), <c>orderBy</c>, <c>properties</c>.</summary>
internal sealed record CatalogQuery(int Limit, int Start, string OrderField, bool Descending, IReadOnlySet<string>? Properties)
{
    public const int MaxLimit = 100;

    public static CatalogQuery Parse(IQueryCollection query, int defaultLimit, string defaultOrder, IReadOnlyCollection<string> orderFields)
    {
        var limit = ParseInt(query, "limit", defaultLimit, 1, MaxLimit);
        var start = ParseInt(query, "start", 0, 0, int.MaxValue);

        var orderBy = query["orderBy"].ToString();
        if (orderBy.Length == 0)
        {
            orderBy = defaultOrder;
        }

        var descending = false;
        var field = orderBy;
        var colon = orderBy.IndexOf(':');
        if (colon >= 0)
        {
            var direction = orderBy[..colon].ToLowerInvariant();
            if (direction is not ("asc" or "desc"))
            {
                throw Problems.CatalogBadRequest($"orderBy '{orderBy}' must look like 'desc:created' or 'asc:updated'.");
            }

            descending = direction == "desc";
            field = orderBy[(colon + 1)..];
        }

        if (!orderFields.Contains(field))
        {
            throw Problems.CatalogBadRequest($"orderBy field '{field}' is not supported; use one of {string.Join(", ", orderFields)}.");
        }

        var properties = query["properties"].ToString();
        var allowList = properties.Length == 0
            ? null
            : properties.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

        return new CatalogQuery(limit, start, field, descending, allowList);
    }

    public IEnumerable<T> Page<T>(IEnumerable<T> items, Func<T, IComparable> key, Func<T, string> id)
    {
        var ordered = Descending
            ? items.OrderByDescending(key).ThenByDescending(id, StringComparer.Ordinal)
            : items.OrderBy(key).ThenBy(id, StringComparer.Ordinal);
        return ordered.Skip(Start).Take(Limit);
    }

    /// <summary>Catalog lists are objects keyed by id; <c>properties</c> trims each entry to the listed fields.</summary>
    public JsonObject ToMap<T>(IEnumerable<T> page, Func<T, string> id, Func<T, JsonObject> render)
    {
        var map = new JsonObject();
        foreach (var item in page)
        {
            var json = render(item);
            if (Properties is not null)
            {
                foreach (var name in json.Select(p => p.Key).Where(k => !Properties.Contains(k)).ToList())
                {
                    json.Remove(name);
                }
            }

            map[id(item)] = json;
        }

        return map;
    }

    public static long? ParseLong(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Problems.CatalogBadRequest($"'{name}' must be a number (epoch milliseconds), not '{text}'.");
    }

    private static int ParseInt(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Problems.CatalogBadRequest($"'{name}' must be a whole number between {min} and {max}, not '{text}'.");
        }

        return value;
    }
}
