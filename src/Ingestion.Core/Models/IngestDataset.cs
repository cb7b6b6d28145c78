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

    /// <summary>The dataset id under the name the batch cmdlets bind by property name.</summary>
    public string DatasetId => Id;

    public override string ToString() => Name is null ? Id : $"{Name} ({Id})";
}
