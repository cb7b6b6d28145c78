using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// Bulk ingestion: <c>/api/v1/ingest/jobs</c> (create, list), <c>/jobs/{id}</c> (get, PATCH state, delete) and
/// <c>PUT /jobs/{id}/batches</c> (one CSV file). The gateway middleware has already checked the Data Cloud token.
/// </summary>
internal sealed class DataCloudJobEndpoints(DataCloudService dataCloud)
{
    public const string JobsRoute = "/api/v1/ingest/jobs";
    public const string JobRoute = "/api/v1/ingest/jobs/{jobId}";
    public const string BatchesRoute = "/api/v1/ingest/jobs/{jobId}/batches";

    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    private const long MaxJsonBytes = 1024 * 1024;

    private static readonly string[] OrderFields = ["systemModstamp", "createdDate", "id", "object", "state"];

    public async Task CreateAsync(HttpContext context)
    {
        var body = await DataCloudRequests.ReadObjectAsync(context, MaxJsonBytes);
        var operation = DataCloudRequests.Text(body["operation"]);
        var objectName = DataCloudRequests.Text(body["object"]);
        var source = DataCloudRequests.Text(body["sourceName"]);
        if (operation is not ("upsert" or "delete"))
        {
            throw DataCloudErrors.InvalidInput($"'operation' must be upsert or delete, not '{operation}'.");
        }

        if (string.IsNullOrEmpty(objectName) || string.IsNullOrEmpty(source))
        {
            throw DataCloudErrors.InvalidInput("'object' and 'sourceName' are required: the object and the Ingestion API source (connector) it belongs to.");
        }

        var target = FindObject(source, objectName);
        var job = await dataCloud.Jobs.CreateAsync(target, operation, context.RequestAborted);
        await HttpJson.WriteAsync(context, StatusCodes.Status201Created, job.ToJson());
    }

    public async Task UploadAsync(HttpContext context)
    {
        var id = DataCloudRequests.Route(context, "jobId");
        var job = dataCloud.Jobs.Find(id) ?? throw DataCloudErrors.JobNotFound(id);
        if (job.State != DataCloudJobStates.Open)
        {
            throw DataCloudErrors.JobNotOpen(id, job.State);
        }

        if (job.Files >= DataCloudJobStore.MaxFilesPerJob)
        {
            throw DataCloudErrors.TooManyFiles(id, DataCloudJobStore.MaxFilesPerJob);
        }

        DataCloudRequests.RequireMediaType(context, "text/csv");
        var bytes = await DataCloudRequests.ReadBodyAsync(context, DataCloudJobStore.MaxUploadBytes, "The CSV file");
        var text = DataCloudCsv.Decode(bytes);
        var records = DataCloudCsv.Parse(text);
        if (records.Count == 0)
        {
            throw DataCloudErrors.InvalidInput("The CSV file is empty.");
        }

        var target = dataCloud.Catalog.Find(job.SourceName, job.Object) ?? throw DataCloudErrors.NotFound($"Object '{job.Object}' of source '{job.SourceName}' no longer exists.");
        if (job.Operation == "delete")
        {
            CheckDeleteFile(target, records);
        }
        else
        {
            CheckUpsertFile(target, records);
        }

        await dataCloud.Jobs.AddFileAsync(id, text, context.RequestAborted);
        await HttpJson.WriteEmptyAsync(context, StatusCodes.Status202Accepted);
    }

