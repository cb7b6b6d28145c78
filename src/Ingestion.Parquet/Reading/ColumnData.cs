using System.Text;

namespace Ingestion.Parquet;

/// <summary>
/// The decoded content of one column chunk: levels for every entry and the non-null values in order.
/// Entry <c>i</c> holds a value when its definition level equals <see cref="ColumnDescriptor.MaxDefinitionLevel"/>.
/// </summary>
public abstract class ColumnData
{
    private readonly byte[]? _definitionLevels;
    private readonly byte[]? _repetitionLevels;

    private protected ColumnData(ColumnDescriptor column, byte[]? definitionLevels, byte[]? repetitionLevels, int levelCount, int valueCount)
    {
        Column = column;
        _definitionLevels = definitionLevels;
        _repetitionLevels = repetitionLevels;
        LevelCount = levelCount;
        ValueCount = valueCount;
    }

    public ColumnDescriptor Column { get; }

    /// <summary>Number of entries (values, nulls and empty lists).</summary>
    public int LevelCount { get; }

    /// <summary>Number of non-null values.</summary>
    public int ValueCount { get; }

    /// <summary>One level per entry; empty when the column's maximum definition level is 0 (every entry is a value).</summary>
    public ReadOnlySpan<byte> DefinitionLevels => _definitionLevels is null ? default : _definitionLevels.AsSpan(0, LevelCount);

    /// <summary>One level per entry; empty when the column is not repeated (every entry starts a row).</summary>
    public ReadOnlySpan<byte> RepetitionLevels => _repetitionLevels is null ? default : _repetitionLevels.AsSpan(0, LevelCount);

    /// <summary>The physical value at <paramref name="valueIndex"/> (0 ≤ index &lt; <see cref="ValueCount"/>), boxed.</summary>
    public abstract object GetPhysicalValue(int valueIndex);
}

/// <summary>Values of a fixed-width physical type: bool, int, long, float, double or <see cref="Int96"/>.</summary>
public sealed class ColumnData<T> : ColumnData where T : unmanaged
{
    private readonly T[] _values;

    internal ColumnData(ColumnDescriptor column, T[] values, int count, byte[]? def, byte[]? rep, int levelCount)
        : base(column, def, rep, levelCount, count)
    {
        _values = values;
    }

    public ReadOnlySpan<T> Values => _values.AsSpan(0, ValueCount);

    public override object GetPhysicalValue(int valueIndex) => Values[valueIndex];
}

/// <summary>BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY values.</summary>
public sealed class ByteArrayColumnData : ColumnData
{
    private readonly byte[] _data;
    private readonly int[] _offsets;

    internal ByteArrayColumnData(ColumnDescriptor column, byte[] data, int[] offsets, int count, byte[]? def, byte[]? rep, int levelCount)
        : base(column, def, rep, levelCount, count)
    {
        _data = data;
        _offsets = offsets;
    }

    public ReadOnlySpan<byte> GetValue(int valueIndex)
    {
        if ((uint)valueIndex >= (uint)ValueCount)
        {
            throw new ArgumentOutOfRangeException(nameof(valueIndex));
        }
        return _data.AsSpan(_offsets[valueIndex], _offsets[valueIndex + 1] - _offsets[valueIndex]);
    }

    /// <summary>The value decoded as UTF-8.</summary>
    public string GetString(int valueIndex) => Encoding.UTF8.GetString(GetValue(valueIndex));

    public override object GetPhysicalValue(int valueIndex) => GetValue(valueIndex).ToArray();
}
