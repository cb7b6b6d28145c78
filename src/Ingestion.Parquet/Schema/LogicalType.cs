namespace Ingestion.Parquet;

/// <summary>Kinds of logical type annotation (the members of the format's LogicalType union).</summary>
public enum LogicalTypeKind
{
    String,
    Map,
    List,
    Enum,
    Decimal,
    Date,
    Time,
    Timestamp,
    Interval,
    Integer,
    /// <summary>The format's UNKNOWN (always-null) type.</summary>
    Null,
    Json,
    Bson,
    Uuid,
    Float16,
    Variant,
    Geometry,
    Geography,
    /// <summary>A union member newer than this codec; the column reads as its physical type.</summary>
    Unrecognized,
}

public enum TimeUnit
{
    Millis,
    Micros,
    Nanos,
}

/// <summary>
/// A logical type annotation: how to interpret a physical type. Instances compare by value.
/// </summary>
public sealed record LogicalType
{
    private LogicalType(LogicalTypeKind kind) => Kind = kind;

    public LogicalTypeKind Kind { get; }

    /// <summary>Decimal precision (total digits).</summary>
    public int Precision { get; private init; }

    /// <summary>Decimal scale (digits after the point).</summary>
    public int Scale { get; private init; }

    /// <summary>Integer bit width: 8, 16, 32 or 64.</summary>
    public int BitWidth { get; private init; }

    public bool IsSigned { get; private init; }

    /// <summary>For TIME and TIMESTAMP: the value is an instant in UTC rather than a local wall-clock time.</summary>
    public bool IsAdjustedToUtc { get; private init; }

    public TimeUnit Unit { get; private init; }

    /// <summary>The Thrift field id of an <see cref="LogicalTypeKind.Unrecognized"/> annotation.</summary>
    public int UnrecognizedId { get; private init; }

    public static LogicalType String { get; } = new(LogicalTypeKind.String);
    public static LogicalType Map { get; } = new(LogicalTypeKind.Map);
    public static LogicalType List { get; } = new(LogicalTypeKind.List);
    public static LogicalType Enum { get; } = new(LogicalTypeKind.Enum);
    public static LogicalType Date { get; } = new(LogicalTypeKind.Date);
    public static LogicalType Interval { get; } = new(LogicalTypeKind.Interval);
    public static LogicalType Null { get; } = new(LogicalTypeKind.Null);
    public static LogicalType Json { get; } = new(LogicalTypeKind.Json);
    public static LogicalType Bson { get; } = new(LogicalTypeKind.Bson);
    public static LogicalType Uuid { get; } = new(LogicalTypeKind.Uuid);
    public static LogicalType Float16 { get; } = new(LogicalTypeKind.Float16);
    public static LogicalType Variant { get; } = new(LogicalTypeKind.Variant);
    public static LogicalType Geometry { get; } = new(LogicalTypeKind.Geometry);
    public static LogicalType Geography { get; } = new(LogicalTypeKind.Geography);

    public static LogicalType Decimal(int precision, int scale)
    {
        if (precision < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Decimal precision must be at least 1.");
        }
        if (scale < 0 || scale > precision)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Decimal scale must be between 0 and the precision.");
        }
        return new(LogicalTypeKind.Decimal) { Precision = precision, Scale = scale };
    }

    public static LogicalType Timestamp(TimeUnit unit, bool isAdjustedToUtc = true) =>
        new(LogicalTypeKind.Timestamp) { Unit = unit, IsAdjustedToUtc = isAdjustedToUtc };

    public static LogicalType Time(TimeUnit unit, bool isAdjustedToUtc = true) =>
        new(LogicalTypeKind.Time) { Unit = unit, IsAdjustedToUtc = isAdjustedToUtc };

    public static LogicalType Integer(int bitWidth, bool isSigned = true)
    {
        if (bitWidth is not (8 or 16 or 32 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(bitWidth), bitWidth, "Integer bit width must be 8, 16, 32 or 64.");
        }
        return new(LogicalTypeKind.Integer) { BitWidth = bitWidth, IsSigned = isSigned };
    }

    internal static LogicalType Unrecognized(int fieldId) => new(LogicalTypeKind.Unrecognized) { UnrecognizedId = fieldId };

    // Decoding a file must not throw from the public factory's validation, so the reader uses these.
    internal static LogicalType UncheckedDecimal(int precision, int scale) =>
        new(LogicalTypeKind.Decimal) { Precision = precision, Scale = scale };

    internal static LogicalType UncheckedInteger(int bitWidth, bool isSigned) =>
        new(LogicalTypeKind.Integer) { BitWidth = bitWidth, IsSigned = isSigned };

    public override string ToString() => Kind switch
    {
        LogicalTypeKind.Decimal => $"DECIMAL({Precision},{Scale})",
        LogicalTypeKind.Timestamp => $"TIMESTAMP({Unit.ToString().ToUpperInvariant()},{(IsAdjustedToUtc ? "UTC" : "local")})",
        LogicalTypeKind.Time => $"TIME({Unit.ToString().ToUpperInvariant()},{(IsAdjustedToUtc ? "UTC" : "local")})",
        LogicalTypeKind.Integer => $"INT({BitWidth},{(IsSigned ? "signed" : "unsigned")})",
        LogicalTypeKind.Unrecognized => $"UNRECOGNIZED({UnrecognizedId})",
        _ => Kind.ToString().ToUpperInvariant(),
    };
}
