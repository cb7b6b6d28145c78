namespace Ingestion.Parquet;

/// <summary>A leaf field: one column of values of a physical type, optionally annotated with a logical type.</summary>
public sealed class PrimitiveField : ParquetField
{
    public PrimitiveField(string name, PhysicalType physicalType, Repetition repetition = Repetition.Optional,
        LogicalType? logicalType = null, int typeLength = 0)
        : base(name, repetition)
    {
        PhysicalType = physicalType;
        LogicalType = logicalType;
        TypeLength = typeLength;
    }

    public PhysicalType PhysicalType { get; }

    public LogicalType? LogicalType { get; }

    /// <summary>Byte length of FIXED_LEN_BYTE_ARRAY values; 0 for other types.</summary>
    public int TypeLength { get; }

    /// <summary>The legacy annotation found in a file that has no <see cref="LogicalType"/> equivalent (such as INTERVAL); null otherwise.</summary>
    public ConvertedType? LegacyConvertedType { get; init; }

    public static PrimitiveField Boolean(string name, Repetition repetition = Repetition.Optional) => new(name, PhysicalType.Boolean, repetition);

    public static PrimitiveField Int32(string name, Repetition repetition = Repetition.Optional) => new(name, PhysicalType.Int32, repetition);

    public static PrimitiveField Int64(string name, Repetition repetition = Repetition.Optional) => new(name, PhysicalType.Int64, repetition);

    public static PrimitiveField Float(string name, Repetition repetition = Repetition.Optional) => new(name, PhysicalType.Float, repetition);

    public static PrimitiveField Double(string name, Repetition repetition = Repetition.Optional) => new(name, PhysicalType.Double, repetition);

    /// <summary>UTF-8 text (BYTE_ARRAY annotated STRING).</summary>
    public static PrimitiveField String(string name, Repetition repetition = Repetition.Optional) =>
        new(name, PhysicalType.ByteArray, repetition, LogicalType.String);

    /// <summary>JSON text (BYTE_ARRAY annotated JSON).</summary>
    public static PrimitiveField Json(string name, Repetition repetition = Repetition.Optional) =>
        new(name, PhysicalType.ByteArray, repetition, LogicalType.Json);

    /// <summary>Raw bytes (un-annotated BYTE_ARRAY).</summary>
    public static PrimitiveField Binary(string name, Repetition repetition = Repetition.Optional) => new(name, PhysicalType.ByteArray, repetition);

    public static PrimitiveField FixedLenByteArray(string name, int length, Repetition repetition = Repetition.Optional) =>
        new(name, PhysicalType.FixedLenByteArray, repetition, null, length);

    /// <summary>Days since 1970-01-01 (INT32 annotated DATE).</summary>
    public static PrimitiveField Date(string name, Repetition repetition = Repetition.Optional) =>
        new(name, PhysicalType.Int32, repetition, LogicalType.Date);

    /// <summary>Instant or local date-time as an INT64 count of milli-, micro- or nanoseconds since the epoch.</summary>
    public static PrimitiveField Timestamp(string name, TimeUnit unit = TimeUnit.Micros, bool isAdjustedToUtc = true,
        Repetition repetition = Repetition.Optional) =>
        new(name, PhysicalType.Int64, repetition, LogicalType.Timestamp(unit, isAdjustedToUtc));

    /// <summary>
    /// A decimal stored on the narrowest physical type that holds <paramref name="precision"/> digits:
    /// INT32 up to 9, INT64 up to 18, FIXED_LEN_BYTE_ARRAY beyond.
    /// </summary>
    public static PrimitiveField Decimal(string name, int precision, int scale, Repetition repetition = Repetition.Optional)
    {
        var type = LogicalType.Decimal(precision, scale);
        if (precision <= 9) return new(name, PhysicalType.Int32, repetition, type);
        if (precision <= 18) return new(name, PhysicalType.Int64, repetition, type);
        return new(name, PhysicalType.FixedLenByteArray, repetition, type, DecimalMath.MinimumBytesForPrecision(precision));
    }

    /// <summary>An integer of 8, 16, 32 or 64 bits, signed or unsigned (INT32 or INT64 annotated INTEGER).</summary>
    public static PrimitiveField Integer(string name, int bitWidth, bool isSigned = true, Repetition repetition = Repetition.Optional) =>
        new(name, bitWidth == 64 ? PhysicalType.Int64 : PhysicalType.Int32, repetition, LogicalType.Integer(bitWidth, isSigned));

    /// <summary>A UUID (16-byte FIXED_LEN_BYTE_ARRAY annotated UUID, big-endian as in RFC 4122).</summary>
    public static PrimitiveField Uuid(string name, Repetition repetition = Repetition.Optional) =>
        new(name, PhysicalType.FixedLenByteArray, repetition, LogicalType.Uuid, 16);

    private protected override string Describe()
    {
        string type = ParquetSchema.PhysicalTypeName(PhysicalType, TypeLength);
        return LogicalType is null ? $"{type} {Name}" : $"{type} {Name} ({LogicalType})";
    }
}
