using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ingestion.Parquet.Encodings;

namespace Ingestion.Parquet.Reading;

/// <summary>
/// Decoded values of one column chunk (or of its dictionary), appended page by page. Every decode checks
/// the bytes it needs against what the page holds before touching or allocating anything.
/// </summary>
internal abstract class ValueStore
{
    public int Count { get; protected set; }

    public static ValueStore Create(ColumnDescriptor column, int capacity) => column.PhysicalType switch
    {
        PhysicalType.Boolean => new BooleanStore(capacity),
        PhysicalType.Int32 => new FixedStore<int>(capacity),
        PhysicalType.Int64 => new FixedStore<long>(capacity),
        PhysicalType.Int96 => new FixedStore<Int96>(capacity),
        PhysicalType.Float => new FixedStore<float>(capacity),
        PhysicalType.Double => new FixedStore<double>(capacity),
        PhysicalType.ByteArray => new BinaryStore(capacity, 0),
        PhysicalType.FixedLenByteArray => new BinaryStore(capacity, column.TypeLength),
        _ => throw new ParquetFormatException($"Column '{column.DottedPath}' has unknown physical type {(int)column.PhysicalType}"),
    };

    /// <summary>Decodes <paramref name="count"/> PLAIN values; returns the bytes consumed.</summary>
    public abstract int DecodePlain(ReadOnlySpan<byte> data, int count, string where);

    public abstract void AppendFromDictionary(ValueStore dictionary, ReadOnlySpan<int> indices);

    public virtual void DecodeByteStreamSplit(ReadOnlySpan<byte> data, int count, string where) =>
        throw new ParquetFormatException($"{where}: BYTE_STREAM_SPLIT is not valid for this physical type");

    public virtual void DecodeDeltaBinaryPacked(ReadOnlySpan<byte> data, int count, string where) =>
        throw new ParquetFormatException($"{where}: DELTA_BINARY_PACKED is only valid for INT32 and INT64");

    public virtual void DecodeDeltaLengthByteArray(ReadOnlySpan<byte> data, int count, string where) =>
        throw new ParquetFormatException($"{where}: DELTA_LENGTH_BYTE_ARRAY is only valid for BYTE_ARRAY");

    public virtual void DecodeDeltaByteArray(ReadOnlySpan<byte> data, int count, string where) =>
        throw new ParquetFormatException($"{where}: DELTA_BYTE_ARRAY is only valid for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY");

    public virtual void DecodeRleBoolean(ReadOnlySpan<byte> data, int count, string where) =>
        throw new ParquetFormatException($"{where}: RLE value encoding is only valid for BOOLEAN");

    /// <summary>The decoded values as the public column type.</summary>
    public abstract ColumnData ToColumnData(ColumnDescriptor column, byte[]? definitionLevels, byte[]? repetitionLevels, int levelCount);

    protected static void Grow<T>(ref T[] array, int needed)
    {
        if (needed > array.Length)
        {
            long size = Math.Max(needed, Math.Min((long)array.Length * 2, Array.MaxLength));
            Array.Resize(ref array, (int)size);
        }
    }
}

internal sealed class BooleanStore(int capacity) : ValueStore
{
    private bool[] _values = new bool[Math.Max(capacity, 0)];

    public override int DecodePlain(ReadOnlySpan<byte> data, int count, string where)
    {
        int bytes = (int)(((long)count + 7) / 8);
        if (bytes > data.Length)
        {
            throw new ParquetFormatException($"{where}: {count} PLAIN booleans need {bytes} bytes, page holds {data.Length}");
        }
        Grow(ref _values, Count + count);
        for (int i = 0; i < count; i++)
        {
            _values[Count + i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        }
        Count += count;
        return bytes;
    }

    public override void DecodeRleBoolean(ReadOnlySpan<byte> data, int count, string where)
    {
        if (data.Length < 4)
        {
            throw new ParquetFormatException($"{where}: RLE boolean data lacks its length prefix");
        }
        int length = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length < 0 || length > data.Length - 4)
        {
            throw new ParquetFormatException($"{where}: RLE boolean data declares {length} bytes, page holds {data.Length - 4}");
        }
        Grow(ref _values, Count + count);
        var decoder = new RleBitPackedDecoder(data.Slice(4, length), 1);
        Span<byte> scratch = stackalloc byte[512];
        int done = 0;
        while (done < count)
        {
            int n = Math.Min(scratch.Length, count - done);
            decoder.Read(scratch[..n], 1, where);
            for (int i = 0; i < n; i++) _values[Count + done + i] = scratch[i] != 0;
            done += n;
        }
        Count += count;
    }