    public async Task PatchAsync(HttpContext context)
    {
        var id = DataCloudRequests.Route(context, "jobId");
        var body = await DataCloudRequests.ReadObjectAsync(context, MaxJsonBytes);
        var state = DataCloudRequests.Text(body["state"]);
        if (state is not (DataCloudJobStates.UploadComplete or DataCloudJobStates.Aborted))
        {
            throw DataCloudErrors.InvalidInput($"'state' must be UploadComplete (close the job) or Aborted, not '{state}'.");
        }

        var job = await dataCloud.Jobs.ChangeStateAsync(id, state, context.RequestAborted);
        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, job.ToJson());
    }

    public Task GetAsync(HttpContext context)
    {
        var id = DataCloudRequests.Route(context, "jobId");
        var job = dataCloud.Jobs.Find(id) ?? throw DataCloudErrors.JobNotFound(id);
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, job.ToJson());
    }

    public async Task DeleteAsync(HttpContext context)
    {
        await dataCloud.Jobs.DeleteAsync(DataCloudRequests.Route(context, "jobId"), context.RequestAborted);
        await HttpJson.WriteEmptyAsync(context, StatusCodes.Status204NoContent);
    }

    /// <summary><c>?limit=</c> (default 20, 1 to 100), <c>offset=</c>, <c>orderBy=</c> (ascending; default systemModstamp), <c>states=</c> (comma list).</summary>
    public Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var limit = Number(query["limit"].ToString(), "limit", DefaultLimit, 1, MaxLimit);
        var offset = Number(query["offset"].ToString(), "offset", 0, 0, int.MaxValue);
        var orderBy = query["orderBy"].ToString() is { Length: > 0 } order ? order : "systemModstamp";
        if (!OrderFields.Contains(orderBy))
        {
            throw DataCloudErrors.InvalidInput($"orderBy '{orderBy}' is not one of {string.Join(", ", OrderFields)}.");
        }

        HashSet<string>? states = null;
        if (query["states"].ToString() is { Length: > 0 } list)
        {
            states = [];
            foreach (var state in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!DataCloudJobStates.All.Contains(state))
                {
                    throw DataCloudErrors.InvalidInput($"states '{state}' is not one of {string.Join(", ", DataCloudJobStates.All)}.");
                }

                states.Add(state);
            }
        }

        var jobs = dataCloud.Jobs.All().Where(j => states is null || states.Contains(j.State));
        jobs = orderBy switch
        {
            "createdDate" => jobs.OrderBy(j => j.CreatedDate).ThenBy(j => j.Id, StringComparer.Ordinal),
            "id" => jobs.OrderBy(j => j.Id, StringComparer.Ordinal),
            "object" => jobs.OrderBy(j => j.Object, StringComparer.Ordinal).ThenBy(j => j.Id, StringComparer.Ordinal),
            "state" => jobs.OrderBy(j => j.State, StringComparer.Ordinal).ThenBy(j => j.Id, StringComparer.Ordinal),
            _ => jobs.OrderBy(j => j.SystemModstamp).ThenBy(j => j.Id, StringComparer.Ordinal),
        };
        var all = jobs.ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        var done = offset + page.Count >= all.Count;
        var body = new JsonObject
        {
            ["data"] = new JsonArray([.. page.Select(j => (JsonNode)j.ToJson())]),
            ["done"] = done,
        };
        if (!done)
        {
            var next = $"{JobsRoute}?limit={limit}&offset={offset + page.Count}&orderBy={orderBy}";
            if (states is not null)
            {
                next += "&states=" + Uri.EscapeDataString(string.Join(',', states));
            }

            body["nextRecordsUrl"] = next;
        }

        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, body);
    }

    private DataCloudObject FindObject(string source, string objectName)
    {
        if (!dataCloud.Catalog.HasSource(source))
        {
            throw DataCloudErrors.NotFound($"Source '{source}' is not an Ingestion API source (connector) of this org.");
        }

        return dataCloud.Catalog.Find(source, objectName)
            ?? throw DataCloudErrors.NotFound($"Source '{source}' has no object '{objectName}'.");
    }

    /// <summary>A header of field names (unknown ones are ignored, the primary key is required), then rows of as many fields.</summary>
    private static void CheckUpsertFile(DataCloudObject target, List<string[]> records)
    {
        var header = records[0];
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw DataCloudErrors.InvalidInput($"The CSV header names column '{duplicate.Key}' twice.");
        }

        if (!header.Contains(target.PrimaryKey.Name))
        {
            throw DataCloudErrors.InvalidInput(
                $"The CSV header has no column '{target.PrimaryKey.Name}', the primary key of object '{target.Name}'; the first line must name the object's fields.");
        }

        for (var r = 1; r < records.Count; r++)
        {
            if (records[r].Length != header.Length)
            {
                throw DataCloudErrors.InvalidInput($"CSV record {r + 1} has {records[r].Length} fields but the header has {header.Length}.");
            }
        }
    }

    /// <summary>No header: column 1 the primary key, optional column 2 a date-time.</summary>
    private static void CheckDeleteFile(DataCloudObject target, List<string[]> records)
    {
        if (records[0].Length > 0 && records[0][0] == target.PrimaryKey.Name)
        {
            throw DataCloudErrors.InvalidInput(
                $"A delete job's CSV has no header row: the first line names '{target.PrimaryKey.Name}'. Send only primary key values (and optionally a date-time in column 2).");
        }

        for (var r = 0; r < records.Count; r++)
        {
            var record = records[r];
            if (record.Length > 2)
            {
                throw DataCloudErrors.InvalidInput($"CSV record {r + 1} has {record.Length} fields; a delete job's rows have the primary key and optionally a date-time.");
            }

            if (record[0].Length == 0)
            {
                throw DataCloudErrors.InvalidInput($"CSV record {r + 1} has an empty primary key.");
            }

            if (record.Length == 2 && record[1].Length > 0 && !DataCloudObject.IsDateTime(record[1]))
            {
                throw DataCloudErrors.InvalidInput($"CSV record {r + 1}: column 2 '{record[1]}' is not a date-time such as 2026-01-31T13:45:00.000Z.");
            }
        }
    }

    private static int Number(string text, string name, int fallback, int min, int max)
    {
        if (text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw DataCloudErrors.InvalidInput($"{name} must be a whole number from {min} to {max}, not '{text}'.");
    }
}
