using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// Streaming ingestion: <c>POST /api/v1/ingest/sources/{source}/{object}</c> (<c>{"data":[…]}</c>, at most 200 KB),
/// <c>DELETE</c> on the same path (<c>?ids=a,b</c> or <c>{"ids":[…]}</c>, at most 200) and
/// <c>POST …/actions/test</c> (validation only). The real service applies streamed records about every 3 minutes;
/// the emulator applies them at once so tests can read them back through
/// <c>GET /emulator/datacloud/{source}/{object}/records</c>.
/// </summary>
internal sealed class DataCloudStreamingEndpoints(DataCloudService dataCloud, TimeProvider time)
{
    public const string ObjectRoute = "/api/v1/ingest/sources/{source}/{objectName}";
    public const string TestRoute = "/api/v1/ingest/sources/{source}/{objectName}/actions/test";
    public const string RecordsRoute = "/emulator/datacloud/{source}/{objectName}/records";

    /// <summary>"Less than 200 KB" read as 200 × 1024 bytes; a body of exactly 204,800 bytes is accepted.</summary>
    public const int MaxPayloadBytes = 200 * 1024;
    public const int MaxDeleteIds = 200;

    public async Task UpsertAsync(HttpContext context)
    {
        var (target, records) = await ReadRecordsAsync(context);
        for (var i = 0; i < records.Count; i++)
        {
            if (Check(target, records[i]) is [var first, ..])
            {
                throw DataCloudErrors.InvalidInput($"Record {i}: {first}");
            }
        }

        await dataCloud.Records.ApplyAsync(target, records, [], context.RequestAborted);
        await HttpJson.WriteAsync(context, StatusCodes.Status202Accepted, new JsonObject { ["accepted"] = true });
    }

    /// <summary>200 with <c>{"validationReport":[{"recordIndex":n,"errors":["…"]}]}</c> listing failing records (empty: all valid); nothing is stored.</summary>
    public async Task TestAsync(HttpContext context)
    {
        var (target, records) = await ReadRecordsAsync(context);
        var report = new JsonArray();
        for (var i = 0; i < records.Count; i++)
        {
            var errors = Check(target, records[i]);
            if (errors.Count > 0)
            {
                report.Add(new JsonObject { ["recordIndex"] = i, ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]) });
            }
        }

        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, new JsonObject { ["validationReport"] = report });
    }

    public async Task DeleteAsync(HttpContext context)
    {
        Throttle();
        var target = Target(context);
        var ids = new List<string>();
        if (context.Request.Query["ids"].ToString() is { Length: > 0 } list)
        {
            ids.AddRange(list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        else if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = await DataCloudRequests.ReadObjectAsync(context, MaxPayloadBytes);
            if (body["ids"] is not JsonArray array || array.Any(i => DataCloudRequests.Text(i) is not { Length: > 0 }))
            {
                throw DataCloudErrors.InvalidInput("The body must be {\"ids\": [\"…\"]}: the primary keys of the records to delete.");
            }

            ids.AddRange(array.Select(i => DataCloudRequests.Text(i)!));
        }

        if (ids.Count == 0)
        {
            throw DataCloudErrors.InvalidInput("Name the records to delete with ?ids=a,b or a body {\"ids\": [\"a\", \"b\"]}.");
        }

        if (ids.Count > MaxDeleteIds)
        {
            throw DataCloudErrors.InvalidInput($"{ids.Count} ids were sent; one delete request may name at most {MaxDeleteIds}.");
        }

        await dataCloud.Records.ApplyAsync(target, [], ids, context.RequestAborted);
        await HttpJson.WriteAsync(context, StatusCodes.Status202Accepted, new JsonObject { ["accepted"] = true });
    }

    /// <summary>Emulator only, from 127.0.0.1: what the object holds, <c>{"source","object","records":[…]}</c>.</summary>
    public Task RecordsAsync(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address || !System.Net.IPAddress.IsLoopback(address))
        {
            throw DataCloudErrors.NotFound("Records can only be read from the machine the emulator runs on (127.0.0.1).");
        }

        var target = Target(context);
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["source"] = target.Source,
            ["object"] = target.Name,
            ["records"] = dataCloud.Records.Snapshot(target),
        });
    }

    private void Throttle()
    {
        if (!dataCloud.StreamingRate.TryAcquire(time.GetUtcNow()))
        {
            throw DataCloudErrors.Throttled(
                $"More than {DataCloudRateLimiter.MaxRequestsPerSecond} requests per second were sent to the Ingestion API's streaming endpoints.", 1);
        }
    }

    private DataCloudObject Target(HttpContext context)
    {
        var source = DataCloudRequests.Route(context, "source");
        var name = DataCloudRequests.Route(context, "objectName");
        if (!dataCloud.Catalog.HasSource(source))
        {
            throw DataCloudErrors.NotFound($"Source '{source}' is not an Ingestion API source (connector) of this org.");
        }

        return dataCloud.Catalog.Find(source, name) ?? throw DataCloudErrors.NotFound($"Source '{source}' has no object '{name}'.");
    }

    private async Task<(DataCloudObject Target, List<JsonObject> Records)> ReadRecordsAsync(HttpContext context)
    {
        Throttle();
        var target = Target(context);
        var body = await DataCloudRequests.ReadObjectAsync(context, MaxPayloadBytes);
        if (body["data"] is not JsonArray data || data.Count == 0)
        {
            throw DataCloudErrors.InvalidInput("The body must be {\"data\": [ … ]} with at least one record.");
        }

        var records = new List<JsonObject>();
        for (var i = 0; i < data.Count; i++)
        {
            records.Add(data[i] as JsonObject ?? throw DataCloudErrors.InvalidInput($"Record {i} is not a JSON object."));
        }

        return (target, records);
    }

    /// <summary>Every field of the object must be present (null or "" for no value), and each value must fit its type.</summary>
    private static List<string> Check(DataCloudObject target, JsonObject record)
    {
        var errors = new List<string>();
        foreach (var field in target.Fields)
        {
            if (!record.TryGetPropertyValue(field.Name, out var value))
            {
                errors.Add($"field '{field.Name}' is missing; every field of the schema must be present (send a blank value when there is none).");
                continue;
            }

            if (DataCloudObject.CheckJson(field, value) is { } problem)
            {
                errors.Add(problem);
            }
        }

        return errors;
    }
}