    public override void AppendFromDictionary(ValueStore dictionary, ReadOnlySpan<int> indices)
    {
        var dict = (BooleanStore)dictionary;
        Grow(ref _values, Count + indices.Length);
        for (int i = 0; i < indices.Length; i++) _values[Count + i] = dict._values[indices[i]];
        Count += indices.Length;
    }

    public override ColumnData ToColumnData(ColumnDescriptor column, byte[]? def, byte[]? rep, int levelCount) =>
        new ColumnData<bool>(column, _values, Count, def, rep, levelCount);
}

internal sealed class FixedStore<T>(int capacity) : ValueStore where T : unmanaged
{
    private T[] _values = new T[Math.Max(capacity, 0)];

    private static int Width => Unsafe.SizeOf<T>();

    public override int DecodePlain(ReadOnlySpan<byte> data, int count, string where)
    {
        long bytes = (long)count * Width;
        if (bytes > data.Length)
        {
            throw new ParquetFormatException($"{where}: {count} PLAIN values need {bytes} bytes, page holds {data.Length}");
        }
        Grow(ref _values, Count + count);
        data[..(int)bytes].CopyTo(MemoryMarshal.AsBytes(_values.AsSpan(Count, count)));
        Count += count;
        return (int)bytes;
    }

    public override void AppendFromDictionary(ValueStore dictionary, ReadOnlySpan<int> indices)
    {
        var dict = ((FixedStore<T>)dictionary)._values;
        Grow(ref _values, Count + indices.Length);
        var target = _values.AsSpan(Count, indices.Length);
        for (int i = 0; i < indices.Length; i++) target[i] = dict[indices[i]];
        Count += indices.Length;
    }

    public override void DecodeByteStreamSplit(ReadOnlySpan<byte> data, int count, string where)
    {
        if (typeof(T) == typeof(Int96))
        {
            base.DecodeByteStreamSplit(data, count, where);
        }
        int width = Width;
        if ((long)count * width != data.Length)
        {
            throw new ParquetFormatException($"{where}: BYTE_STREAM_SPLIT holds {data.Length} bytes for {count} values of {width} bytes");
        }
        Grow(ref _values, Count + count);
        var target = MemoryMarshal.AsBytes(_values.AsSpan(Count, count));
        for (int b = 0; b < width; b++)
        {
            var stream = data.Slice(b * count, count);
            for (int i = 0; i < count; i++) target[i * width + b] = stream[i];
        }
        Count += count;
    }

    public override void DecodeDeltaBinaryPacked(ReadOnlySpan<byte> data, int count, string where)
    {
        if (typeof(T) != typeof(int) && typeof(T) != typeof(long))
        {
            base.DecodeDeltaBinaryPacked(data, count, where);
        }
        var decoded = new long[count];
        DeltaBinaryPacked.Decode(data, decoded, where);
        Grow(ref _values, Count + count);
        if (typeof(T) == typeof(long))
        {
            decoded.AsSpan().CopyTo(MemoryMarshal.Cast<T, long>(_values.AsSpan(Count, count)));
        }
        else
        {
            var ints = MemoryMarshal.Cast<T, int>(_values.AsSpan(Count, count));
            for (int i = 0; i < count; i++) ints[i] = unchecked((int)decoded[i]);
        }
        Count += count;
    }

    public override ColumnData ToColumnData(ColumnDescriptor column, byte[]? def, byte[]? rep, int levelCount) =>
        new ColumnData<T>(column, _values, Count, def, rep, levelCount);
}

/// <summary>BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values: one data buffer plus offsets.</summary>
internal sealed class BinaryStore : ValueStore
{
    private readonly int _fixedLength;
    private byte[] _data;
    private int[] _offsets;
    private int _dataLength;

    public BinaryStore(int capacity, int fixedLength)
    {
        _fixedLength = fixedLength;
        _offsets = new int[Math.Max(capacity, 0) + 1];
        _data = new byte[Math.Min(Math.Max(capacity, 0) * 8L, 1 << 20)];
    }

    private void Add(ReadOnlySpan<byte> value)
    {
        Grow(ref _offsets, Count + 2);
        if ((long)_dataLength + value.Length > Array.MaxLength)
        {
            throw new ParquetFormatException("A column chunk's binary values exceed 2 GB");
        }
        Grow(ref _data, _dataLength + value.Length);
        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        Count++;
        _offsets[Count] = _dataLength;
    }

