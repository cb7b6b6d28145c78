using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ingestion.Parquet.Compression;

/// <summary>
/// Snappy raw format (google/snappy format_description.txt): a varint uncompressed length followed by
/// literal and copy elements. Compression follows the reference algorithm: 64 KiB blocks, a hash table of
/// 4-byte sequences, and a skip heuristic that speeds through incompressible input.
/// </summary>
internal static class Snappy
{
    private const int BlockSize = 1 << 16;
    private const int HashBits = 14;
    private const int InputMargin = 15;

    public static int MaxCompressedLength(int sourceLength) => 32 + sourceLength + sourceLength / 6;

    /// <summary>Reads the preamble; throws <see cref="InvalidDataException"/> when it is malformed.</summary>
    public static int GetUncompressedLength(ReadOnlySpan<byte> input) => ReadPreamble(input, out _);

    // Hot for every value written: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < MaxCompressedLength(input.Length))
        {
            throw new ArgumentException("Output buffer too small for Snappy compression.", nameof(output));
        }
        ushort* table = stackalloc ushort[1 << HashBits];
        fixed (byte* inBase = input)
        fixed (byte* outBase = output)
        {
            byte* op = outBase;
            uint n = (uint)input.Length;
            while (n >= 0x80)
            {
                *op++ = (byte)(n | 0x80);
                n >>= 7;
            }
            *op++ = (byte)n;
            for (int pos = 0; pos < input.Length; pos += BlockSize)
            {
                int blockLength = Math.Min(BlockSize, input.Length - pos);
                new Span<ushort>(table, 1 << HashBits).Clear();
                op = CompressBlock(inBase + pos, blockLength, op, table);
            }
            return (int)(op - outBase);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint bytes) => (bytes * 0x1E35A7BDu) >> (32 - HashBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint Load32(byte* p) => Unsafe.ReadUnaligned<uint>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ulong Load64(byte* p) => Unsafe.ReadUnaligned<ulong>(p);

    private static unsafe byte* CompressBlock(byte* input, int length, byte* op, ushort* table)
    {
        byte* ip = input;
        byte* ipEnd = input + length;
        byte* nextEmit = input;
        if (length >= InputMargin)
        {
            byte* ipLimit = ipEnd - InputMargin;
            ip++;
            uint nextHash = Hash(Load32(ip));
            while (true)
            {
                // Each miss widens the stride a little, so incompressible data is skipped quickly.
                uint skip = 32;
                byte* nextIp = ip;
                byte* candidate;
                do
                {
                    ip = nextIp;
                    uint h = nextHash;
                    nextIp = ip + (skip++ >> 5);
                    if (nextIp > ipLimit)
                    {
                        goto EmitRemainder;
                    }
                    nextHash = Hash(Load32(nextIp));
                    candidate = input + table[h];
                    table[h] = (ushort)(ip - input);
                }
                while (Load32(ip) != Load32(candidate));

                op = EmitLiteral(op, nextEmit, (int)(ip - nextEmit));

                do
                {
                    byte* start = ip;
                    int matched = 4 + MatchLength(candidate + 4, ip + 4, ipEnd);
                    ip += matched;
                    op = EmitCopy(op, (int)(start - candidate), matched);
                    nextEmit = ip;
                    if (ip >= ipLimit)
                    {
                        goto EmitRemainder;
                    }
                    ulong bytes = Load64(ip - 1);
                    table[Hash((uint)bytes)] = (ushort)(ip - input - 1);
                    uint curHash = Hash((uint)(bytes >> 8));
                    candidate = input + table[curHash];
                    table[curHash] = (ushort)(ip - input);
                }
                while (Load32(ip) == Load32(candidate));

                nextHash = Hash(Load32(ip + 1));
                ip++;
            }
        }
    EmitRemainder:
        if (nextEmit < ipEnd)
        {
            op = EmitLiteral(op, nextEmit, (int)(ipEnd - nextEmit));
        }
        return op;
    }

    private static unsafe int MatchLength(byte* s1, byte* s2, byte* s2Limit)
    {
        int matched = 0;
        while (s2 + 8 <= s2Limit)
        {
            ulong x = Load64(s1 + matched) ^ Load64(s2);
            if (x != 0)
            {
                return matched + (BitOperations.TrailingZeroCount(x) >> 3);
            }
            matched += 8;
            s2 += 8;
        }
        while (s2 < s2Limit && s1[matched] == *s2)
        {
            matched++;
            s2++;
        }
        return matched;
    }

    private static unsafe byte* EmitLiteral(byte* op, byte* literal, int length)
    {
        if (length == 0)
        {
            return op;
        }
        int n = length - 1;
        if (n < 60)
        {
            *op++ = (byte)(n << 2);
        }
        else if (n < 256)
        {
            *op++ = 60 << 2;
            *op++ = (byte)n;
        }
        else
        {
            // Blocks are at most 64 KiB, so two length bytes always suffice.
            *op++ = 61 << 2;
            *op++ = (byte)n;
            *op++ = (byte)(n >> 8);
        }
        Buffer.MemoryCopy(literal, op, length, length);
        return op + length;
    }

    private static unsafe byte* EmitCopy(byte* op, int offset, int length)
    {
        while (length >= 68)
        {
            op = EmitCopyUpTo64(op, offset, 64);
            length -= 64;
        }
        if (length > 64)
        {
            op = EmitCopyUpTo64(op, offset, 60);
            length -= 60;
        }
        return EmitCopyUpTo64(op, offset, length);
    }

    private static unsafe byte* EmitCopyUpTo64(byte* op, int offset, int length)
    {
        if (length < 12 && offset < 2048)
        {
            *op++ = (byte)(1 | ((length - 4) << 2) | ((offset >> 8) << 5));
            *op++ = (byte)offset;
        }
        else
        {
            *op++ = (byte)(2 | ((length - 1) << 2));
            *op++ = (byte)offset;
            *op++ = (byte)(offset >> 8);
        }
        return op;
    }

    private static int ReadPreamble(ReadOnlySpan<byte> input, out int headerLength)
    {
        uint result = 0;
        for (int i = 0; i < 5; i++)
        {
            if (i >= input.Length)
            {
                throw new InvalidDataException("Snappy: truncated length preamble.");
            }
            byte b = input[i];
            result |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (i == 4 && b > 0x0F)
                {
                    throw new InvalidDataException("Snappy: length preamble overflows 32 bits.");
                }
                if (result > int.MaxValue)
                {
                    throw new InvalidDataException($"Snappy: declared length {result} is too large.");
                }
                headerLength = i + 1;
                return (int)result;
            }
        }
        throw new InvalidDataException("Snappy: length preamble is longer than 5 bytes.");
    }

