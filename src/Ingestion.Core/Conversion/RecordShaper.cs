using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Ingestion.Core.Conversion;

/// <summary>
/// Turns one record (a JSON object or a pipeline object, as dictionaries and lists) into the shape of a schema: keys
/// find their fields by name (exactly, then ignoring case and separators), flat keys of the top level also find
/// nested fields by the end of their path, and values are converted to the field's type. With a given schema the
/// conversions are AEP's (strings to numbers, dates and date-times when they parse, whole numbers to dates as epoch
/// milliseconds); with an inferred one a value must fit what the sample showed. Keys no field takes are counted and
/// reported, never silently dropped.
/// </summary>
internal sealed class RecordShaper
{
    private const int MaxDepth = 128;

    private readonly DataSchema schema;
    private readonly bool inferred;
    private readonly bool stringify;
    private readonly bool xdmNames;
    private readonly string source;
    private readonly List<string> leafPaths;
    private readonly Dictionary<string, Unmatched> unmatched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> matched = new(StringComparer.Ordinal);

    public RecordShaper(DataSchema schema, string source, bool inferred, bool stringify, bool xdmNames)
    {
        this.schema = schema;
        this.source = source;
        this.inferred = inferred;
        this.stringify = stringify;
        this.xdmNames = xdmNames;
        leafPaths = schema.Leaves().Select(l => l.Path).ToList();
    }

    /// <summary>With an inferred schema, a key the sample never showed stops the conversion (so a file can be read again whole).</summary>
    public bool NewFieldIsMismatch { get; init; }

    /// <summary>Source keys no field took, with the count of records that had them, in first-seen order.</summary>
    public IEnumerable<(string Path, long Records, long FirstRow, string Reason)> UnmatchedFields =>
        unmatched.Values.OrderBy(u => u.Order).Select(u => (u.Path, u.Records, u.FirstRow, u.Reason));

    /// <summary>Top-level source keys that found a field under another name, as "key -> field".</summary>
    public IEnumerable<string> Renamed => matched.Select(m => $"{m.Key} -> {m.Value}");

    public Dictionary<string, object?> Shape(IReadOnlyDictionary<string, object?> record, long row, long line)
    {
        var context = new Context(row, line);
        return ShapeStruct(schema.Fields, record, string.Empty, context, topLevel: true, depth: 0);
    }

    private Dictionary<string, object?> ShapeStruct(IReadOnlyList<DataField> fields, IEnumerable<KeyValuePair<string, object?>> record, string path, Context context, bool topLevel, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Mismatch(context, path, string.Format(Messages.ValueTooDeep, MaxDepth));
        }

        var target = new Dictionary<string, object?>(fields.Count, StringComparer.Ordinal);
        List<KeyValuePair<string, object?>>? flat = null;
        foreach (var (key, value) in record)
        {
            var childPath = path.Length == 0 ? key : path + "." + key;
            var field = inferred ? fields.FirstOrDefault(f => f.Name == key) : NameMatching.FindField(fields, key, out _);
            if (field is null)
            {
                if (topLevel && !inferred && value is not null && IsScalarValue(value))
                {
                    (flat ??= []).Add(new(key, value));
                }
                else if (value is not null)
                {
                    NoField(context, childPath, inferred ? Messages.UnmatchedNewField : Messages.UnmatchedNoField);
                }

                continue;
            }

            if (target.ContainsKey(field.Name))
            {
                if (value is not null)
                {
                    NoField(context, childPath, string.Format(Messages.UnmatchedTaken, FieldPath(path, field.Name)));
                }

                continue;
            }

            if (topLevel && field.Name != key)
            {
                matched.TryAdd(key, field.Name);
            }

            target[field.Name] = Convert(field, value, FieldPath(path, field.Name), context, depth);
        }

        if (flat is not null)
        {
            PlaceFlat(target, flat, context, depth);
        }

        foreach (var field in fields)
        {
            if (!field.Nullable && target.GetValueOrDefault(field.Name) is null)
            {
                throw Mismatch(context, FieldPath(path, field.Name), Messages.ValueRequiredMissing);
            }
        }

