using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Ingestion.Emulator.Storage;

namespace Ingestion.Emulator.Import;

/// <summary>Reads and checks the body of <c>POST /batches</c> (<c>IngestBatch</c> in the batch ingestion spec).</summary>
internal sealed record NewBatch(
    string DatasetId,
    BatchInputFormat InputFormat,
    BatchReplay? Replay,
    Dictionary<string, IReadOnlyList<string>> Tags,
    string? ExternalId,
    bool EnableErrorDiagnostics)
{
    private static readonly string[] Formats = ["json", "parquet", "csv"];

    public static NewBatch Parse(JsonObject body, DatasetStore datasets, BatchStore batches)
    {
        var datasetId = HttpJson.Text(body["datasetId"]);
        if (string.IsNullOrWhiteSpace(datasetId))
        {
            throw Problems.InvalidBatchRequest("'datasetId' is required: the id of the dataset this batch writes to.");
        }

        var dataset = datasets.Find(datasetId) ?? throw Problems.DatasetNotFound(datasetId);
        var inputFormat = ParseInputFormat(body["inputFormat"]);

        // Batch ingestion guide, "patch/upsert": an upsert dataset takes Parquet only.
        if (IsUpsert(dataset) && inputFormat.Format != "parquet")
        {
            throw Problems.UpsertNeedsParquet(datasetId, inputFormat.Format);
        }
        var replay = ParseReplay(body["replay"], datasetId, batches);
        var tags = RequestTags.Parse(body["tags"], Problems.InvalidBatchRequest);

        var externalId = body["externalId"];
        if (externalId is not null && HttpJson.Text(externalId) is null)
        {
            throw Problems.InvalidBatchRequest("'externalId' must be a string.");
        }

        var diagnostics = body["enableErrorDiagnostics"];
        if (diagnostics is not null && diagnostics.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            throw Problems.InvalidBatchRequest("'enableErrorDiagnostics' must be true or false.");
        }

        var enableDiagnostics = diagnostics?.GetValue<bool>() == true;

        // Catalog shows the partial-ingestion settings as acp_ tags (error diagnostics guide).
        if (enableDiagnostics)
        {
            tags["acp_enableErrorDiagnostics"] = ["true"];
        }

        if (body["partialIngestionPercent"] is JsonValue percent && percent.TryGetValue<double>(out var value))
        {
            tags["acp_partialIngestionPercent"] = [value.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        return new NewBatch(datasetId, inputFormat, replay, tags, HttpJson.Text(externalId), enableDiagnostics);
    }

    /// <summary>A dataset enabled for Profile upserts carries <c>unifiedProfile: ["enabled:true", "isUpsert:true"]</c>.</summary>
    public static bool IsUpsert(DatasetState dataset) =>
        dataset.Tags.TryGetValue("unifiedProfile", out var values)
        && values.Any(v => string.Equals(v, "isUpsert:true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The spec marks inputFormat as required; Adobe's overview example omits it and the default is not
    /// documented, so the emulator asks for it rather than guess.
    /// </summary>
    private static BatchInputFormat ParseInputFormat(JsonNode? node)
    {
        if (node is not JsonObject inputFormat)
        {
            throw Problems.InvalidBatchRequest(
                "'inputFormat' is required, e.g. {\"format\": \"json\"}; format is one of json, parquet, csv.");
        }

        var format = HttpJson.Text(inputFormat["format"])?.ToLowerInvariant();
        if (format is null || !Formats.Contains(format))
        {
            throw Problems.InvalidBatchRequest(
                $"'inputFormat.format' must be one of json, parquet, csv (got {inputFormat["format"]?.ToJsonString() ?? "nothing"}).");
        }

        bool? multiLine = null;
        if (inputFormat["isMultiLineJson"] is { } flag)
        {
            if (flag.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                throw Problems.InvalidBatchRequest("'inputFormat.isMultiLineJson' must be true or false.");
            }

            multiLine = flag.GetValue<bool>();
        }

        return new BatchInputFormat(format, multiLine);
    }

    private static BatchReplay? ParseReplay(JsonNode? node, string datasetId, BatchStore batches)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject replay)
        {
            throw Problems.InvalidBatchRequest("'replay' must be an object: {\"predecessors\": [\"$<batchId>\"], \"reason\": \"replace\"}.");
        }

        var predecessors = ReadStrings(replay["predecessors"], "replay.predecessors");
        var byExternalId = replay["predecessorsByExternalId"] is null ? null : ReadStrings(replay["predecessorsByExternalId"], "replay.predecessorsByExternalId");
        if (predecessors.Count == 0 && (byExternalId is null || byExternalId.Count == 0))
        {
            throw Problems.InvalidBatchRequest("'replay.predecessors' must list at least one batch id, each prefixed with '$'.");
        }

        foreach (var predecessor in predecessors)
        {
            if (!predecessor.StartsWith('$') || predecessor.Length == 1)
            {
                throw Problems.InvalidBatchRequest($"Replay predecessor '{predecessor}' must be a batch id prefixed with '$', e.g. '${predecessor.TrimStart('$')}'.");
            }

            var batch = batches.Find(predecessor[1..])
                ?? throw Problems.InvalidBatchRequest($"Replay predecessor '{predecessor}' is not an existing batch.");
            if (batch.DatasetId != datasetId)
            {
                throw Problems.InvalidBatchRequest(
                    $"Replay predecessor '{predecessor}' belongs to dataset '{batch.DatasetId}'; a replay can only replace batches of dataset '{datasetId}'.");
            }
        }

        foreach (var externalId in byExternalId ?? [])
        {
            if (batches.FindByExternalId(datasetId, externalId) is null)
            {
                throw Problems.InvalidBatchRequest($"Replay predecessor with externalId '{externalId}' is not a batch of dataset '{datasetId}'.");
            }
        }

        var reason = replay["reason"];
        if (reason is not null && HttpJson.Text(reason) is null)
        {
            throw Problems.InvalidBatchRequest("'replay.reason' must be a string such as \"replace\".");
        }

        return new BatchReplay(predecessors, byExternalId, HttpJson.Text(reason));
    }

    private static List<string> ReadStrings(JsonNode? node, string name)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array || array.Any(item => HttpJson.Text(item) is null))
        {
            throw Problems.InvalidBatchRequest($"'{name}' must be an array of strings.");
        }

        return array.Select(item => HttpJson.Text(item)!).ToList();
    }
}
