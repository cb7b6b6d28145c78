using System.Globalization;

namespace Ingestion.Parquet;

/// <summary>Conversions from boxed .NET values to a column's physical type, guided by its logical type.</summary>
internal static class ValueConverters
{
    public static Func<object, T> For<T>(ColumnDescriptor column) where T : unmanaged
    {
        object converter = typeof(T) switch
        {
            var t when t == typeof(bool) => (Func<object, bool>)(v => v is bool b ? b : throw Mismatch(column, v, "a bool")),
            var t when t == typeof(int) => Int32Converter(column),
            var t when t == typeof(long) => Int64Converter(column),
            var t when t == typeof(float) => (Func<object, float>)(v => v switch
            {
                float f => f,
                double d => (float)d,
                Half h => (float)h,
                decimal m => (float)m,
                _ => IsInteger(v) ? (float)ToInt64(column, v) : throw Mismatch(column, v, "a float"),
            }),
            var t when t == typeof(double) => (Func<object, double>)(v => v switch
            {
                double d => d,
                float f => f,
                Half h => (double)h,
                decimal m => (double)m,
                _ => IsInteger(v) ? ToInt64(column, v) : throw Mismatch(column, v, "a double"),
            }),
            _ => throw new NotSupportedException($"No converter to {typeof(T).Name}."),
        };
        return (Func<object, T>)converter;
    }

    private static Func<object, int> Int32Converter(ColumnDescriptor column)
    {
        var logical = column.LogicalType;
        switch (logical?.Kind)
        {
            case LogicalTypeKind.Date:
                return v => v switch
                {
                    DateOnly d => ParquetConvert.ToDate(d),
                    DateTime dt => ParquetConvert.ToDate(DateOnly.FromDateTime(dt)),
                    DateTimeOffset dto => ParquetConvert.ToDate(DateOnly.FromDateTime(dto.Date)),
                    int days => days,
                    _ => throw Mismatch(column, v, "a DateOnly, DateTime or day count"),
                };
            case LogicalTypeKind.Decimal:
                return v => (int)DecimalMath.ToUnscaledInt64(ToDecimal(v, column), logical.Scale, logical.Precision);
            case LogicalTypeKind.Time:
                return v => v switch
                {
                    TimeSpan ts => checked((int)(ts.Ticks / TimeSpan.TicksPerMillisecond)),
                    TimeOnly to => (int)(to.Ticks / TimeSpan.TicksPerMillisecond),
                    int ms => ms,
                    _ => throw Mismatch(column, v, "a TimeSpan or TimeOnly"),
                };
            case LogicalTypeKind.Integer:
                {
                    long min = logical.IsSigned ? -(1L << (logical.BitWidth - 1)) : 0;
                    long max = logical.IsSigned ? (1L << (logical.BitWidth - 1)) - 1 : (1L << logical.BitWidth) - 1;
                    return v =>
                    {
                        long x = ToInt64(column, v);
                        if (x < min || x > max)
                        {
                            throw new ArgumentOutOfRangeException(nameof(v), v, $"Column '{column.DottedPath}' ({logical}) takes {min}..{max}.");
                        }
                        return unchecked((int)x);
                    };
                }
            default:
                return v =>
                {
                    long x = ToInt64(column, v);
                    if (x < int.MinValue || x > int.MaxValue)
                    {
                        throw new ArgumentOutOfRangeException(nameof(v), v, $"Column '{column.DottedPath}' is INT32.");
                    }
                    return (int)x;
                };
        }
    }

    private static Func<object, long> Int64Converter(ColumnDescriptor column)
    {
        var logical = column.LogicalType;
        switch (logical?.Kind)
        {
            case LogicalTypeKind.Timestamp:
                return v => v switch
                {
                    DateTime dt => ParquetConvert.ToTimestamp(dt, logical.Unit, logical.IsAdjustedToUtc),
                    DateTimeOffset dto => logical.IsAdjustedToUtc
                        ? ParquetConvert.ToTimestamp(dto.UtcDateTime, logical.Unit, true)
                        : ParquetConvert.ToTimestamp(dto.DateTime, logical.Unit, false),
                    long raw => raw,
                    _ => throw Mismatch(column, v, "a DateTime or DateTimeOffset"),
                };
            case LogicalTypeKind.Decimal:
                return v => DecimalMath.ToUnscaledInt64(ToDecimal(v, column), logical.Scale, logical.Precision);
            case LogicalTypeKind.Time:
                return v =>
                {
                    long ticks = v switch
                    {
                        TimeSpan ts => ts.Ticks,
                        TimeOnly to => to.Ticks,
                        long raw => logical.Unit == TimeUnit.Micros ? raw * 10 : raw / 100,
                        _ => throw Mismatch(column, v, "a TimeSpan or TimeOnly"),
                    };
                    return logical.Unit == TimeUnit.Micros ? ticks / 10 : checked(ticks * 100);
                };
            case LogicalTypeKind.Integer when !logical.IsSigned:
                return v => v switch
                {
                    ulong u => unchecked((long)u),
                    _ => ToInt64(column, v) is var x && x >= 0 ? x : throw new ArgumentOutOfRangeException(nameof(v), v, $"Column '{column.DottedPath}' is unsigned."),
                };
            default:
                return v => ToInt64(column, v);
        }
    }

    public static bool IsInteger(object v) => v is sbyte or byte or short or ushort or int or uint or long or ulong;

    public static long ToInt64(ColumnDescriptor column, object v) => v switch
    {
        int i => i,
        long l => l,
        short s => s,
        sbyte sb => sb,
        byte b => b,
        ushort us => us,
        uint ui => ui,
        ulong ul when ul <= long.MaxValue => (long)ul,
        _ => throw Mismatch(column, v, "an integer"),
    };

    public static decimal ToDecimal(object v, ColumnDescriptor column) => v switch
    {
        decimal d => d,
        double dbl => (decimal)dbl,
        float f => (decimal)f,
        string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => IsInteger(v) ? v is ulong ul ? ul : ToInt64(column, v) : throw Mismatch(column, v, "a decimal"),
    };

    private static ArgumentException Mismatch(ColumnDescriptor column, object value, string expected) =>
        new($"Column '{column.DottedPath}' ({column.Field}) expects {expected}; got {value.GetType().Name} '{value}'.");
}