    private ReadOnlySpan<byte> Get(int index) => _data.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    public override int DecodePlain(ReadOnlySpan<byte> data, int count, string where)
    {
        int pos = 0;
        if (_fixedLength > 0)
        {
            long bytes = (long)count * _fixedLength;
            if (bytes > data.Length)
            {
                throw new ParquetFormatException($"{where}: {count} PLAIN values of {_fixedLength} bytes need {bytes} bytes, page holds {data.Length}");
            }
            for (int i = 0; i < count; i++)
            {
                Add(data.Slice(pos, _fixedLength));
                pos += _fixedLength;
            }
            return pos;
        }
        for (int i = 0; i < count; i++)
        {
            if (data.Length - pos < 4)
            {
                throw new ParquetFormatException($"{where}: PLAIN BYTE_ARRAY data ends at value {i} of {count}");
            }
            int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
            pos += 4;
            if (length < 0 || length > data.Length - pos)
            {
                throw new ParquetFormatException($"{where}: PLAIN BYTE_ARRAY value {i} declares {length} bytes, {data.Length - pos} remain");
            }
            Add(data.Slice(pos, length));
            pos += length;
        }
        return pos;
    }

    public override void AppendFromDictionary(ValueStore dictionary, ReadOnlySpan<int> indices)
    {
        var dict = (BinaryStore)dictionary;
        foreach (int index in indices) Add(dict.Get(index));
    }

    public override void DecodeByteStreamSplit(ReadOnlySpan<byte> data, int count, string where)
    {
        int width = _fixedLength;
        if (width <= 0)
        {
            base.DecodeByteStreamSplit(data, count, where);
        }
        if ((long)count * width != data.Length)
        {
            throw new ParquetFormatException($"{where}: BYTE_STREAM_SPLIT holds {data.Length} bytes for {count} values of {width} bytes");
        }
        Span<byte> value = width <= 256 ? stackalloc byte[width] : new byte[width];
        for (int i = 0; i < count; i++)
        {
            for (int b = 0; b < width; b++) value[b] = data[b * count + i];
            Add(value);
        }
    }

    public override void DecodeDeltaLengthByteArray(ReadOnlySpan<byte> data, int count, string where)
    {
        if (_fixedLength > 0)
        {
            base.DecodeDeltaLengthByteArray(data, count, where);
        }
        DecodeLengthsAndData(data, count, where, out _);
    }

    private int DecodeLengthsAndData(ReadOnlySpan<byte> data, int count, string where, out long[] lengths)
    {
        lengths = new long[count];
        int pos = DeltaBinaryPacked.Decode(data, lengths, where);
        long total = 0;
        foreach (long length in lengths)
        {
            if (length < 0)
            {
                throw new ParquetFormatException($"{where}: negative byte array length {length}");
            }
            total += length;
        }
        if (total > data.Length - pos)
        {
            throw new ParquetFormatException($"{where}: byte array lengths add up to {total}, {data.Length - pos} bytes remain");
        }
        foreach (long length in lengths)
        {
            Add(data.Slice(pos, (int)length));
            pos += (int)length;
        }
        return pos;
    }

    public override void DecodeDeltaByteArray(ReadOnlySpan<byte> data, int count, string where)
    {
        var prefixes = new long[count];
        int pos = DeltaBinaryPacked.Decode(data, prefixes, where);
        var suffixes = new long[count];
        pos += DeltaBinaryPacked.Decode(data[pos..], suffixes, where);
        long total = 0;
        foreach (long s in suffixes)
        {
            if (s < 0) throw new ParquetFormatException($"{where}: negative suffix length {s}");
            total += s;
        }
        if (total > data.Length - pos)
        {
            throw new ParquetFormatException($"{where}: suffix lengths add up to {total}, {data.Length - pos} bytes remain");
        }
        byte[] buffer = new byte[256];
        int previousLength = 0;
        for (int i = 0; i < count; i++)
        {
            long prefix = prefixes[i];
            if (prefix < 0 || prefix > previousLength)
            {
                throw new ParquetFormatException($"{where}: prefix length {prefix} exceeds the previous value's {previousLength} bytes");
            }
            int suffix = (int)suffixes[i];
            int length = (int)prefix + suffix;
            if (length > buffer.Length)
            {
                var bigger = new byte[Math.Max(length, buffer.Length * 2)];
                buffer.AsSpan(0, (int)prefix).CopyTo(bigger);
                buffer = bigger;
            }
            data.Slice(pos, suffix).CopyTo(buffer.AsSpan((int)prefix));
            pos += suffix;
            if (_fixedLength > 0 && length != _fixedLength)
            {
                throw new ParquetFormatException($"{where}: DELTA_BYTE_ARRAY value of {length} bytes in a FIXED_LEN_BYTE_ARRAY({_fixedLength}) column");
            }
            Add(buffer.AsSpan(0, length));
            previousLength = length;
        }
    }

    public override ColumnData ToColumnData(ColumnDescriptor column, byte[]? def, byte[]? rep, int levelCount) =>
        new ByteArrayColumnData(column, _data, _offsets, Count, def, rep, levelCount);
}
