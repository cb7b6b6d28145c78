using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ingestion.Parquet.Internal;

/// <summary>
/// A growable byte buffer for encoded data. Short-lived scratch buffers rent from the shared pool; long-lived
/// ones (a column's encoded pages, kept from row group to row group) own their array, so the pool does not
/// end up holding a copy of every size they passed through.
/// </summary>
internal sealed class ByteBuffer : IDisposable
{
    private readonly bool _pooled;
    private byte[] _buffer;

    public ByteBuffer(int capacity = 4096, bool pooled = true)
    {
        _pooled = pooled;
        capacity = Math.Max(capacity, 16);
        _buffer = pooled ? ArrayPool<byte>.Shared.Rent(capacity) : new byte[capacity];
    }

    public int Length { get; set; }

    public byte[] Array => _buffer;

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(int extra)
    {
        if ((uint)(Length + extra) > (uint)_buffer.Length)
        {
            Grow(extra);
        }
    }

    private void Grow(int extra)
    {
        long wanted = Math.Max((long)_buffer.Length * 2, (long)Length + extra);
        if (wanted > System.Array.MaxLength)
        {
            wanted = (long)Length + extra <= System.Array.MaxLength ? System.Array.MaxLength : throw new InvalidOperationException("A buffer would exceed 2 GB; lower the page or row group size.");
        }
        var bigger = _pooled ? ArrayPool<byte>.Shared.Rent((int)wanted) : new byte[wanted];
        _buffer.AsSpan(0, Length).CopyTo(bigger);
        if (_pooled) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Reserves <paramref name="count"/> bytes and returns them for the caller to fill.</summary>
    public Span<byte> GetSpan(int count)
    {
        Ensure(count);
        return _buffer.AsSpan(Length, count);
    }

    public void Advance(int count) => Length += count;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        Ensure(data.Length);
        data.CopyTo(_buffer.AsSpan(Length));
        Length += data.Length;
    }

    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteUnmanaged<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        // Parquet is little-endian, as is every platform .NET runs this library on.
        Write(MemoryMarshal.AsBytes(values));
    }

    public void WriteVarint(uint value)
    {
        Ensure(5);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            if (_pooled) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
