namespace Ingestion.Core.Models;

/// <summary>
/// One thing the platform's error diagnostics say about a batch: an error of one row (from the
/// <c>row_errors</c> files of the Data Access API), or a failed file for which there is no row-level detail.
/// </summary>
public sealed class BatchRowError
{
    /// <summary>The value of <see cref="Source"/> for a failed file without row-level errors.</summary>
    public const string FailedFileSource = "failed";

    public required string BatchId { get; init; }

    /// <summary>The input file the row came from (the row error's <c>_filename</c>), or the failed file's name.</summary>
    public string? File { get; init; }

    /// <summary>The 1-based row in <see cref="File"/>, when the service says.</summary>
    public long? Row { get; init; }

    /// <summary>The service's error code, e.g. <c>1401</c> (corrupted row).</summary>
    public string? Code { get; init; }

    public string? Message { get; init; }

    /// <summary>The row as it was sent (<c>_corrupt_record</c>), when the service kept it.</summary>
    public string? Record { get; init; }

    /// <summary>Where this came from: the diagnostics file (<c>row_errors/parsing_errors_0.json</c>) or <see cref="FailedFileSource"/>.</summary>
    public string? Source { get; init; }

    public override string ToString()
    {
        var where = Row is { } row ? $"{File}:{row}" : File;
        return Code is null ? $"{where}: {Message}" : $"{where}: [{Code}] {Message}";
    }
}

/// <summary>A file listed by the Data Access API: a failed file of a batch, or a diagnostics file under <c>meta</c>.</summary>
public sealed class BatchExportFile
{
    public required string BatchId { get; init; }

    /// <summary>The name as the listing gives it, relative to what was listed.</summary>
    public required string Name { get; init; }

    /// <summary>Size in bytes, when the listing says (the service sends it as a string).</summary>
    public long? Length { get; init; }

    /// <summary>The listing's <c>_links.self.href</c>.</summary>
    public string? Href { get; init; }

    public override string ToString() => Name;
}
