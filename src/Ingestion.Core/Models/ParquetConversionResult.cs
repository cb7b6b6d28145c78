namespace Ingestion.Core.Models;

/// <summary>What a conversion to Parquet wrote: the file, its shape, and what did not fit.</summary>
public sealed class ParquetConversionResult
{
    /// <summary>The Parquet file written.</summary>
    public required string Path { get; init; }

    /// <summary>The CSV or JSON file converted, or "pipeline" for objects.</summary>
    public required string Source { get; init; }

    /// <summary>Csv, Json or Objects.</summary>
    public required string SourceFormat { get; init; }

    public long Rows { get; init; }

    public int RowGroups { get; init; }

    /// <summary>Size of the Parquet file.</summary>
    public long Bytes { get; init; }

    public required string Compression { get; init; }

    /// <summary>Where the schema came from: inferred from N records, a schema file, or a dataset's XDM schema.</summary>
    public required string SchemaSource { get; init; }

    /// <summary>The schema written, in the schema file format: save it and pass it back with -Schema to convert alike.</summary>
    public required string Schema { get; init; }

    /// <summary>The Parquet schema in the "message" notation.</summary>
    public required string ParquetSchema { get; init; }

    /// <summary>Source columns or fields that no schema field took: left out of the file, never silently.</summary>
    public IReadOnlyList<string> UnmatchedColumns { get; init; } = [];

    /// <summary>Source columns matched to a schema field, as "source -> field".</summary>
    public IReadOnlyList<string> MatchedColumns { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public TimeSpan Duration { get; init; }

    public override string ToString() => Path;
}
