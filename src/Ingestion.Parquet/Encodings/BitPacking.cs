using System.Runtime.CompilerServices;

namespace Ingestion.Parquet.Encodings;

/// <summary>Little-endian bit packing (LSB first) as used by the RLE hybrid and DELTA_BINARY_PACKED.</summary>
internal static class BitPacking
{
    public static int BitWidth(ulong maxValue) => maxValue == 0 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount(maxValue);

    /// <summary>Packs eight values of <paramref name="bitWidth"/> bits into exactly <paramref name="bitWidth"/> bytes.</summary>
    public static void Pack8(ReadOnlySpan<int> values, int bitWidth, Span<byte> output)
    {
        ulong acc = 0;
        int bits = 0;
        int o = 0;
        ulong mask = bitWidth == 32 ? uint.MaxValue : (1UL << bitWidth) - 1;
        for (int i = 0; i < 8; i++)
        {
            acc |= ((ulong)(uint)values[i] & mask) << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                output[o++] = (byte)acc;
                acc >>= 8;
                bits -= 8;
            }
        }
    }

    /// <summary>Reads <paramref name="bitWidth"/> (≤ 64) bits at <paramref name="bitOffset"/>; bits past the end read as zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadBits(ReadOnlySpan<byte> data, long bitOffset, int bitWidth)
    {
        if (bitWidth == 0)
        {
            return 0;
        }
        long byteIndex = bitOffset >> 3;
        int shift = (int)(bitOffset & 7);
        ulong result;
        if (byteIndex + 8 <= data.Length)
        {
            result = Unsafe.ReadUnaligned<ulong>(ref Unsafe.AsRef(in data[(int)byteIndex])) >> shift;
            if (shift + bitWidth > 64)
            {
                ulong next = byteIndex + 8 < data.Length ? data[(int)byteIndex + 8] : 0UL;
                result |= next << (64 - shift);
            }
        }
        else
        {
            result = 0;
            int needed = (shift + bitWidth + 7) >> 3;
            for (int i = 0; i < needed && i < 8; i++)
            {
                long idx = byteIndex + i;
                if (idx < data.Length) result |= (ulong)data[(int)idx] << (8 * i);
            }
            result >>= shift;
            if (shift + bitWidth > 64)
            {
                long idx = byteIndex + 8;
                ulong next = idx < data.Length ? data[(int)idx] : 0UL;
                result |= next << (64 - shift);
            }
        }
        return bitWidth == 64 ? result : result & ((1UL << bitWidth) - 1);
    }
}
