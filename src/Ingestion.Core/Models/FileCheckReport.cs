namespace Ingestion.Core.Models;

/// <summary>What checking a file against a dataset's schema found, before it is uploaded.</summary>
public sealed class FileCheckReport
{
    public required string Path { get; init; }

    /// <summary>Csv, Json or Parquet.</summary>
    public required string Format { get; init; }

    public string? DatasetId { get; init; }

    public string? SchemaId { get; init; }

    /// <summary>Records read.</summary>
    public long Rows { get; init; }

    /// <summary>True when nothing was found that the platform would reject.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>What would fail, each with its field and row; a problem that recurs in many rows is listed once with its count.</summary>
    public IReadOnlyList<FileCheckProblem> Problems { get; init; } = [];

    /// <summary>True when there were more problems than the report lists.</summary>
    public bool Truncated { get; init; }

    public override string ToString() => Path;
}

/// <summary>One thing in a file the platform would reject.</summary>
public sealed class FileCheckProblem
{
    /// <summary>The dotted field path, or the CSV column; empty when the problem is the file or a whole row.</summary>
    public string Field { get; init; } = string.Empty;

    /// <summary>The 1-based record (data row) number where it was found first; null for the file's schema or header.</summary>
    public long? Row { get; init; }

    public required string Message { get; init; }

    /// <summary>How many rows have it (1 unless the same problem recurs).</summary>
    public long Occurrences { get; init; } = 1;

    public override string ToString() => (Row, Field.Length) switch
    {
        (null, 0) => Message,
        (null, _) => $"{Field}: {Message}",
        (_, 0) => $"row {Row}: {Message}",
        _ => $"row {Row}, {Field}: {Message}",
    };
}
