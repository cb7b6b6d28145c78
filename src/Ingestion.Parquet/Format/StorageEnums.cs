namespace Ingestion.Parquet;

/// <summary>Value encodings; the numbers are the format's Thrift enum values.</summary>
public enum ParquetEncoding
{
    Plain = 0,
    PlainDictionary = 2,
    Rle = 3,
    BitPacked = 4,
    DeltaBinaryPacked = 5,
    DeltaLengthByteArray = 6,
    DeltaByteArray = 7,
    RleDictionary = 8,
    ByteStreamSplit = 9,
}

/// <summary>Page compression codecs; the numbers are the format's Thrift enum values.</summary>
public enum CompressionCodec
{
    Uncompressed = 0,
    Snappy = 1,
    Gzip = 2,
    Lzo = 3,
    Brotli = 4,
    /// <summary>Deprecated Hadoop-framed LZ4.</summary>
    Lz4 = 5,
    Zstd = 6,
    Lz4Raw = 7,
}

/// <summary>Kinds of page in a column chunk.</summary>
public enum PageType
{
    DataPage = 0,
    IndexPage = 1,
    DictionaryPage = 2,
    DataPageV2 = 3,
}

/// <summary>What this library knows of each codec, for callers that check a footer before reading pages.</summary>
public static class CompressionCodecs
{
    /// <summary>Whether the reader decodes pages compressed with <paramref name="codec"/> (UNCOMPRESSED, SNAPPY, GZIP).</summary>
    public static bool CanRead(CompressionCodec codec) => Compression.PageCodec.IsSupported(codec);

    /// <summary>The codec's name as the format spells it ("ZSTD", "LZ4_RAW", "LZ4 (Hadoop framing)", "codec #9").</summary>
    public static string Name(CompressionCodec codec) => Compression.PageCodec.Describe(codec);
}
