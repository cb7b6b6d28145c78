namespace Ingestion.Core.Models;

/// <summary>The footer of a Parquet file, summarised: schema, row groups, columns with codecs, encodings and statistics.</summary>
public sealed class ParquetFileInfo
{
    public required string Path { get; init; }

    /// <summary>Size of the file.</summary>
    public long Bytes { get; init; }

    public long Rows { get; init; }

    public int RowGroups { get; init; }

    /// <summary>The compression codecs used, e.g. SNAPPY.</summary>
    public required string Codecs { get; init; }

    public string? CreatedBy { get; init; }

    public int FormatVersion { get; init; }

    /// <summary>The schema in the Parquet "message" notation.</summary>
    public required string Schema { get; init; }

    /// <summary>One entry per leaf column, totalled over the row groups.</summary>
    public IReadOnlyList<ParquetColumnInfo> Columns { get; init; } = [];

    public IReadOnlyList<ParquetRowGroupInfo> RowGroupDetails { get; init; } = [];

    /// <summary>The footer's key/value metadata.</summary>
    public IReadOnlyDictionary<string, string?> Metadata { get; init; } = new Dictionary<string, string?>();

    public override string ToString() => Path;
}

/// <summary>One leaf column of a Parquet file, totalled over its row groups.</summary>
public sealed class ParquetColumnInfo
{
    /// <summary>The dotted physical path, e.g. person.name.firstName or tags.list.element.</summary>
    public required string Path { get; init; }

    /// <summary>The physical type: BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96.</summary>
    public required string PhysicalType { get; init; }

    /// <summary>The logical type annotation, e.g. STRING, DATE, TIMESTAMP(MICROS,UTC); null when there is none.</summary>
    public string? LogicalType { get; init; }

    /// <summary>The physical and logical type together, e.g. "INT64 TIMESTAMP(MICROS,UTC)".</summary>
    public string Type => LogicalType is null ? PhysicalType : $"{PhysicalType} {LogicalType}";

    /// <summary>REQUIRED, OPTIONAL or REPEATED.</summary>
    public required string Repetition { get; init; }

    public int MaxDefinitionLevel { get; init; }

    public int MaxRepetitionLevel { get; init; }

    public required string Codec { get; init; }

    public IReadOnlyList<string> Encodings { get; init; } = [];

    /// <summary>Entries in the column (values, nulls and empty lists).</summary>
    public long Values { get; init; }

    /// <summary>Nulls, when every row group's statistics give the count.</summary>
    public long? Nulls { get; init; }

    public object? Min { get; init; }

    public object? Max { get; init; }

    public long CompressedBytes { get; init; }

    public long UncompressedBytes { get; init; }

    public override string ToString() => Path;
}

/// <summary>One row group of a Parquet file.</summary>
public sealed class ParquetRowGroupInfo
{
    public int Index { get; init; }

    public long Rows { get; init; }

    /// <summary>Uncompressed size of the row group's column data.</summary>
    public long Bytes { get; init; }

    public long CompressedBytes { get; init; }

    public override string ToString() => $"Row group {Index}";
}
