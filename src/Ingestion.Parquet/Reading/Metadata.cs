using Ingestion.Parquet.Format;

namespace Ingestion.Parquet;

/// <summary>The footer of a Parquet file.</summary>
public sealed class ParquetFileMetadata
{
    internal ParquetFileMetadata(FileMetaData raw, ParquetSchema schema, IReadOnlyList<RowGroupMetadata> rowGroups)
    {
        Version = raw.Version;
        Schema = schema;
        RowCount = raw.NumRows;
        CreatedBy = raw.CreatedBy;
        KeyValueMetadata = raw.KeyValueMetadata ?? [];
        RowGroups = rowGroups;
    }

    public int Version { get; }

    public ParquetSchema Schema { get; }

    /// <summary>Row count declared by the footer.</summary>
    public long RowCount { get; }

    public string? CreatedBy { get; }

    public IReadOnlyList<KeyValuePair<string, string?>> KeyValueMetadata { get; }

    public IReadOnlyList<RowGroupMetadata> RowGroups { get; }
}

public sealed class RowGroupMetadata
{
    internal RowGroupMetadata(int index, RowGroup raw, IReadOnlyList<ColumnChunkMetadata> columns)
    {
        Index = index;
        RowCount = raw.NumRows;
        TotalByteSize = raw.TotalByteSize;
        TotalCompressedSize = raw.TotalCompressedSize;
        Columns = columns;
    }

    public int Index { get; }

    public long RowCount { get; }

    /// <summary>Uncompressed size of all column data in the group.</summary>
    public long TotalByteSize { get; }

    public long? TotalCompressedSize { get; }

    public IReadOnlyList<ColumnChunkMetadata> Columns { get; }
}

public sealed record PageEncodingCount(PageType PageType, ParquetEncoding Encoding, int Count);

public sealed class ColumnChunkMetadata
{
    internal ColumnChunkMetadata(ColumnDescriptor column, ColumnMetaData raw)
    {
        Column = column;
        Raw = raw;
        Statistics = raw.Statistics is null ? null : new ColumnStatistics(column, raw.Statistics);
        EncodingStats = raw.EncodingStats?.Select(s => new PageEncodingCount(s.PageType, s.Encoding, s.Count)).ToArray();
    }

    internal ColumnMetaData Raw { get; }

    public ColumnDescriptor Column { get; }

    public PhysicalType PhysicalType => Raw.Type;

    public CompressionCodec Codec => Raw.Codec;

    public IReadOnlyList<ParquetEncoding> Encodings => Raw.Encodings;

    public IReadOnlyList<string> PathInSchema => Raw.PathInSchema;

    /// <summary>Entries (values, nulls and empty lists) in the chunk.</summary>
    public long ValueCount => Raw.NumValues;

    public long TotalCompressedSize => Raw.TotalCompressedSize;

    public long TotalUncompressedSize => Raw.TotalUncompressedSize;

    public long DataPageOffset => Raw.DataPageOffset;

    public long? DictionaryPageOffset => Raw.DictionaryPageOffset;

    public ColumnStatistics? Statistics { get; }

    public IReadOnlyList<PageEncodingCount>? EncodingStats { get; }

    public IReadOnlyList<KeyValuePair<string, string?>> KeyValueMetadata => Raw.KeyValueMetadata ?? [];
}

/// <summary>Column chunk statistics. Min and max are decoded to the same .NET types row reading returns.</summary>
public sealed class ColumnStatistics
{
    internal ColumnStatistics(ColumnDescriptor column, Statistics raw)
    {
        NullCount = raw.NullCount;
        DistinctCount = raw.DistinctCount;
        bool legacyUsable = SortOrder.LegacyStatisticsAreValid(column);
        MinBytes = raw.MinValue ?? (legacyUsable ? raw.Min : null);
        MaxBytes = raw.MaxValue ?? (legacyUsable ? raw.Max : null);
        IsMinExact = raw.IsMinValueExact;
        IsMaxExact = raw.IsMaxValueExact;
        Min = MinBytes is null ? null : LeafValues.DecodeStatistic(column, MinBytes);
        Max = MaxBytes is null ? null : LeafValues.DecodeStatistic(column, MaxBytes);
    }

    public long? NullCount { get; }

    public long? DistinctCount { get; }

    /// <summary>PLAIN-encoded minimum (min_value, or the deprecated min where its signed order is the column's order).</summary>
    public byte[]? MinBytes { get; }

    public byte[]? MaxBytes { get; }

    public object? Min { get; }

    public object? Max { get; }

    public bool? IsMinExact { get; }

    public bool? IsMaxExact { get; }
}
