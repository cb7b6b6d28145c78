using System.Globalization;
using System.Text.Json.Nodes;

namespace Ingestion.Emulator.DataCloud;

/// <summary>The states of a bulk job: Open → UploadComplete → InProgress → JobComplete | Failed; Open → Aborted.</summary>
internal static class DataCloudJobStates
{
    public const string Open = "Open";
    public const string UploadComplete = "UploadComplete";
    public const string InProgress = "InProgress";
    public const string JobComplete = "JobComplete";
    public const string Failed = "Failed";
    public const string Aborted = "Aborted";

    public static readonly string[] All = [Open, UploadComplete, InProgress, JobComplete, Failed, Aborted];

    /// <summary>The states that count against the 5 concurrent jobs.</summary>
    public static bool IsActive(string state) => state is Open or UploadComplete or InProgress;

    /// <summary>The states in which a job may be deleted.</summary>
    public static bool IsDeletable(string state) => state is UploadComplete or JobComplete or Aborted or Failed;
}

/// <summary>One bulk job as kept in <c>datacloud/jobs/{id}/job.json</c>; changes make a new copy.</summary>
internal sealed record DataCloudJob
{
    public required string Id { get; init; }
    public required string Operation { get; init; }
    public required string Object { get; init; }
    public required string SourceName { get; init; }
    public required DateTimeOffset CreatedDate { get; init; }
    public required DateTimeOffset SystemModstamp { get; init; }
    public required string State { get; init; }

    /// <summary>How many CSV files were uploaded; they are <c>files/0000.csv</c> and up.</summary>
    public int Files { get; init; }
    public long? NumberRecordsProcessed { get; init; }
    public long? NumberRecordsFailed { get; init; }
    public string? ErrorMessage { get; init; }

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The job JSON of the Ingestion API; <c>numberRecordsProcessed</c>, <c>numberRecordsFailed</c> and <c>errorMessage</c> are emulator extras.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["operation"] = Operation,
            ["object"] = Object,
            ["sourceName"] = SourceName,
            ["createdById"] = DataCloudIdentity.UserId,
            ["createdDate"] = Timestamp(CreatedDate),
            ["systemModstamp"] = Timestamp(SystemModstamp),
            ["state"] = State,
            ["contentType"] = "CSV",
            ["apiVersion"] = "v1",
            ["contentUrl"] = $"api/v1/ingest/jobs/{Id}/batches",
        };
        if (NumberRecordsProcessed is { } processed)
        {
            json["numberRecordsProcessed"] = processed;
        }

        if (NumberRecordsFailed is { } failed)
        {
            json["numberRecordsFailed"] = failed;
        }

        if (ErrorMessage is not null)
        {
            json["errorMessage"] = ErrorMessage;
        }

        return json;
    }
}
