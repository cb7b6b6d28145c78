using System.Runtime.CompilerServices;

namespace Ingestion.Parquet;

/// <summary>
/// Buffers one column of the current row group. Each entry carries a repetition level (0 starts a new row)
/// and a definition level (<see cref="ColumnDescriptor.MaxDefinitionLevel"/> for a value, lower for a null or
/// an empty or absent ancestor). Flat columns can ignore levels: a value is written at the maximum definition
/// level and repetition level 0.
/// </summary>
public abstract class ColumnWriter
{
    private readonly bool _storesDefinition;
    private readonly bool _storesRepetition;
    private byte[] _definitionLevels = [];
    private byte[] _repetitionLevels = [];

    private protected ColumnWriter(ColumnDescriptor column)
    {
        Column = column;
        MaxDefinitionLevel = column.MaxDefinitionLevel;
        MaxRepetitionLevel = column.MaxRepetitionLevel;
        _storesDefinition = MaxDefinitionLevel > 0;
        _storesRepetition = MaxRepetitionLevel > 0;
    }

    public ColumnDescriptor Column { get; }

    private protected int MaxDefinitionLevel { get; }

    private protected int MaxRepetitionLevel { get; }

    /// <summary>Entries buffered for the current row group.</summary>
    public int LevelCount { get; private set; }

    /// <summary>Rows started in the current row group (entries with repetition level 0).</summary>
    public int RowCount { get; private set; }

    internal ReadOnlySpan<byte> DefinitionLevels => _storesDefinition ? _definitionLevels.AsSpan(0, LevelCount) : default;

    internal ReadOnlySpan<byte> RepetitionLevels => _storesRepetition ? _repetitionLevels.AsSpan(0, LevelCount) : default;

    internal abstract int ValueCount { get; }

    /// <summary>Approximate uncompressed bytes buffered (values plus levels).</summary>
    internal long BufferedBytes => ValueBytes + (_storesDefinition ? LevelCount : 0) + (_storesRepetition ? LevelCount : 0);

    private protected abstract long ValueBytes { get; }

    /// <summary>
    /// Writes a null (or an empty/absent ancestor) at <paramref name="definitionLevel"/>, which must be below the
    /// column's maximum. The defaults write a top-level null for a flat optional column.
    /// </summary>
    public void WriteNull(int definitionLevel = 0, int repetitionLevel = 0)
    {
        if (definitionLevel < 0 || definitionLevel >= MaxDefinitionLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(definitionLevel), definitionLevel,
                MaxDefinitionLevel == 0
                    ? $"Column '{Column.DottedPath}' is required and cannot hold nulls."
                    : $"A null in column '{Column.DottedPath}' needs a definition level below {MaxDefinitionLevel}.");
        }
        AddLevels(definitionLevel, repetitionLevel);
    }

    /// <summary>Writes a boxed value (null allowed for optional columns), converting it by the column's logical type.</summary>
    public void WriteValue(object? value, int repetitionLevel = 0)
    {
        if (value is null)
        {
            WriteNull(Math.Max(0, MaxDefinitionLevel - 1), repetitionLevel);
            return;
        }
        WriteObject(value, repetitionLevel);
    }

    internal abstract void WriteObject(object value, int repetitionLevel);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void AddValueLevels(int repetitionLevel)
    {
        if (!_storesDefinition && !_storesRepetition && repetitionLevel == 0)
        {
            LevelCount++;
            RowCount++;
            return;
        }
        AddLevels(MaxDefinitionLevel, repetitionLevel);
    }

    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private protected void AddLevels(int definitionLevel, int repetitionLevel)
    {
        if ((uint)repetitionLevel > (uint)MaxRepetitionLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(repetitionLevel), repetitionLevel,
                $"Column '{Column.DottedPath}' takes repetition levels 0..{MaxRepetitionLevel}.");
        }
        if (repetitionLevel != 0 && LevelCount == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(repetitionLevel), repetitionLevel,
                $"The first entry of column '{Column.DottedPath}' in a row group must start a row (repetition level 0).");
        }
        int n = LevelCount;
        if (_storesDefinition)
        {
            if (n == _definitionLevels.Length) Grow(ref _definitionLevels, 0, _levelHint);
            _definitionLevels[n] = (byte)definitionLevel;
        }
        if (_storesRepetition)
        {
            if (n == _repetitionLevels.Length) Grow(ref _repetitionLevels, 0, _levelHint);
            _repetitionLevels[n] = (byte)repetitionLevel;
        }
        if (repetitionLevel == 0)
        {
            RowCount++;
        }
        LevelCount = n + 1;
    }

    /// <summary>
    /// Grows a buffer to at least <paramref name="minimum"/>. With a <paramref name="hint"/> (the size this row group
    /// is expected to need, see <see cref="PlanCapacity"/>) it grows straight to the hint instead of doubling past it,
    /// so a row group's buffers end near what it holds and leave little garbage behind; past the hint it grows by
    /// a quarter at a time.
    /// </summary>
    private protected static void Grow<T>(ref T[] array, int minimum = 0, long hint = 0)
    {
        long size;
        if (hint > array.Length)
        {
            size = Math.Max(Math.Max(hint, 256), minimum);
        }
        else if (hint > 0)
        {
            size = Math.Max(array.Length + (array.Length >> 2) + 256L, minimum);
        }
        else
        {
            size = Math.Max(Math.Max(array.Length * 2L, 256), minimum);
        }
        if (size > Array.MaxLength)
        {
            size = Array.MaxLength;
            if (size < minimum || size == array.Length)
            {
                throw new InvalidOperationException("A column buffer would exceed the largest .NET array; lower ParquetWriterOptions.RowGroupSize.");
            }
        }
        Array.Resize(ref array, (int)size);
    }

    /// <summary>The column's encoded pages, reused from row group to row group so steady-state writing allocates nothing.</summary>
    internal Internal.ByteBuffer EncodedPages { get; } = new(1 << 16, pooled: false);

    internal Internal.ByteBuffer EncodedDictionary { get; } = new(1 << 12, pooled: false);

    // Entries this row group is expected to hold (0: not known yet); see PlanCapacity.
    private long _levelHint;

    /// <summary>
    /// Told by the writer how far the row group has filled: the buffers are expected to end at
    /// <paramref name="scale"/> times what they hold now. Sets the sizes <see cref="Grow"/> aims for.
    /// </summary>
    internal void PlanCapacity(double scale)
    {
        _levelHint = Expected(LevelCount, scale);
        PlanValueCapacity(scale);
    }

    private protected virtual void PlanValueCapacity(double scale)
    {
    }

    /// <summary>The expected final size of a buffer holding <paramref name="current"/> now, with some slack for variation.</summary>
    private protected static long Expected(long current, double scale) =>
        current == 0 ? 0 : Math.Min((long)(current * scale * 1.05) + 1024, Array.MaxLength);

    /// <summary>
    /// Exchanges the buffered entries (arrays and counts) with <paramref name="other"/>, a writer of the same column:
    /// the writer hands a full row group to a background flush and goes on filling the other's arrays.
    /// </summary>
    internal virtual void SwapBuffers(ColumnWriter other)
    {
        (_definitionLevels, other._definitionLevels) = (other._definitionLevels, _definitionLevels);
        (_repetitionLevels, other._repetitionLevels) = (other._repetitionLevels, _repetitionLevels);
        (LevelCount, other.LevelCount) = (other.LevelCount, LevelCount);
        (RowCount, other.RowCount) = (other.RowCount, RowCount);
    }

    /// <summary>Forgets the buffered row group, keeping the arrays for the next one.</summary>
    internal virtual void Reset()
    {
        LevelCount = 0;
        RowCount = 0;
    }

    /// <summary>A position to roll back to when a row fails half-way through shredding.</summary>
    internal virtual ColumnMark Mark() => new(LevelCount, RowCount, ValueCount, 0);

    internal virtual void Rollback(ColumnMark mark)
    {
        LevelCount = mark.LevelCount;
        RowCount = mark.RowCount;
    }

    internal static ColumnWriter Create(ColumnDescriptor column) => column.PhysicalType switch
    {
        PhysicalType.Boolean => new ColumnWriter<bool>(column),
        PhysicalType.Int32 => new ColumnWriter<int>(column),
        PhysicalType.Int64 => new ColumnWriter<long>(column),
        PhysicalType.Float => new ColumnWriter<float>(column),
        PhysicalType.Double => new ColumnWriter<double>(column),
        PhysicalType.ByteArray or PhysicalType.FixedLenByteArray => new ByteArrayColumnWriter(column),
        _ => throw new NotSupportedException($"Writing {column.PhysicalType} is not supported."),
    };
}

