using Ingestion.Parquet.Encodings;
using Ingestion.Parquet.Internal;

namespace Ingestion.Parquet.Tests;

public class RleBitPackedTests
{
    private static byte[] Encode(int[] values, int bitWidth, bool useRuns = false)
    {
        using var buffer = new ByteBuffer();
        var encoder = new RleBitPackedEncoder();
        encoder.Begin(buffer, bitWidth);
        if (useRuns)
        {
            int i = 0;
            while (i < values.Length)
            {
                int j = i + 1;
                while (j < values.Length && values[j] == values[i]) j++;
                encoder.WriteRun(values[i], j - i);
                i = j;
            }
        }
        else
        {
            foreach (int v in values) encoder.Write(v);
        }
        encoder.Finish();
        return buffer.WrittenSpan.ToArray();
    }

    private static int[] Decode(byte[] data, int bitWidth, int count)
    {
        var output = new int[count];
        var decoder = new RleBitPackedDecoder(data, bitWidth);
        decoder.Read(output.AsSpan(), bitWidth == 32 ? int.MaxValue : (int)((1L << bitWidth) - 1), "test");
        return output;
    }

    [Fact]
    public void Bit_packing_matches_the_specification_example()
    {
        // Encodings.md: 0..7 with bit width 3 packs to 10001000 11000110 11111010.
        var bytes = Encode([0, 1, 2, 3, 4, 5, 6, 7], 3);
        Assert.Equal(new byte[] { 0x03, 0x88, 0xC6, 0xFA }, bytes);
    }

    [Fact]
    public void A_long_run_becomes_one_rle_run()
    {
        var bytes = Encode(Enumerable.Repeat(5, 1000).ToArray(), 3);
        Assert.Equal(new byte[] { 0xD0, 0x0F, 0x05 }, bytes); // varint(1000 << 1), value in one byte
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(32)]
    public void Random_mixtures_of_runs_and_noise_round_trip(int bitWidth)
    {
        var random = new Random(bitWidth * 31 + 7);
        long max = bitWidth == 32 ? int.MaxValue : (1L << bitWidth) - 1;
        foreach (int length in new[] { 0, 1, 7, 8, 9, 63, 64, 65, 504, 505, 1000, 5003 })
        {
            var values = new int[length];
            int i = 0;
            while (i < length)
            {
                int run = random.Next(3) == 0 ? random.Next(1, 40) : 1;
                int v = (int)(random.NextInt64(max + 1));
                for (int k = 0; k < run && i < length; k++) values[i++] = v;
            }
            Assert.Equal(values, Decode(Encode(values, bitWidth), bitWidth, length));
            Assert.Equal(values, Decode(Encode(values, bitWidth, useRuns: true), bitWidth, length));
        }
    }

    [Fact]
    public void More_than_63_bit_packed_groups_start_a_new_run()
    {
        var values = Enumerable.Range(0, 8 * 200).Select(i => i % 2).ToArray();
        Assert.Equal(values, Decode(Encode(values, 1), 1, values.Length));
    }

    [Fact]
    public void Running_out_of_data_is_a_format_error()
    {
        var bytes = Encode([1, 2, 3], 2);
        var e = Assert.Throws<ParquetFormatException>(() => Decode(bytes, 2, 100));
        Assert.Contains("ends after", e.Message);
        Assert.Throws<ParquetFormatException>(() => Decode([0x02], 8, 1)); // RLE run without its value byte
        Assert.Throws<ParquetFormatException>(() => Decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 1, 1)); // endless varint
    }

    [Fact]
    public void Values_above_the_maximum_are_refused()
    {
        var bytes = Encode([0, 1, 7], 3);
        var output = new byte[3];
        Assert.Throws<ParquetFormatException>(() =>
        {
            var decoder = new RleBitPackedDecoder(bytes, 3);
            decoder.Read(output.AsSpan(), 2, "levels");
        });
    }

    [Fact]
    public void Zero_length_runs_do_not_recurse()
    {
        // 100k empty RLE runs followed by nothing: must fail cleanly, not overflow the stack.
        var data = new byte[200_000];
        for (int i = 0; i < data.Length; i += 2) { data[i] = 0; data[i + 1] = 0; }
        Assert.Throws<ParquetFormatException>(() => Decode(data, 1, 1));
    }

    [Fact]
    public void Truncated_final_bit_packed_group_yields_only_present_values()
    {
        // One group declared (8 values of 8 bits) but only 3 bytes present.
        Assert.Equal(new[] { 1, 2, 3 }, Decode([0x03, 1, 2, 3], 8, 3));
        Assert.Throws<ParquetFormatException>(() => Decode([0x03, 1, 2, 3], 8, 4));
    }
}
