namespace Ingestion.Core.Models;

/// <summary>A batch as created by the import API.</summary>
public sealed class IngestBatch
{
    public required string Id { get; init; }
    public required string DatasetId { get; init; }
    public IngestFormat Format { get; init; }
    public bool MultiLineJson { get; init; }
    public BatchStatus Status { get; init; }
    public DateTimeOffset? Created { get; init; }

    /// <summary>The unique id the batch was created with (the caller's, or one the client generated).</summary>
    public string? ExternalId { get; init; }
    public IngestPlatform Platform { get; init; } = IngestPlatform.Aep;

    /// <summary>The batch id under the name the batch cmdlets bind by property name.</summary>
    public string BatchId => Id;

    public override string ToString() => Id;
}
