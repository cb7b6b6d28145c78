namespace Ingestion.Core.Models;

/// <summary>An unfinished chunked upload, as its journal on this machine records it.</summary>
public sealed record UploadJournalInfo
{
    public required string BatchId { get; init; }

    public required string DatasetId { get; init; }

    public required string RemoteName { get; init; }

    /// <summary>The local file being uploaded.</summary>
    public required string Path { get; init; }

    public long Size { get; init; }

    /// <summary>The chunk size of the interrupted upload; a resume keeps it.</summary>
    public long ChunkSize { get; init; }

    public int ChunksConfirmed { get; init; }

    public int ChunksTotal { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>The journal file itself.</summary>
    public required string JournalPath { get; init; }
}