internal readonly record struct ColumnMark(int LevelCount, int RowCount, int ValueCount, int DataLength);

/// <summary>A column of bool, int, long, float or double values, appended without boxing.</summary>
public sealed class ColumnWriter<T> : ColumnWriter where T : unmanaged
{
    private readonly Func<object, T> _convert;
    private T[] _values = [];
    private int _count;
    private long _valueHint;

    internal ColumnWriter(ColumnDescriptor column) : base(column)
    {
        _convert = ValueConverters.For<T>(column);
    }

    internal override int ValueCount => _count;

    private protected override long ValueBytes => (long)_count * Unsafe.SizeOf<T>();

    internal ReadOnlySpan<T> Values => _values.AsSpan(0, _count);

    /// <summary>Writes a present value. For nested columns pass the repetition level; the definition level is the maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(T value, int repetitionLevel = 0)
    {
        AddValueLevels(repetitionLevel);
        if (_count == _values.Length) Grow(ref _values, 0, _valueHint);
        _values[_count++] = value;
    }

    /// <summary>Writes one present value per row (only for columns outside any repeated field).</summary>
    public void WriteRange(ReadOnlySpan<T> values)
    {
        if (MaxRepetitionLevel != 0)
        {
            throw new InvalidOperationException($"Column '{Column.DottedPath}' is repeated; write entries one by one with their levels.");
        }
        if (_count + values.Length > _values.Length) Grow(ref _values, _count + values.Length, _valueHint);
        for (int i = 0; i < values.Length; i++) AddValueLevels(0);
        values.CopyTo(_values.AsSpan(_count));
        _count += values.Length;
    }

    internal override void WriteObject(object value, int repetitionLevel) => Write(_convert(value), repetitionLevel);

    private protected override void PlanValueCapacity(double scale) => _valueHint = Expected(_count, scale);

    internal override void Reset()
    {
        base.Reset();
        _count = 0;
    }

    internal override void SwapBuffers(ColumnWriter other)
    {
        base.SwapBuffers(other);
        var twin = (ColumnWriter<T>)other;
        (_values, twin._values) = (twin._values, _values);
        (_count, twin._count) = (twin._count, _count);
    }

    internal override void Rollback(ColumnMark mark)
    {
        base.Rollback(mark);
        _count = mark.ValueCount;
    }
}
