namespace Ingestion.Parquet;

/// <summary>
/// Conversions from .NET values to the physical values of Parquet logical types, for callers that use the
/// typed, non-boxing column writers.
/// </summary>
public static class ParquetConvert
{
    private const int UnixEpochDayNumber = 719_162;

    /// <summary>DATE: days since 1970-01-01.</summary>
    public static int ToDate(DateOnly date) => date.DayNumber - UnixEpochDayNumber;

    public static DateOnly FromDate(int days) => DateOnly.FromDayNumber(UnixEpochDayNumber + days);

    /// <summary>
    /// TIMESTAMP: units since the Unix epoch. For UTC-adjusted columns a local DateTime is converted to UTC and an
    /// unspecified one is taken as UTC; for local (wall-clock) columns the DateTime's own reading is stored.
    /// </summary>
    public static long ToTimestamp(DateTime value, TimeUnit unit, bool isAdjustedToUtc = true)
    {
        if (isAdjustedToUtc && value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }
        long ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        return unit switch
        {
            TimeUnit.Millis => FloorDiv(ticks, TimeSpan.TicksPerMillisecond),
            TimeUnit.Micros => FloorDiv(ticks, 10),
            _ => checked(ticks * 100),
        };
    }

    public static long ToTimestamp(DateTimeOffset value, TimeUnit unit) => ToTimestamp(value.UtcDateTime, unit, true);

    public static DateTime FromTimestamp(long value, TimeUnit unit, bool isAdjustedToUtc = true)
    {
        long ticks = unit switch
        {
            TimeUnit.Millis => value * TimeSpan.TicksPerMillisecond,
            TimeUnit.Micros => value * 10,
            _ => value / 100,
        };
        return new DateTime(DateTime.UnixEpoch.Ticks + ticks, isAdjustedToUtc ? DateTimeKind.Utc : DateTimeKind.Unspecified);
    }

    /// <summary>The unscaled integer of a decimal for a DECIMAL(precision, scale) column on INT32 or INT64.</summary>
    public static long ToUnscaledDecimal(decimal value, int precision, int scale) => DecimalMath.ToUnscaledInt64(value, scale, precision);

    /// <summary>UUID: the 16 bytes in RFC 4122 (big-endian) order.</summary>
    public static void WriteUuid(Guid value, Span<byte> destination) => value.TryWriteBytes(destination, bigEndian: true, out _);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
