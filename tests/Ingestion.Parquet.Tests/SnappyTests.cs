using System.Text;
using Ingestion.Parquet.Compression;

namespace Ingestion.Parquet.Tests;

public class SnappyTests
{
    private static byte[] Compress(byte[] input)
    {
        var output = new byte[Snappy.MaxCompressedLength(input.Length)];
        int n = Snappy.Compress(input, output);
        return output.AsSpan(0, n).ToArray();
    }

    private static byte[] Decompress(byte[] compressed)
    {
        var output = new byte[Snappy.GetUncompressedLength(compressed)];
        Snappy.Decompress(compressed, output);
        return output;
    }

    [Fact]
    public void Decodes_a_hand_built_stream_with_literal_and_overlapping_copy()
    {
        // Length 12; literal "abcd"; copy-1 of length 8 from offset 4 (overlapping).
        byte[] stream = [0x0C, 0x0C, (byte)'a', (byte)'b', (byte)'c', (byte)'d', 0x11, 0x04];
        Assert.Equal("abcdabcdabcd", Encoding.ASCII.GetString(Decompress(stream)));
    }

    [Fact]
    public void Decodes_two_and_four_byte_offset_copies_and_long_literals()
    {
        var literal = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var stream = new List<byte> { 0xAC, 0x02 }; // 300 = 100 literal + 100 + 100
        stream.Add(60 << 2); stream.Add(99); stream.AddRange(literal);     // literal with 1-byte length
        stream.Add((byte)(2 | (63 << 2))); stream.Add(100); stream.Add(0); // copy-2: 64 bytes from offset 100
        stream.Add((byte)(3 | (35 << 2))); stream.AddRange(new byte[] { 100, 0, 0, 0 }); // copy-4: 36 bytes from offset 100
        stream.Add((byte)(2 | (63 << 2))); stream.Add(200); stream.Add(0); // copy-2: 64 bytes from offset 200
        stream.Add((byte)(2 | (35 << 2))); stream.Add(200); stream.Add(0); // copy-2: 36 bytes
        var output = Decompress(stream.ToArray());
        Assert.Equal(300, output.Length);
        Assert.Equal(literal, output[..100]);
        Assert.Equal(literal, output[100..200]);
        Assert.Equal(literal, output[200..300]);
    }

    public static TheoryData<string, int> Inputs => new()
    {
        { "empty", 0 }, { "tiny", 5 }, { "margin", 15 }, { "text", 10_000 }, { "random", 10_000 },
        { "zeros", 1_000_000 }, { "text", 200_000 }, { "random", 300_000 }, { "mixed", 500_000 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Round_trips(string kind, int length)
    {
        var random = new Random(length);
        var input = new byte[length];
        switch (kind)
        {
            case "random":
                random.NextBytes(input);
                break;
            case "text":
                var words = "the quick brown fox jumps over the lazy dog Ingestion Parquet ".Split(' ');
                var sb = new StringBuilder();
                while (sb.Length < length) sb.Append(words[random.Next(words.Length)]).Append(' ');
                input = Encoding.ASCII.GetBytes(sb.ToString(0, length));
                break;
            case "mixed":
                for (int i = 0; i < length; i += 1000)
                {
                    if (random.Next(2) == 0) random.NextBytes(input.AsSpan(i, Math.Min(1000, length - i)));
                }
                break;
            case "tiny":
            case "margin":
                random.NextBytes(input);
                break;
        }
        var compressed = Compress(input);
        Assert.Equal(input, Decompress(compressed));
        if (kind is "zeros" or "text")
        {
            Assert.True(compressed.Length < input.Length / 2, $"{kind} should compress well, got {compressed.Length} of {input.Length}");
        }
        Assert.True(compressed.Length <= Snappy.MaxCompressedLength(input.Length));
    }

    [Fact]
    public void Corrupt_streams_fail_with_invalid_data()
    {
        Assert.Throws<InvalidDataException>(() => Decompress([0x05, 0x11, 0x04])); // copy before any output
        Assert.Throws<InvalidDataException>(() => Decompress([0x05, 0x10, 1, 2])); // literal longer than input
        Assert.Throws<InvalidDataException>(() => Decompress([0x02, 0x0C, 1, 2, 3, 4])); // literal past declared length
        Assert.Throws<InvalidDataException>(() => Decompress([0x04, 0x04, 1, 2])); // ends short of declared length
        Assert.Throws<InvalidDataException>(() => Snappy.GetUncompressedLength([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]));
        Assert.Throws<InvalidDataException>(() => Decompress([0x08, 0x04, 1, 2, (byte)(3 | (3 << 2)), 0xFF, 0xFF, 0xFF, 0xFF]));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        var data = new byte[10_000];
        new Random(3).NextBytes(data);
        Assert.Equal(Crc32.Compute(data), Crc32.Append(Crc32.Compute(data.AsSpan(0, 3333)), data.AsSpan(3333)));
    }
}
