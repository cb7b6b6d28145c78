namespace Ingestion.Core.Models;

/// <summary>A Catalog dataset.</summary>
public sealed class IngestDataset
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? SchemaId { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset? Created { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Whether the dataset takes upserts (tag <c>unifiedProfile</c> has <c>isUpsert:true</c>): its batches must be Parquet.</summary>
    public bool IsUpsert =>
        Tags.TryGetValue(Aep.CatalogClient.UnifiedProfileTag, out var values)
        && values.Any(v => string.Equals(v, "isUpsert:true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The dataset id under the name the batch cmdlets bind by property name.</summary>
    public string DatasetId => Id;

    public override string ToString() => Name is null ? Id : $"{Name} ({Id})";
}
