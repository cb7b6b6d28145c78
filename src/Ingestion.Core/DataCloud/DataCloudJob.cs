using System.Globalization;
using System.Text.Json.Nodes;

namespace Ingestion.Core.DataCloud;

/// <summary>What a Data Cloud bulk job does with its rows.</summary>
public enum DataCloudOperation
{
    /// <summary>Insert or fully replace records (CSV with a header row).</summary>
    Upsert,

    /// <summary>Delete records (CSV without a header: primary key, optional datetime).</summary>
    Delete,
}

/// <summary>
/// A Data Cloud bulk (CSV) job, as New-IngestBatch, Get-IngestStatus and Get-IngestBatch write it. Binds to the batch
/// cmdlets' <c>-BatchId</c> by its <see cref="Id"/> (alias) and <see cref="BatchId"/>; it has no DatasetId on purpose.
/// </summary>
public sealed class DataCloudJob
{
    public const string Open = "Open";
    public const string UploadComplete = "UploadComplete";
    public const string InProgress = "InProgress";
    public const string JobComplete = "JobComplete";
    public const string Failed = "Failed";
    public const string Aborted = "Aborted";

    /// <summary>Every state the service documents (InProgress only appears in answers, not in the list filter's documentation).</summary>
    public static readonly IReadOnlyList<string> States = [Open, UploadComplete, InProgress, JobComplete, Failed, Aborted];

    public required string Id { get; init; }
    public string? Object { get; init; }
    public string? SourceName { get; init; }

    /// <summary>As the service spells it (<c>upsert</c> or <c>delete</c>).</summary>
    public string? Operation { get; init; }

    /// <summary>As the service spells it: Open, UploadComplete, InProgress, JobComplete, Failed or Aborted.</summary>
    public string? State { get; init; }
    public string? ContentType { get; init; }
    public string? ApiVersion { get; init; }
    public string? CreatedById { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Modified { get; init; }
    public IngestPlatform Platform => IngestPlatform.DataCloud;

    /// <summary>The job id under the name the batch cmdlets bind by property name.</summary>
    public string BatchId => Id;

    /// <summary>JobComplete, Failed or Aborted: the state will not change any more.</summary>
    public bool IsTerminal => IsTerminalState(State);

    public bool IsSuccess => string.Equals(State, JobComplete, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a delete job, whose CSV files have no header row.</summary>
    public bool IsDelete => string.Equals(Operation, "delete", StringComparison.OrdinalIgnoreCase);

    public static bool IsTerminalState(string? state) =>
        state is not null && (state.Equals(JobComplete, StringComparison.OrdinalIgnoreCase)
            || state.Equals(Failed, StringComparison.OrdinalIgnoreCase)
            || state.Equals(Aborted, StringComparison.OrdinalIgnoreCase));

    /// <summary>The states a job can be deleted in.</summary>
    public static bool IsDeletable(string? state) =>
        IsTerminalState(state) || string.Equals(state, UploadComplete, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Id} {State}";

    internal static DataCloudJob? FromJson(JsonNode? node)
    {
        if (node is not JsonObject job || Text(job, "id") is not { Length: > 0 } id)
        {
            return null;
        }

        return new DataCloudJob
        {
            Id = id,
            Object = Text(job, "object"),
            SourceName = Text(job, "sourceName"),
            Operation = Text(job, "operation"),
            State = Text(job, "state"),
            ContentType = Text(job, "contentType"),
            ApiVersion = Text(job, "apiVersion"),
            CreatedById = Text(job, "createdById"),
            Created = Date(Text(job, "createdDate")),
            Modified = Date(Text(job, "systemModstamp")),
        };
    }

    private static string? Text(JsonObject job, string name) =>
        job[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
