using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Ingestion.Parquet.Internal;

namespace Ingestion.Parquet.Writing;

/// <summary>
/// Open-addressing hash table from fixed-width values to dictionary indices. Values are compared by their
/// bits, so -0.0 and 0.0 (and distinct NaN payloads) stay distinct and round-trip exactly.
/// </summary>
internal sealed class FixedDictionary<T> where T : unmanaged
{
    private T[] _entries = new T[256];
    private int[] _slots = new int[512];
    private int _mask = 511;

    public int Count { get; private set; }

    public ReadOnlySpan<T> Entries => _entries.AsSpan(0, Count);

    /// <summary>Empties the table for the next column chunk, keeping its arrays (an encoder reuses one per type).</summary>
    public void Clear()
    {
        if (Count > 0) Array.Clear(_slots);
        Count = 0;
    }

    public long PlainSize => (long)Count * Unsafe.SizeOf<T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(T value) => Unsafe.SizeOf<T>() == 8 ? Unsafe.As<T, ulong>(ref value) : Unsafe.As<T, uint>(ref value);

    // Hot for every value written: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(T value)
    {
        ulong bits = Bits(value);
        int slot = (int)((bits * 0x9E3779B97F4A7C15UL) >> 40) & _mask;
        while (true)
        {
            int entry = _slots[slot];
            if (entry == 0)
            {
                break;
            }
            if (Bits(_entries[entry - 1]) == bits)
            {
                return entry - 1;
            }
            slot = (slot + 1) & _mask;
        }
        int index = Count;
        if (index == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[index] = value;
        _slots[slot] = index + 1;
        Count++;
        if (Count * 2 > _slots.Length) Rehash();
        return index;
    }

    private void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        _mask = _slots.Length - 1;
        for (int i = 0; i < Count; i++)
        {
            int slot = (int)((Bits(_entries[i]) * 0x9E3779B97F4A7C15UL) >> 40) & _mask;
            while (_slots[slot] != 0) slot = (slot + 1) & _mask;
            _slots[slot] = i + 1;
        }
    }

    public void WritePlain(ByteBuffer output) => output.WriteUnmanaged<T>(Entries);
}

/// <summary>Hash table from byte strings (held in the column buffer) to dictionary indices.</summary>
internal sealed class BinaryDictionary
{
    private readonly int _fixedLength;
    public int FixedLength => _fixedLength;
    private int[] _starts = new int[256];
    private int[] _lengths = new int[256];
    private int[] _slots = new int[512];
    private uint[] _hashes = new uint[256];
    private int _mask = 511;
    private byte[] _source = [];

    public BinaryDictionary(int fixedLength) => _fixedLength = fixedLength;

    public int Count { get; private set; }

    public long PlainSize { get; private set; }

    /// <summary>Entries refer to this buffer (the column's value data), which must outlive the dictionary's use.</summary>
    public void SetSource(byte[] source) => _source = source;

    /// <summary>Empties the table for the next column chunk, keeping its arrays (an encoder reuses one per width).</summary>
    public void Clear()
    {
        if (Count > 0) Array.Clear(_slots);
        Count = 0;
        PlainSize = 0;
        _source = [];
    }

    // Hot for every value written: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(int start, int length)
    {
        var value = _source.AsSpan(start, length);
        uint hash = Hash(value);
        int slot = (int)(hash * 0x9E3779B1u >> 7) & _mask;
        while (true)
        {
            int entry = _slots[slot];
            if (entry == 0)
            {
                break;
            }
            int e = entry - 1;
            if (_hashes[e] == hash && _lengths[e] == length && _source.AsSpan(_starts[e], length).SequenceEqual(value))
            {
                return e;
            }
            slot = (slot + 1) & _mask;
        }
        int index = Count;
        if (index == _starts.Length)
        {
            Array.Resize(ref _starts, index * 2);
            Array.Resize(ref _lengths, index * 2);
            Array.Resize(ref _hashes, index * 2);
        }
        _starts[index] = start;
        _lengths[index] = length;
        _hashes[index] = hash;
        _slots[slot] = index + 1;
        Count++;
        PlainSize += _fixedLength > 0 ? length : 4 + length;
        if (Count * 2 > _slots.Length) Rehash();
        return index;
    }

    private void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        _mask = _slots.Length - 1;
        for (int i = 0; i < Count; i++)
        {
            int slot = (int)(_hashes[i] * 0x9E3779B1u >> 7) & _mask;
            while (_slots[slot] != 0) slot = (slot + 1) & _mask;
            _slots[slot] = i + 1;
        }
    }

    public void WritePlain(ByteBuffer output)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_fixedLength == 0) output.WriteInt32(_lengths[i]);
            output.Write(_source.AsSpan(_starts[i], _lengths[i]));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> s)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)s.Length;
        int i = 0;
        for (; i + 8 <= s.Length; i += 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(s[i..])) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 29;
        }
        if (i < s.Length)
        {
            ulong tail = 0;
            for (int k = 0; i < s.Length; i++, k += 8) tail |= (ulong)s[i] << k;
            h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        }
        h ^= h >> 32;
        h *= 0x9E3779B97F4A7C15UL;
        return (uint)(h >> 32);
    }
}
