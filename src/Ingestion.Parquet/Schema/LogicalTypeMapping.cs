namespace Ingestion.Parquet;

/// <summary>Translations between logical types and the legacy converted types, and their validity per physical type.</summary>
internal static class LogicalTypeMapping
{
    public static ConvertedType? ToConvertedType(LogicalType type) => type.Kind switch
    {
        LogicalTypeKind.String => ConvertedType.Utf8,
        LogicalTypeKind.Map => ConvertedType.Map,
        LogicalTypeKind.List => ConvertedType.List,
        LogicalTypeKind.Enum => ConvertedType.Enum,
        LogicalTypeKind.Decimal => ConvertedType.Decimal,
        LogicalTypeKind.Date => ConvertedType.Date,
        LogicalTypeKind.Json => ConvertedType.Json,
        LogicalTypeKind.Bson => ConvertedType.Bson,
        LogicalTypeKind.Interval => ConvertedType.Interval,
        // The legacy TIME_*/TIMESTAMP_* annotations mean UTC-adjusted values; local ones have no legacy form.
        LogicalTypeKind.Time when type.IsAdjustedToUtc && type.Unit == TimeUnit.Millis => ConvertedType.TimeMillis,
        LogicalTypeKind.Time when type.IsAdjustedToUtc && type.Unit == TimeUnit.Micros => ConvertedType.TimeMicros,
        LogicalTypeKind.Timestamp when type.IsAdjustedToUtc && type.Unit == TimeUnit.Millis => ConvertedType.TimestampMillis,
        LogicalTypeKind.Timestamp when type.IsAdjustedToUtc && type.Unit == TimeUnit.Micros => ConvertedType.TimestampMicros,
        LogicalTypeKind.Integer => (type.BitWidth, type.IsSigned) switch
        {
            (8, true) => ConvertedType.Int8,
            (16, true) => ConvertedType.Int16,
            (32, true) => ConvertedType.Int32,
            (64, true) => ConvertedType.Int64,
            (8, false) => ConvertedType.UInt8,
            (16, false) => ConvertedType.UInt16,
            (32, false) => ConvertedType.UInt32,
            (64, false) => ConvertedType.UInt64,
            _ => null,
        },
        _ => null,
    };

    /// <summary>The logical type a legacy annotation implies, for files that carry only the converted type.</summary>
    public static LogicalType? FromConvertedType(ConvertedType type, int? precision, int? scale) => type switch
    {
        ConvertedType.Utf8 => LogicalType.String,
        ConvertedType.Map or ConvertedType.MapKeyValue => LogicalType.Map,
        ConvertedType.List => LogicalType.List,
        ConvertedType.Enum => LogicalType.Enum,
        ConvertedType.Decimal => LogicalType.UncheckedDecimal(precision ?? 0, scale ?? 0),
        ConvertedType.Date => LogicalType.Date,
        ConvertedType.TimeMillis => LogicalType.Time(TimeUnit.Millis, true),
        ConvertedType.TimeMicros => LogicalType.Time(TimeUnit.Micros, true),
        ConvertedType.TimestampMillis => LogicalType.Timestamp(TimeUnit.Millis, true),
        ConvertedType.TimestampMicros => LogicalType.Timestamp(TimeUnit.Micros, true),
        ConvertedType.UInt8 => LogicalType.UncheckedInteger(8, false),
        ConvertedType.UInt16 => LogicalType.UncheckedInteger(16, false),
        ConvertedType.UInt32 => LogicalType.UncheckedInteger(32, false),
        ConvertedType.UInt64 => LogicalType.UncheckedInteger(64, false),
        ConvertedType.Int8 => LogicalType.UncheckedInteger(8, true),
        ConvertedType.Int16 => LogicalType.UncheckedInteger(16, true),
        ConvertedType.Int32 => LogicalType.UncheckedInteger(32, true),
        ConvertedType.Int64 => LogicalType.UncheckedInteger(64, true),
        ConvertedType.Json => LogicalType.Json,
        ConvertedType.Bson => LogicalType.Bson,
        ConvertedType.Interval => LogicalType.Interval,
        _ => null,
    };

    /// <summary>Null when the pairing is valid for writing; otherwise why not.</summary>
    public static string? Validate(PrimitiveField field)
    {
        var p = field.PhysicalType;
        if (p == PhysicalType.Int96)
        {
            return "INT96 is deprecated and read-only here; use a TIMESTAMP on INT64";
        }
        if (p == PhysicalType.FixedLenByteArray && field.TypeLength <= 0)
        {
            return "FIXED_LEN_BYTE_ARRAY needs a positive type length";
        }
        if (p != PhysicalType.FixedLenByteArray && field.TypeLength != 0)
        {
            return "only FIXED_LEN_BYTE_ARRAY takes a type length";
        }
        if (p is < PhysicalType.Boolean or > PhysicalType.FixedLenByteArray)
        {
            return $"unknown physical type {(int)p}";
        }
        var t = field.LogicalType;
        if (t is null)
        {
            return null;
        }
        bool ok = t.Kind switch
        {
            LogicalTypeKind.String or LogicalTypeKind.Json or LogicalTypeKind.Enum or LogicalTypeKind.Bson => p == PhysicalType.ByteArray,
            LogicalTypeKind.Date => p == PhysicalType.Int32,
            LogicalTypeKind.Timestamp => p == PhysicalType.Int64,
            LogicalTypeKind.Time => t.Unit == TimeUnit.Millis ? p == PhysicalType.Int32 : p == PhysicalType.Int64,
            LogicalTypeKind.Integer => t.BitWidth == 64 ? p == PhysicalType.Int64 : p == PhysicalType.Int32,
            LogicalTypeKind.Uuid => p == PhysicalType.FixedLenByteArray && field.TypeLength == 16,
            LogicalTypeKind.Float16 => p == PhysicalType.FixedLenByteArray && field.TypeLength == 2,
            LogicalTypeKind.Interval => p == PhysicalType.FixedLenByteArray && field.TypeLength == 12,
            LogicalTypeKind.Decimal => p switch
            {
                PhysicalType.Int32 => t.Precision <= 9,
                PhysicalType.Int64 => t.Precision <= 18,
                PhysicalType.FixedLenByteArray => t.Precision <= DecimalMath.MaxPrecisionForBytes(field.TypeLength),
                PhysicalType.ByteArray => true,
                _ => false,
            },
            LogicalTypeKind.Null => true,
            _ => false,
        };
        return ok ? null : $"logical type {t} cannot annotate {p}{(p == PhysicalType.FixedLenByteArray ? $"({field.TypeLength})" : "")}";
    }
}
