using System.IO.Compression;

namespace Ingestion.Parquet;

/// <summary>Options for <see cref="ParquetWriter"/>.</summary>
public sealed class ParquetWriterOptions
{
    /// <summary>Page compression: SNAPPY (default), GZIP or UNCOMPRESSED.</summary>
    public CompressionCodec Compression { get; init; } = CompressionCodec.Snappy;

    /// <summary>Compression level used when <see cref="Compression"/> is GZIP.</summary>
    public CompressionLevel GzipLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>
    /// Target size of a row group, measured as buffered uncompressed bytes (values plus levels). The writer keeps
    /// one row group in memory, so this is also what bounds its memory: the process peak is roughly 4 times this
    /// plus the runtime (default 32 MiB, which keeps a 10-million-row conversion near 220 MB).
    /// </summary>
    public long RowGroupSize { get; init; } = 32L << 20;

    /// <summary>Target uncompressed size of a data page (default 1 MiB). Pages end on row boundaries.</summary>
    public int PageSize { get; init; } = 1 << 20;

    /// <summary>Use dictionary encoding where it pays off (default true).</summary>
    public bool EnableDictionary { get; init; } = true;

    /// <summary>
    /// Largest PLAIN-encoded dictionary per column chunk (default 1 MiB). Past it the chunk falls back to PLAIN
    /// for its remaining pages.
    /// </summary>
    public int DictionaryPageSizeLimit { get; init; } = 1 << 20;

    /// <summary>Data page format: 1 (default, the most widely read) or 2.</summary>
    public int DataPageVersion { get; init; } = 1;

    /// <summary>Store a CRC-32 of every page so readers can detect corruption (default true).</summary>
    public bool WritePageChecksums { get; init; } = true;

    /// <summary>Write min/max/null-count statistics for each column chunk (default true).</summary>
    public bool WriteStatistics { get; init; } = true;

    /// <summary>The footer's created_by, e.g. "Ingestion version 0.1.0".</summary>
    public string? CreatedBy { get; init; }

    /// <summary>Key/value metadata stored in the footer.</summary>
    public IReadOnlyDictionary<string, string?>? KeyValueMetadata { get; init; }

    /// <summary>Column chunks of a row group encoded at once (default: the processor count).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    internal void Validate()
    {
        if (Compression is not (CompressionCodec.Uncompressed or CompressionCodec.Snappy or CompressionCodec.Gzip))
        {
            throw new ArgumentException($"Compression {Compression} is not supported for writing; use Snappy, Gzip or Uncompressed.");
        }
        if (RowGroupSize <= 0) throw new ArgumentException("RowGroupSize must be positive.");
        if (PageSize <= 0) throw new ArgumentException("PageSize must be positive.");
        if (DictionaryPageSizeLimit < 0) throw new ArgumentException("DictionaryPageSizeLimit cannot be negative.");
        if (DataPageVersion is not (1 or 2)) throw new ArgumentException("DataPageVersion must be 1 or 2.");
        if (MaxDegreeOfParallelism < 1) throw new ArgumentException("MaxDegreeOfParallelism must be at least 1.");
    }
}
