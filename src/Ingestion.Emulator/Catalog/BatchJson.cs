using System.Text.Json.Nodes;
using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Catalog;

/// <summary>The JSON shapes of a batch: the import API's reply to create, and Catalog's fuller record.</summary>
internal static class BatchJson
{
    /// <summary>What <c>POST /import/batches</c> answers (batch ingestion API overview, "Create a batch").</summary>
    public static JsonObject ForImport(BatchState batch)
    {
        var json = new JsonObject
        {
            ["id"] = batch.Id,
            ["imsOrg"] = batch.ImsOrg,
            ["updated"] = batch.Updated,
            ["status"] = batch.Status,
            ["created"] = batch.Created,
            ["relatedObjects"] = RelatedObjects(batch),
            ["version"] = batch.Version,
            ["tags"] = Tags(batch.Tags),
            ["createdUser"] = batch.CreatedUser,
            ["updatedUser"] = batch.CreatedUser,
            ["externalId"] = batch.ExternalId,
            ["inputFormat"] = InputFormat(batch.InputFormat),
        };
        AddReplay(json, batch);
        return json;
    }

    /// <summary>Catalog's <c>batchResponse</c>; fields that do not apply yet are left out, as Catalog does.</summary>
    public static JsonObject ForCatalog(BatchState batch)
    {
        var json = new JsonObject
        {
            ["imsOrg"] = batch.ImsOrg,
            ["created"] = batch.Created,
            ["createdClient"] = batch.CreatedClient,
            ["createdUser"] = batch.CreatedUser,
            ["updatedUser"] = batch.CreatedUser,
            ["updated"] = batch.Updated,
            ["externalId"] = batch.ExternalId,
            ["status"] = batch.Status,
            ["relatedObjects"] = RelatedObjects(batch),
            ["inputFormat"] = InputFormat(batch.InputFormat),
            ["tags"] = Tags(batch.Tags),
            ["version"] = batch.Version,
        };

        if (batch.Started is { } started)
        {
            json["started"] = started;
        }

        if (batch.Completed is { } completed)
        {
            json["completed"] = completed;
        }

        AddReplay(json, batch);

        if (batch.RecordCount is { } records)
        {
            json["recordCount"] = records;
        }

        if (batch.FailedRecordCount is { } failed)
        {
            json["failedRecordCount"] = failed;
        }

        if (batch.Errors.Count > 0)
        {
            json["errors"] = new JsonArray(batch.Errors.Select(e => (JsonNode)new JsonObject
            {
                ["code"] = e.Code,
                ["description"] = e.Description,
                ["rows"] = new JsonArray(e.Rows.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
            }).ToArray());
        }

        if (batch.Metrics is { } metrics)
        {
            json["metrics"] = new JsonObject
            {
                ["inputFileCount"] = metrics.InputFileCount,
                ["inputByteSize"] = metrics.InputByteSize,
                ["inputRecordCount"] = metrics.InputRecordCount,
                ["outputRecordCount"] = metrics.OutputRecordCount,
                ["failedRecordCount"] = metrics.FailedRecordCount,
            };
            json["size"] = metrics.InputByteSize;
        }

        return json;
    }

    public static JsonObject Tags(IReadOnlyDictionary<string, IReadOnlyList<string>> tags)
    {
        var json = new JsonObject();
        foreach (var (name, values) in tags)
        {
            json[name] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
        }

        return json;
    }

    private static JsonArray RelatedObjects(BatchState batch) =>
        [new JsonObject { ["type"] = "dataSet", ["id"] = batch.DatasetId }];

    private static JsonObject InputFormat(BatchInputFormat format)
    {
        var json = new JsonObject { ["format"] = format.Format };
        if (format.IsMultiLineJson is { } multiLine)
        {
            json["isMultiLineJson"] = multiLine;
        }

        return json;
    }

    private static void AddReplay(JsonObject json, BatchState batch)
    {
        if (batch.Replay is not { } replay)
        {
            return;
        }

        var node = new JsonObject
        {
            ["predecessors"] = new JsonArray(replay.Predecessors.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray()),
        };
        if (replay.PredecessorsByExternalId is { } byExternalId)
        {
            node["predecessorsByExternalId"] = new JsonArray(byExternalId.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray());
        }

        if (replay.Reason is not null)
        {
            node["reason"] = replay.Reason;
        }

        json["replay"] = node;
    }
}
