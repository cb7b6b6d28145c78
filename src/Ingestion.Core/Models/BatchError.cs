namespace Ingestion.Core.Models;

/// <summary>One entry of a Catalog batch's <c>errors[]</c>.</summary>
public sealed class BatchError
{
    public string? Code { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Rows { get; init; } = [];

    public override string ToString() => Code is null ? Description ?? string.Empty : $"{Code}: {Description}";
}
