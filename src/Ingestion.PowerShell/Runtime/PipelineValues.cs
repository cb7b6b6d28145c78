using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Crosses between PowerShell objects and the plain values the engine converts: on the way in, PSCustomObjects and
/// hashtables become dictionaries and collections lists (dates, decimals, Guids and nulls kept as they are); on the
/// way out, rows become PSCustomObjects, lists arrays and maps ordered hashtables.
/// </summary>
internal static class PipelineValues
{
    private const int MaxDepth = 64;

    /// <summary>One pipeline object as a record; false when it has no properties to make a row of (a string, a number).</summary>
    public static bool TryToRecord(PSObject input, out Dictionary<string, object?> record)
    {
        var value = input.BaseObject;
        if (value is IDictionary dictionary)
        {
            record = FromDictionary(dictionary, 0);
            return true;
        }

        if (IsScalar(value))
        {
            record = null!;
            return false;
        }

        record = FromProperties(input, 0);
        return true;
    }

    /// <summary>A row read from Parquet as a PSCustomObject.</summary>
    public static PSObject ToPSObject(IReadOnlyDictionary<string, object?> row)
    {
        var result = new PSObject();
        foreach (var (name, value) in row)
        {
            result.Properties.Add(new PSNoteProperty(name, Out(value)));
        }

        return result;
    }

    private static object? Out(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> row => ToPSObject(row),
        IDictionary map => OrderedMap(map),
        IList list when value is not byte[] => list.Cast<object?>().Select(Out).ToArray(),
        _ => value,
    };

    private static OrderedDictionary OrderedMap(IDictionary map)
    {
        var ordered = new OrderedDictionary();
        foreach (DictionaryEntry entry in map)
        {
            ordered[entry.Key] = Out(entry.Value);
        }

        return ordered;
    }

    private static object? In(object? value, int depth)
    {
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject is PSCustomObject ? wrapped : wrapped.BaseObject;
        }

        switch (value)
        {
            case null:
                return null;
            case PSObject custom:
                return depth >= MaxDepth ? custom.ToString() : FromProperties(custom, depth + 1);
            case string or bool or char or decimal or DateTime or DateTimeOffset or DateOnly or Guid or byte[]:
                return value;
            case Enum e:
                return e.ToString();
            case IDictionary dictionary:
                return depth >= MaxDepth ? dictionary.ToString() : FromDictionary(dictionary, depth + 1);
            case IEnumerable items:
                {
                    if (depth >= MaxDepth)
                    {
                        return items.ToString();
                    }

                    var list = new List<object?>();
                    foreach (var item in items)
                    {
                        list.Add(In(item, depth + 1));
                    }

                    return list;
                }

            default:
                // Numbers stay numbers; any other object nested in a record is written as its text.
                return value.GetType().IsPrimitive ? value : value.ToString();
        }
    }

    private static Dictionary<string, object?> FromDictionary(IDictionary dictionary, int depth)
    {
        var record = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            record[entry.Key?.ToString() ?? string.Empty] = In(entry.Value, depth);
        }

        return record;
    }

    private static Dictionary<string, object?> FromProperties(PSObject input, int depth)
    {
        var record = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in input.Properties)
        {
            if (!property.IsGettable)
            {
                continue;
            }

            object? value;
            try
            {
                value = property.Value;
            }
            catch (GetValueException)
            {
                // A property that throws when read (common on live .NET objects) is a missing value.
                value = null;
            }

            record[property.Name] = In(value, depth);
        }

        return record;
    }

    private static bool IsScalar(object value) =>
        value is string or bool or char or decimal or DateTime or DateTimeOffset or DateOnly or Guid or Enum || value.GetType().IsPrimitive;
}
