namespace Ingestion.Parquet.Encodings;

/// <summary>DELTA_BINARY_PACKED decoding (Encodings.md): blocks of miniblocks of bit-packed deltas from a minimum delta.</summary>
internal static class DeltaBinaryPacked
{
    /// <summary>
    /// Decodes exactly <paramref name="output"/>.Length values (the header must declare that many) and returns
    /// the bytes consumed, so DELTA_LENGTH_BYTE_ARRAY can find the data that follows. Arithmetic wraps, as the
    /// format requires; INT32 columns take the low 32 bits.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> data, Span<long> output, string what)
    {
        int pos = 0;
        ulong blockSize = ReadVarint(data, ref pos, what);
        ulong miniblocks = ReadVarint(data, ref pos, what);
        ulong total = ReadVarint(data, ref pos, what);
        long first = ZigZag(ReadVarint(data, ref pos, what));
        if (blockSize == 0 || blockSize > 1 << 20 || blockSize % 128 != 0 || miniblocks == 0 || miniblocks > blockSize
            || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 32 != 0)
        {
            throw new ParquetFormatException($"{what}: invalid DELTA_BINARY_PACKED header (block size {blockSize}, {miniblocks} miniblocks)");
        }
        if (total != (ulong)output.Length)
        {
            throw new ParquetFormatException($"{what}: DELTA_BINARY_PACKED declares {total} values, expected {output.Length}");
        }
        if (total == 0)
        {
            return pos;
        }
        int valuesPerMiniblock = (int)(blockSize / miniblocks);
        int miniblockCount = (int)miniblocks;
        output[0] = first;
        int count = 1;
        long last = first;
        while (count < output.Length)
        {
            long minDelta = ZigZag(ReadVarint(data, ref pos, what));
            if (pos + miniblockCount > data.Length)
            {
                throw new ParquetFormatException($"{what}: DELTA_BINARY_PACKED miniblock widths are truncated");
            }
            var widths = data.Slice(pos, miniblockCount);
            pos += miniblockCount;
            for (int m = 0; m < miniblockCount && count < output.Length; m++)
            {
                int bitWidth = widths[m];
                if (bitWidth > 64)
                {
                    throw new ParquetFormatException($"{what}: DELTA_BINARY_PACKED miniblock bit width {bitWidth} exceeds 64");
                }
                int bytes = valuesPerMiniblock * bitWidth / 8;
                int take = Math.Min(valuesPerMiniblock, output.Length - count);
                int needed = (int)(((long)take * bitWidth + 7) / 8);
                if (pos + needed > data.Length)
                {
                    throw new ParquetFormatException($"{what}: DELTA_BINARY_PACKED miniblock is truncated");
                }
                var mini = data.Slice(pos, Math.Min(bytes, data.Length - pos));
                long bitOffset = 0;
                for (int j = 0; j < take; j++)
                {
                    ulong delta = BitPacking.ReadBits(mini, bitOffset, bitWidth);
                    bitOffset += bitWidth;
                    last = unchecked(last + minDelta + (long)delta);
                    output[count++] = last;
                }
                pos = Math.Min(pos + bytes, data.Length);
            }
        }
        return pos;
    }

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos, string what)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= data.Length)
            {
                throw new ParquetFormatException($"{what}: DELTA_BINARY_PACKED data is truncated");
            }
            byte b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new ParquetFormatException($"{what}: DELTA_BINARY_PACKED varint is too long");
    }
}
