using System.Text;
using Ingestion.Parquet;

namespace Ingestion.Core.Conversion;

/// <summary>The value types a converted file can hold: the XDM types AEP's own Parquet writers produce, plus their containers.</summary>
public enum DataType
{
    Boolean,

    /// <summary>XDM <c>byte</c>: INT32 annotated INT(8).</summary>
    Int8,

    /// <summary>XDM <c>short</c>: INT32 annotated INT(16).</summary>
    Int16,

    /// <summary>XDM <c>int</c>: INT32.</summary>
    Int32,

    /// <summary>XDM <c>long</c> and plain <c>integer</c>: INT64.</summary>
    Int64,

    /// <summary>XDM <c>number</c>/<c>double</c>: DOUBLE.</summary>
    Double,

    String,

    /// <summary>Days since 1970-01-01: INT32 annotated DATE.</summary>
    Date,

    /// <summary>Instants: INT64 annotated TIMESTAMP(MICROS, UTC).</summary>
    Timestamp,

    Struct,
    List,

    /// <summary>String keys to values of one type (XDM <c>map</c>, such as identityMap).</summary>
    Map,
}

/// <summary>
/// One field of a <see cref="DataSchema"/>. Fields are immutable trees: a struct has <see cref="Fields"/>, a list an
/// <see cref="Element"/>, a map a <see cref="Value"/> (its keys are strings).
/// </summary>
public sealed class DataField
{
    private Dictionary<string, DataField>? byName;

    public DataField(string name, DataType type, bool nullable = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        Nullable = nullable;
    }

    public string Name { get; }

    public DataType Type { get; }

    /// <summary>Whether the field may be null or missing (true for every XDM field).</summary>
    public bool Nullable { get; }

    public IReadOnlyList<DataField> Fields { get; init; } = [];

    public DataField? Element { get; init; }

    public DataField? Value { get; init; }

    /// <summary>Allowed values of an XDM string field with an <c>enum</c>; null when any string is allowed.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    public bool IsScalar => Type is not (DataType.Struct or DataType.List or DataType.Map);

    public bool IsInteger => Type is DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64;

    /// <summary>The smallest and largest value an integer field holds.</summary>
    public (long Min, long Max) IntegerRange => Type switch
    {
        DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DataType.Int16 => (short.MinValue, short.MaxValue),
        DataType.Int32 => (int.MinValue, int.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    /// <summary>The child of a struct by its exact name.</summary>
    public DataField? Field(string name)
    {
        if (Fields.Count == 0)
        {
            return null;
        }

        byName ??= Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        return byName.GetValueOrDefault(name);
    }

    /// <summary>The type as the schema file format writes it (<c>int64</c>, <c>list&lt;string&gt;</c>).</summary>
    public string TypeName => Type switch
    {
        DataType.List => $"list<{Element!.TypeName}>",
        DataType.Map => $"map<string, {Value!.TypeName}>",
        _ => SchemaJson.NameOf(Type),
    };

    /// <summary>The type as XDM names it, for messages about a dataset's schema.</summary>
    public string XdmTypeName => Type switch
    {
        DataType.Int8 => "byte",
        DataType.Int16 => "short",
        DataType.Int32 => "int",
        DataType.Int64 => "long",
        DataType.Double => "double",
        DataType.Date => "date",
        DataType.Timestamp => "date-time",
        DataType.Struct => "object",
        DataType.List => "array",
        _ => Type.ToString().ToLowerInvariant(),
    };

    public DataField WithName(string name) => new(name, Type, Nullable) { Fields = Fields, Element = Element, Value = Value, Enum = Enum };

    public DataField WithNullable(bool nullable) => new(Name, Type, nullable) { Fields = Fields, Element = Element, Value = Value, Enum = Enum };

    public static DataField Struct(string name, IEnumerable<DataField> fields, bool nullable = true)
    {
        var list = fields.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in list)
        {
            if (!seen.Add(field.Name))
            {
                throw new ArgumentException($"Struct '{name}' has two fields named '{field.Name}'.", nameof(fields));
            }
        }

        return new DataField(name, DataType.Struct, nullable) { Fields = list };
    }

    public static DataField List(string name, DataField element, bool nullable = true) => new(name, DataType.List, nullable) { Element = element };

    public static DataField Map(string name, DataField value, bool nullable = true) => new(name, DataType.Map, nullable) { Value = value };

    public override string ToString() => $"{Name} {TypeName}{(Nullable ? string.Empty : " not null")}";
}

/// <summary>
/// The schema a conversion writes: a list of top-level fields. It comes from the data (inferred), from a schema
/// file (<see cref="SchemaJson"/>) or from a dataset's XDM schema (<see cref="XdmSchemaReader"/>), and becomes
/// the Parquet schema of the output.
/// </summary>
public sealed class DataSchema
{
    private readonly Dictionary<string, DataField> byName;

