namespace Ingestion.Core.Models;

/// <summary>One uploaded file.</summary>
public sealed class IngestFileResult
{
    public required string Path { get; init; }
    public required string RemoteName { get; init; }
    public long Bytes { get; init; }
    public TimeSpan Duration { get; init; }
    public required string BatchId { get; init; }
    public required string DatasetId { get; init; }

    public override string ToString() => RemoteName;
}
