using System.Diagnostics;

namespace Ingestion.Parquet.Tests;

/// <summary>
/// Mutation fuzzing: valid files with random bytes flipped, ranges overwritten, truncated or spliced must
/// either read or fail with <see cref="ParquetFormatException"/>, each within a time bound.
/// </summary>
public class FuzzTests
{
    private static readonly TimeSpan PerFileBound = TimeSpan.FromSeconds(5);

    private static byte[] WriteSample(int seed, ParquetWriterOptions options)
    {
        var data = new RandomData(seed);
        var schema = data.Schema(4, maxDepth: 3);
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, options, leaveOpen: true))
        {
            for (int i = 0; i < 60; i++) writer.WriteRow(data.Row(schema));
        }
        return stream.ToArray();
    }

    public static IEnumerable<object[]> Seeds()
    {
        var files = new List<(string Name, byte[] Bytes)>
        {
            ("ours-snappy-v1", WriteSample(11, new ParquetWriterOptions { PageSize = 256 })),
            ("ours-gzip-v2", WriteSample(12, new ParquetWriterOptions { Compression = CompressionCodec.Gzip, DataPageVersion = 2, PageSize = 256 })),
            ("ours-plain-uncompressed", WriteSample(13, new ParquetWriterOptions { Compression = CompressionCodec.Uncompressed, EnableDictionary = false })),
        };
        foreach (var name in new[] { "alltypes_plain.parquet", "datapage_v2.snappy.parquet", "nested_maps.snappy.parquet", "delta_byte_array.parquet",
                     "nullable.impala.parquet", "rle_boolean_encoding.parquet", "byte_stream_split_extended.gzip.parquet", "delta_binary_packed.parquet" })
        {
            files.Add((name, File.ReadAllBytes(TestPaths.Data(name))));
        }
        return files.Select(f => new object[] { f.Name, f.Bytes });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_files_fail_cleanly(string name, byte[] original)
    {
        var random = new Random(StableSeed(name) + FuzzRound);
        int iterations = 300;
        int failures = 0;
        var slowest = TimeSpan.Zero;
        for (int i = 0; i < iterations; i++)
        {
            var mutated = Mutate(original, random);
            var watch = Stopwatch.StartNew();
            try
            {
                using var reader = new ParquetReader(new MemoryStream(mutated));
                foreach (var _ in reader.ReadRows()) { }
                for (int g = 0; g < reader.RowGroups.Count; g++)
                {
                    foreach (var c in reader.RowGroups[g].Columns) _ = c.Statistics?.Min;
                }
            }
            catch (ParquetFormatException)
            {
                failures++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{name} mutation {i}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            var elapsed = watch.Elapsed;
            if (elapsed > slowest) slowest = elapsed;
            Assert.True(elapsed < PerFileBound, $"{name} mutation {i} took {elapsed}");
        }
        Assert.True(failures > 0, "the mutations should break at least some files");
    }

    // Raise locally (e.g. FUZZ_ROUND=1..50) to explore further rounds; CI runs round 0.
    private static readonly int FuzzRound = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ROUND"), out int round) ? round * 7919 : 0;

    private static int StableSeed(string name)
    {
        int hash = 17;
        foreach (char c in name) hash = unchecked(hash * 31 + c);
        return hash & 0x7FFFFFFF;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        int footerLength = BitConverter.ToInt32(original, original.Length - 8);
        int footerStart = Math.Max(4, original.Length - 8 - footerLength);
        switch (random.Next(7))
        {
            case 0: // flip a few bits anywhere
                for (int k = random.Next(1, 4); k > 0; k--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // corrupt the footer (Thrift metadata)
                for (int k = random.Next(1, 6); k > 0; k--) bytes[random.Next(footerStart, original.Length - 8)] = (byte)random.Next(256);
                return bytes;
            case 2: // corrupt page headers and data
                for (int k = random.Next(1, 6); k > 0; k--) bytes[random.Next(4, footerStart)] = (byte)random.Next(256);
                return bytes;
            case 3: // extreme values where sizes and counts live
                {
                    int at = random.Next(4, Math.Max(5, bytes.Length - 13));
                    byte[] pattern = random.Next(3) switch { 0 => [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], 1 => [0x80, 0x80, 0x80, 0x80, 0x08], _ => [0x01] };
                    pattern.CopyTo(bytes, at);
                    return bytes;
                }
            case 4: // truncate, keeping a valid-looking tail
                {
                    int cut = random.Next(12, bytes.Length);
                    var shorter = new byte[cut];
                    Array.Copy(bytes, shorter, cut - 8);
                    Array.Copy(bytes, bytes.Length - 8, shorter, cut - 8, 8);
                    return shorter;
                }
            case 5: // lie about the footer length
                BitConverter.GetBytes(random.Next(-10, bytes.Length + 10)).CopyTo(bytes, bytes.Length - 8);
                return bytes;
            default: // splice a block of the file over another place
                {
                    int length = random.Next(1, 64);
                    int from = random.Next(0, Math.Max(1, bytes.Length - length));
                    int to = random.Next(4, Math.Max(5, bytes.Length - length - 8));
                    Array.Copy(original, from, bytes, to, Math.Min(length, bytes.Length - 8 - to));
                    return bytes;
                }
        }
    }

    [Fact]
    public void Hostile_headers_do_not_allocate_beyond_the_file()
    {
        // A tiny file declaring a huge footer, a negative footer, and garbage.
        byte[] hugeFooter = [.. "PAR1"u8, 1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0x7F, .. "PAR1"u8];
        Assert.Throws<ParquetFormatException>(() => new ParquetReader(new MemoryStream(hugeFooter)));
        byte[] tooSmall = [.. "PAR1"u8, .. "PAR1"u8];
        Assert.Throws<ParquetFormatException>(() => new ParquetReader(new MemoryStream(tooSmall)));
        byte[] notParquet = new byte[100];
        Assert.Throws<ParquetFormatException>(() => new ParquetReader(new MemoryStream(notParquet)));
    }
}
