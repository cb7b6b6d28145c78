using Ingestion.Core.Errors;

namespace Ingestion.Core.Conversion;

/// <summary>
/// -Mapping for records: moves the value at each source key (or dotted source path) of a record to its target path,
/// creating the objects on the way; a null or empty target drops the key on purpose. Applied before inference and
/// before shaping, so a mapped record is matched against the schema like any other.
/// </summary>
internal sealed class RecordMapping
{
    private readonly (string Source, string[]? Target)[] entries;
    private readonly HashSet<string> seen = new(StringComparer.OrdinalIgnoreCase);

    private RecordMapping((string, string[]?)[] entries) => this.entries = entries;

    public static RecordMapping? Create(IReadOnlyDictionary<string, string?>? mapping, DataSchema? schema, string source)
    {
        if (mapping is null || mapping.Count == 0)
        {
            return null;
        }

        var targets = new HashSet<string>(StringComparer.Ordinal);
        var paths = schema is null ? null : AllPaths(schema).ToList();
        var entries = new List<(string, string[]?)>();
        foreach (var (from, to) in mapping)
        {
            if (string.IsNullOrWhiteSpace(to))
            {
                entries.Add((from, null));
                continue;
            }

            var target = to.Trim();
            if (paths is not null)
            {
                target = NameMatching.ResolvePath(paths, target)
                    ?? throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.MappingTargetUnknown, from, to, NameMatching.Suggest(paths, to))) { Target = source };
            }
            else if (target.Split('.').Any(s => s.Length == 0))
            {
                throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.MappingTargetInvalid, from, to)) { Target = source };
            }

            if (!targets.Add(target))
            {
                throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.MappingDuplicateTarget, target)) { Target = source };
            }

            entries.Add((from, target.Split('.')));
        }

        return new RecordMapping([.. entries]);
    }

    /// <summary>Mapping sources no record had, for a warning at the end.</summary>
    public IEnumerable<string> SourcesNeverSeen => entries.Select(e => e.Source).Where(s => !seen.Contains(s));

    public void Apply(Dictionary<string, object?> record)
    {
        List<(string[] Target, object? Value)>? moves = null;
        foreach (var (from, target) in entries)
        {
            if (!TryTake(record, from, out var value))
            {
                continue;
            }

            seen.Add(from);
            if (target is not null)
            {
                (moves ??= []).Add((target, value));
            }
        }

        if (moves is null)
        {
            return;
        }

        foreach (var (target, value) in moves)
        {
            var container = record;
            for (var i = 0; i < target.Length - 1; i++)
            {
                if (container.GetValueOrDefault(target[i]) is not Dictionary<string, object?> next)
                {
                    next = new Dictionary<string, object?>(StringComparer.Ordinal);
                    container[target[i]] = next;
                }

                container = next;
            }

            container[target[^1]] = value;
        }
    }

    /// <summary>Removes and returns the value at a key (ignoring case), else at a dotted path into objects.</summary>
    private static bool TryTake(Dictionary<string, object?> record, string from, out object? value)
    {
        if (TryTakeKey(record, from, out value))
        {
            return true;
        }

        var segments = from.Split('.');
        if (segments.Length < 2)
        {
            return false;
        }

        var container = record;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var key = FindKey(container, segments[i]);
            if (key is null || container[key] is not Dictionary<string, object?> next)
            {
                return false;
            }

            container = next;
        }

        return TryTakeKey(container, segments[^1], out value);
    }

    private static bool TryTakeKey(Dictionary<string, object?> record, string name, out object? value)
    {
        var key = FindKey(record, name);
        if (key is null)
        {
            value = null;
            return false;
        }

        value = record[key];
        record.Remove(key);
        return true;
    }

    private static string? FindKey(Dictionary<string, object?> record, string name)
    {
        if (record.ContainsKey(name))
        {
            return name;
        }

        foreach (var key in record.Keys)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        return null;
    }

    private static IEnumerable<string> AllPaths(DataSchema schema)
    {
        IEnumerable<string> Walk(string prefix, DataField field)
        {
            var path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
            yield return path;
            foreach (var child in field.Fields)
            {
                foreach (var nested in Walk(path, child))
                {
                    yield return nested;
                }
            }
        }

        return schema.Fields.SelectMany(f => Walk(string.Empty, f));
    }
}