    /// <summary>
    /// Decompresses into <paramref name="output"/>, whose length must equal the stream's declared length.
    /// Every element is bounds-checked; malformed input throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static void Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int declared = ReadPreamble(input, out int ip);
        if (declared != output.Length)
        {
            throw new InvalidDataException($"Snappy: stream declares {declared} bytes, expected {output.Length}.");
        }
        int op = 0;
        int inLength = input.Length;
        while (ip < inLength)
        {
            byte tag = input[ip++];
            int length;
            int offset;
            switch (tag & 3)
            {
                case 0:
                    {
                        length = tag >> 2;
                        if (length >= 60)
                        {
                            int extra = length - 59;
                            if (ip + extra > inLength)
                            {
                                throw new InvalidDataException("Snappy: truncated literal length.");
                            }
                            uint l = 0;
                            for (int i = 0; i < extra; i++) l |= (uint)input[ip + i] << (8 * i);
                            ip += extra;
                            if (l >= int.MaxValue)
                            {
                                throw new InvalidDataException("Snappy: literal length overflows.");
                            }
                            length = (int)l;
                        }
                        length++;
                        if (length > inLength - ip)
                        {
                            throw new InvalidDataException("Snappy: literal runs past the end of the input.");
                        }
                        if (length > output.Length - op)
                        {
                            throw new InvalidDataException("Snappy: literal runs past the declared length.");
                        }
                        input.Slice(ip, length).CopyTo(output[op..]);
                        ip += length;
                        op += length;
                        continue;
                    }
                case 1:
                    if (ip >= inLength) throw new InvalidDataException("Snappy: truncated copy.");
                    length = 4 + ((tag >> 2) & 7);
                    offset = ((tag >> 5) << 8) | input[ip++];
                    break;
                case 2:
                    if (ip + 2 > inLength) throw new InvalidDataException("Snappy: truncated copy.");
                    length = (tag >> 2) + 1;
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(input[ip..]);
                    ip += 2;
                    break;
                default:
                    {
                        if (ip + 4 > inLength) throw new InvalidDataException("Snappy: truncated copy.");
                        length = (tag >> 2) + 1;
                        uint o = BinaryPrimitives.ReadUInt32LittleEndian(input[ip..]);
                        ip += 4;
                        offset = o > int.MaxValue ? int.MaxValue : (int)o;
                        break;
                    }
            }
            if (offset == 0 || offset > op)
            {
                throw new InvalidDataException($"Snappy: copy offset {offset} outside the {op} bytes produced.");
            }
            if (length > output.Length - op)
            {
                throw new InvalidDataException("Snappy: copy runs past the declared length.");
            }
            int src = op - offset;
            if (offset >= length)
            {
                output.Slice(src, length).CopyTo(output[op..]);
                op += length;
            }
            else
            {
                // Overlapping copy repeats a pattern; the copyable span doubles each round.
                int remaining = length;
                while (remaining > 0)
                {
                    int chunk = Math.Min(remaining, op - src);
                    output.Slice(src, chunk).CopyTo(output[op..]);
                    op += chunk;
                    remaining -= chunk;
                }
            }
        }
        if (op != output.Length)
        {
            throw new InvalidDataException($"Snappy: stream ended after {op} of {output.Length} bytes.");
        }
    }
}
