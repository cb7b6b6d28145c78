using System.Buffers.Binary;
using System.Text;

namespace Ingestion.Parquet;

/// <summary>A BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY column: strings, binary, JSON, UUIDs, large decimals.</summary>
public sealed class ByteArrayColumnWriter : ColumnWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int _fixedLength;
    private readonly LogicalType? _logical;
    private byte[] _data = [];
    private int[] _offsets = [0];
    private int _dataLength;
    private int _count;
    private long _dataHint;
    private long _offsetHint;

    internal ByteArrayColumnWriter(ColumnDescriptor column) : base(column)
    {
        _fixedLength = column.PhysicalType == PhysicalType.FixedLenByteArray ? column.TypeLength : 0;
        _logical = column.LogicalType;
    }

    internal override int ValueCount => _count;

    private protected override long ValueBytes => _dataLength + 4L * _count;

    internal ReadOnlySpan<byte> Data => _data.AsSpan(0, _dataLength);

    /// <summary>Start offsets of each value in <see cref="Data"/>, plus the end offset.</summary>
    internal ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, _count + 1);

    internal int DataLength => _dataLength;

    /// <summary>The backing array of <see cref="Data"/> (dictionary entries refer into it while a chunk is encoded).</summary>
    internal byte[] RawData => _data;

    /// <summary>Writes raw bytes (for FIXED_LEN_BYTE_ARRAY exactly the column's length).</summary>
    // Hot for every value written: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Write(ReadOnlySpan<byte> value, int repetitionLevel = 0)
    {
        if (_fixedLength > 0 && value.Length != _fixedLength)
        {
            throw new ArgumentException($"Column '{Column.DottedPath}' holds {_fixedLength}-byte values; got {value.Length} bytes.", nameof(value));
        }
        AddValueLevels(repetitionLevel);
        EnsureData(value.Length);
        value.CopyTo(_data.AsSpan(_dataLength));
        Commit(value.Length);
    }

    /// <summary>Writes text as UTF-8, encoding straight into the column buffer.</summary>
    public void Write(string value, int repetitionLevel = 0) => Write(value.AsSpan(), repetitionLevel);

    /// <summary>Writes text as UTF-8, encoding straight into the column buffer.</summary>
    // Hot for every value written: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Write(ReadOnlySpan<char> value, int repetitionLevel = 0)
    {
        if (_fixedLength > 0)
        {
            Write(Encoding.UTF8.GetBytes(value.ToArray()), repetitionLevel);
            return;
        }
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        EnsureData(max);
        int written;
        try
        {
            written = StrictUtf8.GetBytes(value, _data.AsSpan(_dataLength));
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"Column '{Column.DottedPath}': the text contains an unpaired surrogate and cannot be encoded as UTF-8.", nameof(value), e);
        }
        AddValueLevels(repetitionLevel);
        Commit(written);
    }

    private void EnsureData(int extra)
    {
        if ((long)_dataLength + extra > _data.Length)
        {
            Grow(ref _data, (int)Math.Min((long)_dataLength + extra, Array.MaxLength), _dataHint);
        }
    }

    private void Commit(int length)
    {
        _dataLength += length;
        _count++;
        if (_count + 1 > _offsets.Length) Grow(ref _offsets, 0, _offsetHint);
        _offsets[_count] = _dataLength;
    }

    internal override void WriteObject(object value, int repetitionLevel)
    {
        switch (_logical?.Kind)
        {
            case LogicalTypeKind.Uuid:
                {
                    Guid guid = value switch
                    {
                        Guid g => g,
                        string s => Guid.Parse(s),
                        _ => throw Mismatch(value, "a Guid"),
                    };
                    Span<byte> bytes = stackalloc byte[16];
                    guid.TryWriteBytes(bytes, bigEndian: true, out _);
                    Write(bytes, repetitionLevel);
                    return;
                }
            case LogicalTypeKind.Decimal:
                {
                    decimal d = ValueConverters.ToDecimal(value, Column);
                    var unscaled = DecimalMath.ToUnscaledBig(d, _logical.Scale, _logical.Precision);
                    if (_fixedLength > 0)
                    {
                        Span<byte> bytes = _fixedLength <= 64 ? stackalloc byte[_fixedLength] : new byte[_fixedLength];
                        DecimalMath.WriteBigEndian(unscaled, bytes);
                        Write(bytes, repetitionLevel);
                    }
                    else
                    {
                        Write(DecimalMath.ToMinimalBigEndian(unscaled), repetitionLevel);
                    }
                    return;
                }
            case LogicalTypeKind.Float16:
                {
                    Half h = value switch
                    {
                        Half x => x,
                        float f => (Half)f,
                        double dbl => (Half)dbl,
                        _ => throw Mismatch(value, "a Half, float or double"),
                    };
                    Span<byte> bytes = stackalloc byte[2];
                    BinaryPrimitives.WriteHalfLittleEndian(bytes, h);
                    Write(bytes, repetitionLevel);
                    return;
                }
        }
        switch (value)
        {
            case string s:
                Write(s.AsSpan(), repetitionLevel);
                return;
            case byte[] b:
                Write(b.AsSpan(), repetitionLevel);
                return;
            case ReadOnlyMemory<byte> rom:
                Write(rom.Span, repetitionLevel);
                return;
            case Memory<byte> mem:
                Write(mem.Span, repetitionLevel);
                return;
            case ArraySegment<byte> seg:
                Write(seg.AsSpan(), repetitionLevel);
                return;
            case char[] chars:
                Write(chars.AsSpan(), repetitionLevel);
                return;
            case Guid g when _fixedLength == 16:
                {
                    Span<byte> bytes = stackalloc byte[16];
                    g.TryWriteBytes(bytes, bigEndian: true, out _);
                    Write(bytes, repetitionLevel);
                    return;
                }
            default:
                if (_logical?.Kind is LogicalTypeKind.String or LogicalTypeKind.Json or LogicalTypeKind.Enum)
                {
                    // Scalars of other types are stored by their invariant text, as CSV and JSON sources expect.
                    Write(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", repetitionLevel);
                    return;
                }
                throw Mismatch(value, "a string or bytes");
        }
    }

    private ArgumentException Mismatch(object value, string expected) =>
        new($"Column '{Column.DottedPath}' ({Column.Field}) expects {expected}; got {value.GetType().Name}.");

    private protected override void PlanValueCapacity(double scale)
    {
        _dataHint = Expected(_dataLength, scale);
        _offsetHint = Expected(_count + 1, scale);
    }

    internal override void Reset()
    {
        base.Reset();
        _count = 0;
        _dataLength = 0;
    }

    internal override void SwapBuffers(ColumnWriter other)
    {
        base.SwapBuffers(other);
        var twin = (ByteArrayColumnWriter)other;
        (_data, twin._data) = (twin._data, _data);
        (_offsets, twin._offsets) = (twin._offsets, _offsets);
        (_dataLength, twin._dataLength) = (twin._dataLength, _dataLength);
        (_count, twin._count) = (twin._count, _count);
    }

    internal override ColumnMark Mark() => base.Mark() with { DataLength = _dataLength };

    internal override void Rollback(ColumnMark mark)
    {
        base.Rollback(mark);
        _count = mark.ValueCount;
        _dataLength = mark.DataLength;
    }
}
