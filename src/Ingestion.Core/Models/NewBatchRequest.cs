namespace Ingestion.Core.Models;

/// <summary>What <c>POST /batches</c> needs.</summary>
public sealed class NewBatchRequest
{
    public required string DatasetId { get; init; }
    public IngestFormat Format { get; init; } = IngestFormat.Json;
    public bool MultiLineJson { get; init; }

    /// <summary>Batches this one replaces (replay); ids without the <c>$</c> prefix the API wants.</summary>
    public IReadOnlyList<string> ReplacedBatchIds { get; init; } = [];
    public string ReplayReason { get; init; } = "replace";
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public bool ErrorDiagnostics { get; init; }

    /// <summary>
    /// The caller's own unique id for the batch. When null the client generates one: it is how a create whose answer
    /// was lost is found again in the Catalog instead of being sent twice.
    /// </summary>
    public string? ExternalId { get; init; }
}
