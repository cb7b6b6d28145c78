using System.Collections;

namespace Ingestion.Core.Conversion;

internal enum InferredKind
{
    Unknown,
    Boolean,
    Int64,
    Double,
    Date,
    Timestamp,
    String,
    Struct,
    List,
}

/// <summary>Two values of one field whose types cannot be reconciled, found while inferring the schema.</summary>
internal sealed class InferenceConflict(string path, long row, string message) : Exception(message)
{
    public string Path { get; } = path;

    public long Row { get; } = row;
}

/// <summary>
/// The type inferred for one field, widened value by value: integers to doubles, dates to date-times, and text of
/// mixed shapes to strings. Text (CSV cells, JSON strings) widens freely, since it is all text; values of different
/// JSON or .NET types (a number and a string, an object and a list) conflict, unless string fallback is allowed.
/// </summary>
internal sealed class TypeNode
{
    private Dictionary<string, TypeNode>? fields;
    private List<string>? order;

    public InferredKind Kind { get; private set; }

    /// <summary>Every value seen was text, so a value of another shape widens the field to a string rather than conflicting.</summary>
    public bool FromText { get; private set; } = true;

    /// <summary>Conflicting values made this a string field; its non-string values are written as their text.</summary>
    public bool FellBack { get; private set; }

    public long FirstRow { get; private set; }

    public TypeNode? Element { get; private set; }

    public IEnumerable<(string Name, TypeNode Node)> Fields => order is null ? [] : order.Select(n => (n, fields![n]));

    public TypeNode? Field(string name) => fields?.GetValueOrDefault(name);

    public TypeNode GetOrAddField(string name)
    {
        fields ??= new Dictionary<string, TypeNode>(StringComparer.Ordinal);
        order ??= [];
        if (!fields.TryGetValue(name, out var node))
        {
            fields[name] = node = new TypeNode();
            order.Add(name);
        }

        return node;
    }

    /// <summary>Widens the field to hold a text value (a CSV cell): never conflicts, the worst case is a string.</summary>
    public void ObserveText(TextClass text, long row)
    {
        if (text == TextClass.Empty)
        {
            return;
        }

        var kind = text switch
        {
            TextClass.Boolean => InferredKind.Boolean,
            TextClass.Int64 => InferredKind.Int64,
            TextClass.Double => InferredKind.Double,
            TextClass.Date => InferredKind.Date,
            TextClass.Timestamp => InferredKind.Timestamp,
            _ => InferredKind.String,
        };
        if (Kind == InferredKind.Unknown)
        {
            Kind = kind;
            FirstRow = row;
            return;
        }

        Kind = Widen(Kind, kind) ?? InferredKind.String;
    }

    /// <summary>Widens the field to hold a record value (JSON or a pipeline object).</summary>
    public void Observe(object? value, long row, string path, bool allowFallback)
    {
        if (value is null)
        {
            return;
        }

        var (kind, fromText) = KindOf(value);
        if (FellBack)
        {
            return;
        }

        if (Kind == InferredKind.Unknown)
        {
            Kind = kind;
            FromText = fromText;
            FirstRow = row;
        }
        else
        {
            var widened = Kind == kind ? kind : Widen(Kind, kind);
            if (widened is null && FromText && fromText && IsScalar(Kind) && IsScalar(kind))
            {
                widened = InferredKind.String;
            }

            if (widened is null)
            {
                if (!allowFallback)
                {
                    throw new InferenceConflict(path, row, string.Format(Messages.InferenceConflict, Describe(Kind, FromText), FirstRow, Describe(kind, fromText)));
                }

                FallBack();
                return;
            }

            Kind = widened.Value;
            FromText &= fromText;
        }

        if (Kind == InferredKind.Struct)
        {
            foreach (var (name, child) in Members(value))
            {
                GetOrAddField(name).Observe(child, row, path + "." + name, allowFallback);
            }
        }
        else if (Kind == InferredKind.List)
        {
            Element ??= new TypeNode();
            foreach (var item in (IEnumerable)value)
            {
                Element.Observe(item, row, path + "[]", allowFallback);
            }
        }
    }

    /// <summary>The schema field this node stands for. Fields never seen with a value become strings.</summary>
    public DataField ToField(string name) => Kind switch
    {
        InferredKind.Boolean => new DataField(name, DataType.Boolean),
        InferredKind.Int64 => new DataField(name, DataType.Int64),
        InferredKind.Double => new DataField(name, DataType.Double),
        InferredKind.Date => new DataField(name, DataType.Date),
        InferredKind.Timestamp => new DataField(name, DataType.Timestamp),
        InferredKind.Struct when order is { Count: > 0 } => DataField.Struct(name, Fields.Select(f => f.Node.ToField(f.Name))),
        InferredKind.List => DataField.List(name, (Element ?? new TypeNode()).ToField("element")),
        _ => new DataField(name, DataType.String),
    };

    internal static (InferredKind Kind, bool FromText) KindOf(object value) => value switch
    {
        bool => (InferredKind.Boolean, false),
        sbyte or byte or short or ushort or int or uint or long => (InferredKind.Int64, false),
        ulong u => (u <= long.MaxValue ? InferredKind.Int64 : InferredKind.Double, false),
        float or double or decimal => (InferredKind.Double, false),
        string s => (TextValues.Classify(s, scalars: false) switch
        {
            TextClass.Date => InferredKind.Date,
            TextClass.Timestamp => InferredKind.Timestamp,
            _ => InferredKind.String,
        }, true),
        DateTime or DateTimeOffset => (InferredKind.Timestamp, false),
        DateOnly => (InferredKind.Date, false),
        IReadOnlyDictionary<string, object?> or IDictionary => (InferredKind.Struct, false),
        byte[] => (InferredKind.String, false),
        IEnumerable => (InferredKind.List, false),
        _ => (InferredKind.String, true),
    };

    internal static IEnumerable<(string Name, object? Value)> Members(object value)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> map:
                foreach (var (key, item) in map)
                {
                    yield return (key, item);
                }

                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    yield return (Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
                }

                break;
        }
    }

    private void FallBack()
    {
        Kind = InferredKind.String;
        FellBack = true;
        FromText = false;
        fields = null;
        order = null;
        Element = null;
    }

    private static InferredKind? Widen(InferredKind a, InferredKind b) => (a, b) switch
    {
        _ when a == b && IsScalar(a) => a,
        (InferredKind.Int64, InferredKind.Double) or (InferredKind.Double, InferredKind.Int64) => InferredKind.Double,
        (InferredKind.Date, InferredKind.Timestamp) or (InferredKind.Timestamp, InferredKind.Date) => InferredKind.Timestamp,
        _ => null,
    };

    private static bool IsScalar(InferredKind kind) => kind is not (InferredKind.Struct or InferredKind.List or InferredKind.Unknown);

    private static string Describe(InferredKind kind, bool fromText) => kind switch
    {
        InferredKind.Boolean => "booleans",
        InferredKind.Int64 => "integers",
        InferredKind.Double => "numbers",
        InferredKind.Date => fromText ? "date strings" : "dates",
        InferredKind.Timestamp => fromText ? "date-time strings" : "date-times",
        InferredKind.String => "strings",
        InferredKind.Struct => "objects",
        InferredKind.List => "arrays",
        _ => "nulls",
    };
}
