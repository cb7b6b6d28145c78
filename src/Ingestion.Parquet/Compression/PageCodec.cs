using System.IO.Compression;

namespace Ingestion.Parquet.Compression;

/// <summary>Compresses and decompresses page bodies with the codecs this library implements.</summary>
internal static class PageCodec
{
    public static bool IsSupported(CompressionCodec codec) =>
        codec is CompressionCodec.Uncompressed or CompressionCodec.Snappy or CompressionCodec.Gzip;

    public static string Describe(CompressionCodec codec) => codec switch
    {
        CompressionCodec.Lz4 => "LZ4 (Hadoop framing)",
        CompressionCodec.Lz4Raw => "LZ4_RAW",
        CompressionCodec.Zstd => "ZSTD",
        CompressionCodec.Brotli => "BROTLI",
        CompressionCodec.Lzo => "LZO",
        _ => Enum.IsDefined(codec) ? codec.ToString().ToUpperInvariant() : $"codec #{(int)codec}",
    };

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/> (grown as needed); returns the compressed length.</summary>
    public static int Compress(CompressionCodec codec, ReadOnlySpan<byte> source, ref byte[] destination, CompressionLevel gzipLevel)
    {
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                EnsureCapacity(ref destination, source.Length);
                source.CopyTo(destination);
                return source.Length;
            case CompressionCodec.Snappy:
                EnsureCapacity(ref destination, Snappy.MaxCompressedLength(source.Length));
                return Snappy.Compress(source, destination);
            case CompressionCodec.Gzip:
                {
                    var output = new GrowableOutputStream(destination);
                    using (var gzip = new GZipStream(output, gzipLevel, leaveOpen: true))
                    {
                        gzip.Write(source);
                    }
                    destination = output.Buffer;
                    return output.Length32;
                }
            default:
                throw new NotSupportedException($"Writing {Describe(codec)} is not supported; use SNAPPY, GZIP or UNCOMPRESSED.");
        }
    }

    /// <summary>
    /// Decompresses exactly <paramref name="destination"/>.Length bytes. Throws <see cref="InvalidDataException"/>
    /// for corrupt data or a length mismatch, <see cref="ParquetNotSupportedException"/> for codecs not implemented.
    /// </summary>
    public static void Decompress(CompressionCodec codec, byte[] source, int offset, int count, Span<byte> destination)
    {
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                if (count != destination.Length)
                {
                    throw new InvalidDataException($"uncompressed page holds {count} bytes but declares {destination.Length}");
                }
                source.AsSpan(offset, count).CopyTo(destination);
                return;
            case CompressionCodec.Snappy:
                Snappy.Decompress(source.AsSpan(offset, count), destination);
                return;
            case CompressionCodec.Gzip:
                {
                    // GZipStream reads every concatenated member until the input is exhausted.
                    using var gzip = new GZipStream(new MemoryStream(source, offset, count, writable: false), CompressionMode.Decompress);
                    int total = 0;
                    while (total < destination.Length)
                    {
                        int n = gzip.Read(destination[total..]);
                        if (n == 0)
                        {
                            throw new InvalidDataException($"GZIP data ended after {total} of {destination.Length} declared bytes");
                        }
                        total += n;
                    }
                    Span<byte> probe = stackalloc byte[1];
                    if (gzip.Read(probe) != 0)
                    {
                        throw new InvalidDataException($"GZIP data holds more than the {destination.Length} declared bytes");
                    }
                    return;
                }
            default:
                throw new ParquetNotSupportedException($"Compression codec {Describe(codec)} is not supported by this reader (supported: UNCOMPRESSED, SNAPPY, GZIP).");
        }
    }

    /// <summary>Upper bound of the expansion a codec can legitimately achieve, to reject absurd declared sizes before allocating.</summary>
    public static long MaxExpansion(CompressionCodec codec, int compressedLength) => codec switch
    {
        CompressionCodec.Uncompressed => compressedLength,
        // A 2-byte copy element yields at most 11 bytes, a 3-byte one 64: ratio under 32.
        CompressionCodec.Snappy => 32L * compressedLength + 64,
        // DEFLATE tops out near 1032:1.
        CompressionCodec.Gzip => 1040L * compressedLength + 1024,
        _ => long.MaxValue,
    };

    private static void EnsureCapacity(ref byte[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new byte[Math.Max(size, buffer.Length * 2)];
        }
    }

    /// <summary>A write-only stream over a reusable array, so GZIP output needs no MemoryStream copy.</summary>
    private sealed class GrowableOutputStream(byte[] initial) : Stream
    {
        public byte[] Buffer { get; private set; } = initial;
        public int Length32 { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Length32;
        public override long Position { get => Length32; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            if (Length32 + data.Length > Buffer.Length)
            {
                var bigger = new byte[Math.Max(Buffer.Length * 2, Length32 + data.Length)];
                Buffer.AsSpan(0, Length32).CopyTo(bigger);
                Buffer = bigger;
            }
            data.CopyTo(Buffer.AsSpan(Length32));
            Length32 += data.Length;
        }
    }
}
