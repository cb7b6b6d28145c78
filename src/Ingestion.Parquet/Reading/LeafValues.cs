using System.Buffers.Binary;
using Ingestion.Parquet.Reading;

namespace Ingestion.Parquet;

/// <summary>Turns physical values into the .NET values row reading returns, following the column's logical type.</summary>
internal static class LeafValues
{
    private const int UnixEpochDayNumber = 719_162; // DateOnly.DayNumber of 1970-01-01

    /// <summary>A function from value index to logical value for one decoded column chunk.</summary>
    public static Func<int, object?> Bind(ColumnData data)
    {
        var field = data.Column.Field;
        var logical = field.LogicalType;
        switch (data)
        {
            case ColumnData<bool> b:
                return i => b.Values[i];
            case ColumnData<int> i32:
                return logical?.Kind switch
                {
                    LogicalTypeKind.Date => i => FromDays(i32.Values[i]),
                    LogicalTypeKind.Decimal => i => DecimalMath.FromUnscaled(i32.Values[i], logical.Scale),
                    LogicalTypeKind.Time => i => TimeSpan.FromTicks(i32.Values[i] * TimeSpan.TicksPerMillisecond),
                    LogicalTypeKind.Integer => (logical.BitWidth, logical.IsSigned) switch
                    {
                        (8, true) => i => (sbyte)i32.Values[i],
                        (16, true) => i => (short)i32.Values[i],
                        (8, false) => i => (byte)i32.Values[i],
                        (16, false) => i => (ushort)i32.Values[i],
                        (32, false) => i => (uint)i32.Values[i],
                        _ => i => i32.Values[i],
                    },
                    _ => i => i32.Values[i],
                };
            case ColumnData<long> i64:
                return logical?.Kind switch
                {
                    LogicalTypeKind.Timestamp => i => FromTimestamp(i64.Values[i], logical.Unit, logical.IsAdjustedToUtc),
                    LogicalTypeKind.Decimal => i => DecimalMath.FromUnscaled(i64.Values[i], logical.Scale),
                    LogicalTypeKind.Time => i => FromTime(i64.Values[i], logical.Unit),
                    LogicalTypeKind.Integer when !logical.IsSigned => i => (ulong)i64.Values[i],
                    _ => i => i64.Values[i],
                };
            case ColumnData<Int96> i96:
                return i => i96.Values[i].ToDateTime() ?? (object)i96.Values[i];
            case ColumnData<float> f:
                return i => f.Values[i];
            case ColumnData<double> d:
                return i => d.Values[i];
            case ByteArrayColumnData bytes:
                return logical?.Kind switch
                {
                    LogicalTypeKind.String or LogicalTypeKind.Json or LogicalTypeKind.Enum => i => bytes.GetString(i),
                    LogicalTypeKind.Decimal => i => DecimalMath.FromUnscaled(DecimalMath.ReadBigEndian(DecimalBytes(bytes, i)), logical.Scale),
                    LogicalTypeKind.Uuid => i => new Guid(bytes.GetValue(i), bigEndian: true),
                    LogicalTypeKind.Float16 => i => BinaryPrimitives.ReadHalfLittleEndian(bytes.GetValue(i)),
                    _ => i => bytes.GetValue(i).ToArray(),
                };
            default:
                throw new InvalidOperationException($"Unexpected column data {data.GetType().Name}.");
        }
    }

    // Precision is capped at 1000 digits when the schema is read; 512 bytes hold more than that. Longer values are
    // corrupt, and turning them into text would cost time quadratic in their length.
    private const int MaxDecimalBytes = 512;

    private static ReadOnlySpan<byte> DecimalBytes(ByteArrayColumnData data, int index)
    {
        var value = data.GetValue(index);
        if (value.Length > MaxDecimalBytes)
        {
            throw new ParquetFormatException($"Column '{data.Column.DottedPath}' holds a {value.Length}-byte DECIMAL value, more than any precision allows.");
        }
        return value;
    }

    private static object FromDays(int days)
    {
        long dayNumber = (long)UnixEpochDayNumber + days;
        return dayNumber is >= 0 and <= 3_652_058 ? DateOnly.FromDayNumber((int)dayNumber) : days;
    }

    private static object FromTimestamp(long value, TimeUnit unit, bool utc)
    {
        Int128 ticks = unit switch
        {
            TimeUnit.Millis => (Int128)value * TimeSpan.TicksPerMillisecond,
            TimeUnit.Micros => (Int128)value * 10,
            _ => (Int128)value / 100,
        };
        ticks += DateTime.UnixEpoch.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return value; // outside DateTime's range: the raw count is the only faithful value
        }
        return new DateTime((long)ticks, utc ? DateTimeKind.Utc : DateTimeKind.Unspecified);
    }

    private static object FromTime(long value, TimeUnit unit) => unit switch
    {
        TimeUnit.Micros => TimeSpan.FromTicks(value * 10),
        TimeUnit.Nanos => TimeSpan.FromTicks(value / 100),
        _ => TimeSpan.FromTicks(value * TimeSpan.TicksPerMillisecond),
    };

    /// <summary>Decodes a PLAIN statistics value (BYTE_ARRAY statistics carry no length prefix); null if malformed.</summary>
    public static object? DecodeStatistic(ColumnDescriptor column, byte[] bytes)
    {
        try
        {
            ColumnData data;
            if (column.PhysicalType is PhysicalType.ByteArray or PhysicalType.FixedLenByteArray)
            {
                if (column.PhysicalType == PhysicalType.FixedLenByteArray && bytes.Length != column.TypeLength)
                {
                    return null;
                }
                data = new ByteArrayColumnData(column, bytes, [0, bytes.Length], 1, null, null, 1);
            }
            else
            {
                var store = ValueStore.Create(column, 1);
                int width = column.PhysicalType switch
                {
                    PhysicalType.Boolean => 1,
                    PhysicalType.Int32 or PhysicalType.Float => 4,
                    PhysicalType.Int96 => 12,
                    _ => 8,
                };
                if (bytes.Length != width)
                {
                    return null;
                }
                store.DecodePlain(bytes, 1, "statistics");
                data = store.ToColumnData(column, null, null, 1);
            }
            return Bind(data)(0);
        }
        catch (ParquetFormatException)
        {
            return null;
        }
    }
}

/// <summary>Which statistics are trustworthy for a column.</summary>
internal static class SortOrder
{
    /// <summary>The deprecated min/max were computed with signed comparison, valid only where that is the column's order.</summary>
    public static bool LegacyStatisticsAreValid(ColumnDescriptor column)
    {
        var logical = column.LogicalType;
        return column.PhysicalType switch
        {
            PhysicalType.Boolean or PhysicalType.Float or PhysicalType.Double => true,
            PhysicalType.Int32 or PhysicalType.Int64 => logical is null || logical.Kind switch
            {
                LogicalTypeKind.Integer => logical.IsSigned,
                LogicalTypeKind.Date or LogicalTypeKind.Decimal or LogicalTypeKind.Timestamp or LogicalTypeKind.Time => true,
                _ => false,
            },
            _ => false,
        };
    }
}