        return target;
    }

    /// <summary>Flat top-level keys into nested fields, by the end of the field's path (firstName into person.name.firstName).</summary>
    private void PlaceFlat(Dictionary<string, object?> target, List<KeyValuePair<string, object?>> flat, Context context, int depth)
    {
        foreach (var (key, value) in flat)
        {
            var candidates = NameMatching.CandidateLeaves(leafPaths, key);
            if (candidates.Count != 1)
            {
                NoField(context, key, candidates.Count == 0 ? Messages.UnmatchedNoField : string.Format(Messages.UnmatchedAmbiguous, string.Join(", ", candidates)));
                continue;
            }

            var leafPath = candidates[0];
            var segments = leafPath.Split('.');
            var container = target;
            IReadOnlyList<DataField> fields = schema.Fields;
            var blocked = false;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                var structField = fields.First(f => f.Name == segments[i]);
                switch (container.GetValueOrDefault(segments[i]))
                {
                    case Dictionary<string, object?> existing:
                        container = existing;
                        break;
                    case null:
                        var created = new Dictionary<string, object?>(StringComparer.Ordinal);
                        container[segments[i]] = created;
                        container = created;
                        break;
                    default:
                        blocked = true;
                        break;
                }

                if (blocked)
                {
                    break;
                }

                fields = structField.Fields;
            }

            var leaf = fields.FirstOrDefault(f => f.Name == segments[^1]);
            if (blocked || leaf is null || container.GetValueOrDefault(segments[^1]) is not null)
            {
                NoField(context, key, string.Format(Messages.UnmatchedTaken, leafPath));
                continue;
            }

            matched.TryAdd(key, leafPath);
            container[segments[^1]] = Convert(leaf, value, leafPath, context, depth + segments.Length);
        }
    }

    private object? Convert(DataField field, object? value, string path, Context context, int depth)
    {
        if (value is null)
        {
            return null;
        }

        switch (field.Type)
        {
            case DataType.Struct:
                return value switch
                {
                    IReadOnlyDictionary<string, object?> map => ShapeStruct(field.Fields, map, path, context, topLevel: false, depth + 1),
                    IDictionary dictionary => ShapeStruct(field.Fields, Entries(dictionary), path, context, topLevel: false, depth + 1),
                    _ => throw Mismatch(context, path, Expected(field, value)),
                };

            case DataType.Map:
                {
                    var entries = value switch
                    {
                        IReadOnlyDictionary<string, object?> map => map,
                        IDictionary dictionary => Entries(dictionary),
                        _ => throw Mismatch(context, path, Expected(field, value)),
                    };
                    var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (key, item) in entries)
                    {
                        result[key] = Convert(field.Value!, item, path + "." + key, context, depth + 1);
                    }

                    return result;
                }

            case DataType.List:
                {
                    if (value is string or IDictionary or IReadOnlyDictionary<string, object?> or byte[] || value is not IEnumerable items)
                    {
                        throw Mismatch(context, path, Expected(field, value));
                    }

                    var list = new List<object?>();
                    var index = 0;
                    foreach (var item in items)
                    {
                        list.Add(Convert(field.Element!, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]"), context, depth + 1));
                        index++;
                    }

                    return list;
                }

            default:
                return ConvertScalar(field, value, path, context) ?? throw Mismatch(context, path, Expected(field, value));
        }
    }

    /// <summary>The value as the column writer takes it, or null when it does not convert.</summary>
    private object? ConvertScalar(DataField field, object value, string path, Context context)
    {
        switch (field.Type)
        {
            case DataType.Boolean:
                return value switch
                {
                    bool b => b,
                    string s when !inferred && TextValues.TryParseBoolean(s, out var parsed) => parsed,
                    _ => null,
                };

            case DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64:
                {
                    long whole;
                    switch (value)
                    {
                        case sbyte or byte or short or ushort or int or uint or long:
                            whole = System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                            break;
                        case ulong u when u <= long.MaxValue:
                            whole = (long)u;
                            break;
                        case double or float or decimal when !inferred:
                            {
                                var d = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                                if (Math.Floor(d) != d || d < long.MinValue || d >= 9.2233720368547758E18)
                                {
                                    return null;
                                }

                                whole = (long)d;
                                break;
                            }

                        case string s when !inferred && TextValues.TryParseInt64(s.Trim(), strict: false, out var parsed):
                            whole = parsed;
                            break;
                        default:
                            return null;
                    }

                    var (min, max) = field.IntegerRange;
                    if (whole < min || whole > max)
                    {
                        throw Mismatch(context, path, string.Format(Messages.ValueOutOfRange, TypeName(field), min, max, whole));
                    }

                    return field.Type == DataType.Int64 ? whole : (int)whole;
                }

            case DataType.Double:
                return value switch
                {
                    double d => d,
                    float f => (double)f,
                    decimal m => (double)m,
                    sbyte or byte or short or ushort or int or uint or long or ulong => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
                    string s when !inferred && TextValues.TryParseDouble(s.Trim(), strict: false, out var parsed) => parsed,
                    _ => null,
                };

            case DataType.String:
                return value switch
                {
                    string s => s,
                    char or Guid or Uri or Enum => System.Convert.ToString(value, CultureInfo.InvariantCulture),
                    _ when stringify => Stringify(value),
                    _ => null,
                };

            case DataType.Date:
                switch (value)
                {
                    case DateOnly d:
                        return d;
                    case DateTime dt:
                        return DateOnly.FromDateTime(dt);
                    case DateTimeOffset dto:
                        return DateOnly.FromDateTime(dto.DateTime);
                    case string s:
                        return (inferred ? TextValues.TryParseDate(s, out var days) : TextValues.TryParseDateLenient(s.Trim(), out days)) ? TextValues.FromDays(days) : null;
                    case sbyte or byte or short or ushort or int or uint or long when !inferred:
                        {
                            var millis = System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                            return millis is >= -62_135_596_800_000 and <= 253_402_300_799_999
                                ? DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(millis))
                                : null;
                        }

                    default:
                        return null;
                }

            case DataType.Timestamp:
                switch (value)
                {
                    case DateTime dt:
                        return dt.Kind switch
                        {
                            DateTimeKind.Local => dt.ToUniversalTime(),
                            DateTimeKind.Unspecified => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
                            _ => dt,
                        };
                    case DateTimeOffset dto:
                        return dto.UtcDateTime;
                    case DateOnly d:
                        return d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                    case string s:
                        {
                            var text = inferred ? s : s.Trim();
                            if (TextValues.TryParseTimestamp(text, strict: inferred, out var micros))
                            {
                                return TextValues.FromMicros(micros);
                            }

                            return TextValues.TryParseDate(text, out var days) ? TextValues.FromDays(days).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;
                        }

                    case sbyte or byte or short or ushort or int or uint or long when !inferred:
                        {
                            var millis = System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                            return millis is >= -62_135_596_800_000 and <= 253_402_300_799_999 ? DateTime.UnixEpoch.AddMilliseconds(millis) : null;
                        }

                    default:
                        return null;
                }

            default:
                return null;
        }
    }

    internal static string Stringify(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object?> or IDictionary or IList => JsonSerializer.Serialize(value),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    internal static string Describe(object value) => value switch
    {
        string s => $"the string \"{Clip(s)}\"",
        bool b => b ? "the boolean true" : "the boolean false",
        sbyte or byte or short or ushort or int or uint or long or ulong or double or float or decimal =>
            "the number " + System.Convert.ToString(value, CultureInfo.InvariantCulture),
        DateTime dt => "the date-time " + dt.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset dto => "the date-time " + dto.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => "the date " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object?> or IDictionary => "an object",
        IEnumerable => "an array",
        _ => $"a {value.GetType().Name} \"{Clip(value.ToString() ?? string.Empty)}\"",
    };

    internal static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static bool IsScalarValue(object value) => value is string || value is not (IEnumerable or IDictionary);

    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            yield return new(System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
        }
    }

    private static string FieldPath(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    private string TypeName(DataField field) => xdmNames ? field.XdmTypeName : field.TypeName;

    private string Expected(DataField field, object value)
    {
        var expected = inferred
            ? string.Format(Messages.ValueNotInferredType, TypeName(field), Describe(value))
            : string.Format(Messages.ValueNotSchemaType, TypeName(field), Describe(value));
        if (field.Type == DataType.String && !stringify && value is not (IDictionary or IReadOnlyDictionary<string, object?> or IEnumerable))
        {
            expected += Messages.ValueStringHint;
        }

        return expected;
    }

    private void NoField(Context context, string path, string reason)
    {
        if (inferred && NewFieldIsMismatch)
        {
            throw new ValueMismatch(Where(context, path) + reason, againstInferredSchema: true);
        }

        var key = StripIndexes(path);
        if (!unmatched.TryGetValue(key, out var entry))
        {
            unmatched[key] = entry = new Unmatched(key, context.Row, reason, unmatched.Count);
        }

        if (entry.LastRow != context.Row)
        {
            entry.Records++;
            entry.LastRow = context.Row;
        }
    }

    private static string StripIndexes(string path)
    {
        if (path.IndexOf('[') < 0)
        {
            return path;
        }

        return System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "[]");
    }

    private ValueMismatch Mismatch(Context context, string path, string problem) => new(Where(context, path) + problem, inferred);

    private string Where(Context context, string path) => context.Line > 0
        ? string.Format(Messages.WhereRecordLine, source, context.Row, context.Line, path)
        : string.Format(Messages.WhereRecord, source, context.Row, path);

    private readonly record struct Context(long Row, long Line);

    private sealed class Unmatched(string path, long firstRow, string reason, int order)
    {
        public string Path { get; } = path;
        public long FirstRow { get; } = firstRow;
        public string Reason { get; } = reason;
        public int Order { get; } = order;
        public long Records { get; set; }
        public long LastRow { get; set; } = -1;
    }
}
