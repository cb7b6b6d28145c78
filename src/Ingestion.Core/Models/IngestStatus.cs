namespace Ingestion.Core.Models;

/// <summary>A batch's state as Catalog reports it.</summary>
public sealed class IngestStatus
{
    public required string Id { get; init; }
    public string? DatasetId { get; init; }
    public BatchStatus Status { get; init; }
    public bool IsTerminal => Status.IsTerminal();
    public bool IsSuccess => Status.IsSuccess();
    public long? Records { get; init; }
    public long? FailedRecords { get; init; }
    public IReadOnlyList<BatchError> Errors { get; init; } = [];
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Completed { get; init; }
    public IngestPlatform Platform { get; init; } = IngestPlatform.Aep;

    /// <summary>The batch id, so the object binds to <c>-BatchId</c> by property name.</summary>
    public string BatchId => Id;

    public override string ToString() => $"{Id} {Status.ToCatalogValue()}";
}
