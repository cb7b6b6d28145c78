using Ingestion.Emulator.Schemas;
using Ingestion.Parquet;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Checks a Parquet file's own schema against the dataset's XDM schema before any row is read, the way AEP
/// rejects a file whose columns do not fit: every Parquet field must be a field of the schema (groups are
/// objects, LIST is an array of the schema's items, MAP is a map such as identityMap), and each column's
/// physical/logical type must be one the field takes. The conversions AEP documents for ingestion also hold:
/// strings convert to numbers and dates, whole numbers to dates (epoch milliseconds), object and map to each other.
/// Values (enums, integer ranges, date text) are checked per row afterwards.
/// </summary>
internal static class ParquetSchemaMatcher
{
    /// <summary>A file whose schema does not fit: the field (XDM-style path, "[]" for items, "{}" for map values) and what is wrong.</summary>
    public static List<FieldProblem> Match(ParquetSchema file, XdmField dataset) => Match(file.Fields, dataset);

    /// <summary>The same for top-level fields that need not form a writable schema (INT96 columns, say).</summary>
    public static List<FieldProblem> Match(IReadOnlyList<ParquetField> fields, XdmField dataset)
    {
        var problems = new List<FieldProblem>();
        MatchMembers(fields, dataset, string.Empty, problems);
        return problems;
    }

    private static void MatchMembers(IReadOnlyList<ParquetField> members, XdmField owner, string path, List<FieldProblem> problems)
    {
        foreach (var member in members)
        {
            var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            if (owner.Properties.TryGetValue(member.Name, out var field))
            {
                MatchField(member, field, memberPath, problems);
            }
            else if (owner.AcceptsAnyKey)
            {
                // A struct written for a map (or additionalProperties) field: its members are the map's keys.
                if (owner.Values is { } values)
                {
                    MatchField(member, values, memberPath, problems);
                }
            }
            else
            {
                problems.Add(new FieldProblem(memberPath, $"(Parquet {Describe(member)}) is not defined in the schema"));
            }
        }
    }

    private static void MatchField(ParquetField parquet, XdmField field, string path, List<FieldProblem> problems)
    {
        if (field.Kind == XdmKind.Any)
        {
            return;
        }

        // A repeated field without a LIST annotation is the format's bare list: a list of itself.
        if (parquet.Repetition == Repetition.Repeated)
        {
            if (field.Kind != XdmKind.Array)
            {
                problems.Add(new FieldProblem(path, $"expects {XdmValues.Article(field)} but the Parquet field is repeated (a list)"));
            }
            else if (field.Values is { } items)
            {
                MatchValue(parquet, items, path + "[]", problems);
            }

            return;
        }

        MatchValue(parquet, field, path, problems);
    }

    /// <summary>Like <see cref="MatchField"/>, ignoring the Parquet field's repetition (it has been accounted for).</summary>
    private static void MatchValue(ParquetField parquet, XdmField field, string path, List<FieldProblem> problems)
    {
        if (field.Kind == XdmKind.Any)
        {
            return;
        }

        switch (parquet)
        {
            case StructField group:
                if (field.Kind != XdmKind.Object)
                {
                    problems.Add(new FieldProblem(path, $"expects {XdmValues.Article(field)} but the Parquet field is a group (an object)"));
                    return;
                }

                MatchMembers(group.Fields, field, path, problems);
                return;

            case ListField list:
                if (field.Kind != XdmKind.Array)
                {
                    problems.Add(new FieldProblem(path, $"expects {XdmValues.Article(field)} but the Parquet field is a LIST; arrays do not convert"));
                    return;
                }

                if (field.Values is { } items)
                {
                    MatchField(list.Element, items, path + "[]", problems);
                }

                return;

            case MapField map:
                if (field.Kind != XdmKind.Object)
                {
                    problems.Add(new FieldProblem(path, $"expects {XdmValues.Article(field)} but the Parquet field is a MAP"));
                    return;
                }

                if (map.Key is not PrimitiveField key || Classify(key) != ValueKind.Text)
                {
                    problems.Add(new FieldProblem(path, $"is a MAP whose keys are {Describe(map.Key)}; XDM map keys are strings"));
                    return;
                }

                // A map for a map field takes the field's value schema; a map for an object with named
                // properties (object and map convert) has its keys and values checked per row.
                if (field.AcceptsAnyKey && field.Values is { } values && map.Value is { } value)
                {
                    MatchField(value, values, path + "{}", problems);
                }

                return;

            case PrimitiveField primitive:
                if (MatchPrimitive(primitive, field) is { } problem)
                {
                    problems.Add(new FieldProblem(path, problem));
                }

                return;
        }
    }

    private enum ValueKind
    {
        Boolean,
        Integer,
        Decimal,
        Floating,
        Text,
        Date,
        Timestamp,
        Time,
        Binary,
        AlwaysNull,
    }

