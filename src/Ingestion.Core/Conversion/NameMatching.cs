using System.Text;

namespace Ingestion.Core.Conversion;

/// <summary>
/// How source names find schema fields when no mapping names them: exactly, then ignoring case, then ignoring case
/// and the separators <c>_ - . space</c> (<c>first_name</c> finds <c>firstName</c>), and, for a flat column, by the
/// end of a nested path (<c>firstName</c> finds <c>person.name.firstName</c>) when exactly one field ends that way.
/// </summary>
internal static class NameMatching
{
    public static string Normalize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is not ('_' or '-' or '.' or ' '))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }

    /// <summary>A struct's field for a source key: exact, ignoring case, then normalized; null when none or ambiguous.</summary>
    public static DataField? FindField(IReadOnlyList<DataField> fields, string name, out bool ambiguous)
    {
        ambiguous = false;
        foreach (var field in fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        DataField? found = null;
        foreach (var field in fields)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                if (found is not null)
                {
                    ambiguous = true;
                    return null;
                }

                found = field;
            }
        }

        if (found is not null)
        {
            return found;
        }

        var normalized = Normalize(name);
        if (normalized.Length == 0)
        {
            return null;
        }

        foreach (var field in fields)
        {
            if (Normalize(field.Name) == normalized)
            {
                if (found is not null)
                {
                    ambiguous = true;
                    return null;
                }

                found = field;
            }
        }

        return found;
    }

    /// <summary>
    /// The schema leaves a flat name can stand for: the leaf whose whole path matches (exactly, ignoring case, or
    /// normalized), else every leaf whose path ends with segments that normalize to the name.
    /// </summary>
    public static List<string> CandidateLeaves(IReadOnlyList<string> leafPaths, string name)
    {
        foreach (var path in leafPaths)
        {
            if (path == name)
            {
                return [path];
            }
        }

        var ignoringCase = leafPaths.Where(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (ignoringCase.Count > 0)
        {
            return ignoringCase;
        }

        var normalized = Normalize(name);
        if (normalized.Length == 0)
        {
            return [];
        }

        var whole = leafPaths.Where(p => Normalize(p) == normalized).ToList();
        if (whole.Count > 0)
        {
            return whole;
        }

        var candidates = new List<string>();
        foreach (var path in leafPaths)
        {
            var segments = path.Split('.');
            for (var take = 1; take < segments.Length; take++)
            {
                if (Normalize(string.Join(string.Empty, segments[^take..])) == normalized)
                {
                    candidates.Add(path);
                    break;
                }
            }
        }

        return candidates;
    }

    /// <summary>A schema path for a mapping target: exact, or ignoring case; null when none.</summary>
    public static string? ResolvePath(IReadOnlyList<string> paths, string target)
    {
        foreach (var path in paths)
        {
            if (path == target)
            {
                return path;
            }
        }

        var ignoringCase = paths.Where(p => string.Equals(p, target, StringComparison.OrdinalIgnoreCase)).ToList();
        return ignoringCase.Count == 1 ? ignoringCase[0] : null;
    }

    /// <summary>The paths closest to a misspelt one, for "did you mean" in messages.</summary>
    public static string Suggest(IEnumerable<string> paths, string wrong)
    {
        var target = Normalize(wrong);
        var best = paths
            .Select(p => (Path: p, Distance: Distance(Normalize(p), target), Leaf: Distance(Normalize(p.Split('.')[^1]), Normalize(wrong.Split('.')[^1]))))
            .OrderBy(p => Math.Min(p.Distance, p.Leaf + 1))
            .ThenBy(p => p.Path, StringComparer.Ordinal)
            .Take(3)
            .Where(p => Math.Min(p.Distance, p.Leaf + 1) <= Math.Max(2, target.Length / 3))
            .Select(p => p.Path)
            .ToList();
        return best.Count == 0 ? string.Empty : string.Format(Messages.DidYouMean, string.Join("', '", best));
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
