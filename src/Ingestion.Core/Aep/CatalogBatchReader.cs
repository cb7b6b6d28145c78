using System.Text.Json.Nodes;
using Ingestion.Core.Models;

namespace Ingestion.Core.Aep;

/// <summary>Maps one Catalog batch object to <see cref="IngestStatus"/>.</summary>
internal static class CatalogBatchReader
{
    public static IngestStatus Read(string batchId, JsonObject batch)
    {
        var metrics = batch["metrics"];
        return new IngestStatus
        {
            Id = AepJson.String(batch, "id") ?? batchId,
            DatasetId = DatasetOf(batch),
            Status = BatchStatusExtensions.ParseCatalogValue(AepJson.String(batch, "status")),
            // Metrics only exist on promoted batches; recordCount is the older top-level field.
            Records = AepJson.Long(batch, "recordCount") ?? AepJson.Long(metrics, "outputRecordCount") ?? AepJson.Long(metrics, "inputRecordCount"),
            FailedRecords = AepJson.Long(batch, "failedRecordCount") ?? AepJson.Long(metrics, "failedRecordCount"),
            Errors = ErrorsOf(batch),
            Created = AepJson.EpochMillis(batch, "created"),
            Started = AepJson.EpochMillis(batch, "started"),
            Completed = AepJson.EpochMillis(batch, "completed"),
        };
    }

    private static string? DatasetOf(JsonObject batch) =>
        (batch["relatedObjects"] as JsonArray)?
            .FirstOrDefault(o => string.Equals(AepJson.String(o, "type"), "dataSet", StringComparison.OrdinalIgnoreCase)) is { } related
            ? AepJson.String(related, "id")
            : null;

    private static IReadOnlyList<BatchError> ErrorsOf(JsonObject batch) =>
        (batch["errors"] as JsonArray)?
            .Where(e => e is JsonObject)
            .Select(e => new BatchError
            {
                Code = AepJson.String(e, "code"),
                Description = AepJson.String(e, "description") ?? AepJson.String(e, "message"),
                Rows = (e!["rows"] as JsonArray)?.Select(r => r?.ToString() ?? string.Empty).ToArray() ?? [],
            })
            .ToArray() ?? [];
}
