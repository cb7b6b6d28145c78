using System.Buffers.Binary;
using Ingestion.Parquet.Format;

namespace Ingestion.Parquet.Writing;

/// <summary>
/// Min/max/null-count of a column chunk in the column's sort order: signed for signed integers, unsigned for
/// unsigned ones and for bytes, numeric for decimals, NaN left out for floating point.
/// </summary>
internal static class ColumnStatisticsBuilder
{
    // Above this, min/max are left out rather than bloating the footer (the approach Arrow takes).
    private const int MaxBinaryStatisticLength = 4096;

    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Statistics Build(ColumnWriter column, long nullCount)
    {
        var stats = new Statistics { NullCount = nullCount };
        byte[]? min = null, max = null;
        var logical = column.Column.LogicalType;
        bool unsigned = logical is { Kind: LogicalTypeKind.Integer, IsSigned: false };
        switch (column)
        {
            case ColumnWriter<bool> b when b.ValueCount > 0:
                {
                    bool anyTrue = b.Values.Contains(true), anyFalse = b.Values.Contains(false);
                    min = [(byte)(anyFalse ? 0 : 1)];
                    max = [(byte)(anyTrue ? 1 : 0)];
                    break;
                }
            case ColumnWriter<int> i when i.ValueCount > 0:
                {
                    var v = i.Values;
                    int lo = v[0], hi = v[0];
                    if (unsigned)
                    {
                        foreach (int x in v)
                        {
                            if ((uint)x < (uint)lo) lo = x;
                            if ((uint)x > (uint)hi) hi = x;
                        }
                    }
                    else
                    {
                        foreach (int x in v)
                        {
                            if (x < lo) lo = x;
                            if (x > hi) hi = x;
                        }
                    }
                    min = new byte[4];
                    max = new byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(min, lo);
                    BinaryPrimitives.WriteInt32LittleEndian(max, hi);
                    break;
                }
            case ColumnWriter<long> l when l.ValueCount > 0:
                {
                    var v = l.Values;
                    long lo = v[0], hi = v[0];
                    if (unsigned)
                    {
                        foreach (long x in v)
                        {
                            if ((ulong)x < (ulong)lo) lo = x;
                            if ((ulong)x > (ulong)hi) hi = x;
                        }
                    }
                    else
                    {
                        foreach (long x in v)
                        {
                            if (x < lo) lo = x;
                            if (x > hi) hi = x;
                        }
                    }
                    min = new byte[8];
                    max = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(min, lo);
                    BinaryPrimitives.WriteInt64LittleEndian(max, hi);
                    break;
                }
            case ColumnWriter<float> f when f.ValueCount > 0:
                {
                    float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
                    bool any = false;
                    foreach (float x in f.Values)
                    {
                        if (float.IsNaN(x)) continue;
                        any = true;
                        if (x < lo) lo = x;
                        if (x > hi) hi = x;
                    }
                    if (any)
                    {
                        // Zero's sign is not ordered, so widen: a zero minimum is -0, a zero maximum +0.
                        if (lo == 0) lo = -0.0f;
                        if (hi == 0) hi = 0.0f;
                        min = new byte[4];
                        max = new byte[4];
                        BinaryPrimitives.WriteSingleLittleEndian(min, lo);
                        BinaryPrimitives.WriteSingleLittleEndian(max, hi);
                    }
                    break;
                }
            case ColumnWriter<double> d when d.ValueCount > 0:
                {
                    double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                    bool any = false;
                    foreach (double x in d.Values)
                    {
                        if (double.IsNaN(x)) continue;
                        any = true;
                        if (x < lo) lo = x;
                        if (x > hi) hi = x;
                    }
                    if (any)
                    {
                        if (lo == 0) lo = -0.0;
                        if (hi == 0) hi = 0.0;
                        min = new byte[8];
                        max = new byte[8];
                        BinaryPrimitives.WriteDoubleLittleEndian(min, lo);
                        BinaryPrimitives.WriteDoubleLittleEndian(max, hi);
                    }
                    break;
                }
            case ByteArrayColumnWriter bytes when bytes.ValueCount > 0 && logical?.Kind is not (LogicalTypeKind.Float16 or LogicalTypeKind.Interval):
                {
                    var data = bytes.Data;
                    var offsets = bytes.Offsets;
                    bool isDecimal = logical?.Kind == LogicalTypeKind.Decimal;
                    int loIndex = 0, hiIndex = 0;
                    for (int k = 1; k < bytes.ValueCount; k++)
                    {
                        var x = data[offsets[k]..offsets[k + 1]];
                        if (Compare(x, data[offsets[loIndex]..offsets[loIndex + 1]], isDecimal) < 0) loIndex = k;
                        if (Compare(x, data[offsets[hiIndex]..offsets[hiIndex + 1]], isDecimal) > 0) hiIndex = k;
                    }
                    var lo = data[offsets[loIndex]..offsets[loIndex + 1]];
                    var hi = data[offsets[hiIndex]..offsets[hiIndex + 1]];
                    if (lo.Length <= MaxBinaryStatisticLength && hi.Length <= MaxBinaryStatisticLength)
                    {
                        min = lo.ToArray();
                        max = hi.ToArray();
                    }
                    break;
                }
        }
        if (min is not null && max is not null)
        {
            stats.MinValue = min;
            stats.MaxValue = max;
            stats.IsMinValueExact = true;
            stats.IsMaxValueExact = true;
            if (SortOrder.LegacyStatisticsAreValid(column.Column))
            {
                stats.Min = min;
                stats.Max = max;
            }
        }
        return stats;
    }

    private static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool signedNumeric)
    {
        if (!signedNumeric)
        {
            return a.SequenceCompareTo(b);
        }
        return DecimalMath.ReadBigEndian(a).CompareTo(DecimalMath.ReadBigEndian(b));
    }
}