    public DataSchema(IEnumerable<DataField> fields)
    {
        Fields = fields.ToList();
        if (Fields.Count == 0)
        {
            throw new ArgumentException("A schema needs at least one field.", nameof(fields));
        }

        byName = new Dictionary<string, DataField>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!byName.TryAdd(field.Name, field))
            {
                throw new ArgumentException($"The schema has two fields named '{field.Name}'.", nameof(fields));
            }
        }
    }

    public IReadOnlyList<DataField> Fields { get; }

    /// <summary>The top-level field by its exact name.</summary>
    public DataField? Field(string name) => byName.GetValueOrDefault(name);

    /// <summary>The field at a dotted path through structs (<c>person.name.firstName</c>).</summary>
    public DataField? Find(string dottedPath)
    {
        DataField? field = null;
        foreach (var part in dottedPath.Split('.'))
        {
            field = field is null ? Field(part) : field.Field(part);
            if (field is null)
            {
                return null;
            }
        }

        return field;
    }

    /// <summary>The scalar fields reachable through structs only (not inside lists or maps), with their dotted paths.</summary>
    public IEnumerable<(string Path, DataField Field)> Leaves()
    {
        IEnumerable<(string, DataField)> Walk(string prefix, DataField field)
        {
            var path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
            if (field.Type == DataType.Struct)
            {
                foreach (var child in field.Fields)
                {
                    foreach (var leaf in Walk(path, child))
                    {
                        yield return leaf;
                    }
                }
            }
            else if (field.IsScalar)
            {
                yield return (path, field);
            }
        }

        return Fields.SelectMany(f => Walk(string.Empty, f));
    }

    public ParquetSchema ToParquet() => new(Fields.Select(ToParquetField));

    /// <summary>The schema in the schema file format: save it, edit it and pass it back with -Schema.</summary>
    public string ToJson() => SchemaJson.Write(this);

    /// <summary>One line per field, indented by depth: for messages and verbose output.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        void Write(DataField field, int depth)
        {
            text.Append(' ', depth * 2).Append(field.Name).Append(": ").Append(field.Type switch
            {
                DataType.Struct => "struct",
                _ => field.TypeName,
            });
            if (!field.Nullable)
            {
                text.Append(" not null");
            }

            text.Append('\n');
            foreach (var child in field.Fields)
            {
                Write(child, depth + 1);
            }
        }

        foreach (var field in Fields)
        {
            Write(field, 0);
        }

        return text.ToString().TrimEnd('\n');
    }

    internal static ParquetField ToParquetField(DataField field)
    {
        var repetition = field.Nullable ? Repetition.Optional : Repetition.Required;
        return field.Type switch
        {
            DataType.Boolean => PrimitiveField.Boolean(field.Name, repetition),
            DataType.Int8 => PrimitiveField.Integer(field.Name, 8, true, repetition),
            DataType.Int16 => PrimitiveField.Integer(field.Name, 16, true, repetition),
            DataType.Int32 => PrimitiveField.Int32(field.Name, repetition),
            DataType.Int64 => PrimitiveField.Int64(field.Name, repetition),
            DataType.Double => PrimitiveField.Double(field.Name, repetition),
            DataType.String => PrimitiveField.String(field.Name, repetition),
            DataType.Date => PrimitiveField.Date(field.Name, repetition),
            DataType.Timestamp => PrimitiveField.Timestamp(field.Name, TimeUnit.Micros, isAdjustedToUtc: true, repetition),
            DataType.Struct => new StructField(field.Name, field.Fields.Select(ToParquetField), repetition),
            DataType.List => new ListField(field.Name, ToParquetField(field.Element!.WithName("element")), repetition),
            DataType.Map => new MapField(field.Name, PrimitiveField.String("key", Repetition.Required), ToParquetField(field.Value!.WithName("value")), repetition),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }
}