    private static ValueKind Classify(PrimitiveField column)
    {
        if (column.PhysicalType == PhysicalType.Int96)
        {
            return ValueKind.Timestamp;
        }

        return column.LogicalType?.Kind switch
        {
            LogicalTypeKind.String or LogicalTypeKind.Enum or LogicalTypeKind.Json or LogicalTypeKind.Uuid => ValueKind.Text,
            LogicalTypeKind.Integer => ValueKind.Integer,
            LogicalTypeKind.Decimal => ValueKind.Decimal,
            LogicalTypeKind.Float16 => ValueKind.Floating,
            LogicalTypeKind.Date => ValueKind.Date,
            LogicalTypeKind.Timestamp => ValueKind.Timestamp,
            LogicalTypeKind.Time => ValueKind.Time,
            LogicalTypeKind.Null => ValueKind.AlwaysNull,
            null or LogicalTypeKind.Unrecognized => column.PhysicalType switch
            {
                PhysicalType.Boolean => ValueKind.Boolean,
                PhysicalType.Int32 or PhysicalType.Int64 => ValueKind.Integer,
                PhysicalType.Float or PhysicalType.Double => ValueKind.Floating,
                _ => ValueKind.Binary,
            },
            _ => ValueKind.Binary,
        };
    }

    /// <summary>Null when the column's values can fill the field, else what is wrong (phrased to follow "field 'x' ").</summary>
    private static string? MatchPrimitive(PrimitiveField column, XdmField field)
    {
        var kind = Classify(column);
        if (kind == ValueKind.AlwaysNull)
        {
            return null;
        }

        var type = Describe(column);
        var expects = $"expects {XdmValues.Article(field)} but the Parquet column is {type}";
        switch (field.Kind)
        {
            case XdmKind.String when field.IsDate:
                // Dates: DATE, ISO 8601 text, or whole numbers (epoch milliseconds).
                return kind is ValueKind.Date or ValueKind.Text or ValueKind.Integer ? null : expects + Why(kind);
            case XdmKind.String when field.IsDateTime:
                return kind is ValueKind.Timestamp or ValueKind.Text or ValueKind.Integer ? null : expects + Why(kind);
            case XdmKind.String:
                return kind == ValueKind.Text ? null : expects + Why(kind);
            case XdmKind.Integer:
                // Width and sign are checked per value, as for JSON numbers: an INT64 column may fill an int field.
                return kind is ValueKind.Integer or ValueKind.Text ? null
                    : expects + (kind is ValueKind.Floating or ValueKind.Decimal ? "; fractional numbers do not convert to integers" : Why(kind));
            case XdmKind.Number:
                return kind is ValueKind.Integer or ValueKind.Decimal or ValueKind.Floating or ValueKind.Text ? null : expects + Why(kind);
            case XdmKind.Boolean:
                return kind == ValueKind.Boolean ? null : expects + "; only BOOLEAN columns fill boolean fields";
            case XdmKind.Object:
                return $"is {XdmValues.Article(field)} but the Parquet column is {type}, not a group{(field.AcceptsAnyKey ? " or MAP" : string.Empty)}";
            default:
                return $"is an array but the Parquet column is {type}, not a LIST";
        }
    }

    private static string Why(ValueKind kind) => kind switch
    {
        ValueKind.Boolean => "; booleans do not convert",
        ValueKind.Integer or ValueKind.Decimal or ValueKind.Floating => "; numbers do not convert to strings",
        ValueKind.Binary => "; binary data does not convert (annotate text columns as STRING)",
        ValueKind.Time => "; times of day do not convert",
        _ => string.Empty,
    };

    /// <summary>"INT64", "BYTE_ARRAY (STRING)", "INT64 (TIMESTAMP(MICROS,UTC))", "a group", "a LIST"...</summary>
    public static string Describe(ParquetField field) => field switch
    {
        PrimitiveField p => Describe(p),
        StructField => "group",
        ListField => "LIST",
        MapField => "MAP",
        _ => "field",
    };

    private static string Describe(PrimitiveField column)
    {
        var physical = column.PhysicalType switch
        {
            PhysicalType.Boolean => "BOOLEAN",
            PhysicalType.Int32 => "INT32",
            PhysicalType.Int64 => "INT64",
            PhysicalType.Int96 => "INT96",
            PhysicalType.Float => "FLOAT",
            PhysicalType.Double => "DOUBLE",
            PhysicalType.ByteArray => "BYTE_ARRAY",
            PhysicalType.FixedLenByteArray => $"FIXED_LEN_BYTE_ARRAY({column.TypeLength})",
            _ => column.PhysicalType.ToString().ToUpperInvariant(),
        };
        return column.LogicalType is { } logical ? $"{physical} ({logical})" : physical;
    }
}
