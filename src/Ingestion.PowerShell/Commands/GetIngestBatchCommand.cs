using System.Management.Automation;
using Ingestion.Core.DataCloud;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Lists the Data Cloud bulk jobs of the org (GET api/v1/ingest/jobs, page by page), optionally only those in some
/// states, newest first unless -Ascending. Every page is read before the first job is written, so a pipeline that
/// removes or aborts the listed jobs cannot shift the pages under the listing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "IngestBatch")]
[OutputType(typeof(DataCloudJob))]
public sealed class GetIngestBatchCommand : IngestSessionCmdlet
{
    /// <summary>Only jobs in these states. Not bound from piped objects: a job's own State would list every job in that state.</summary>
    [Parameter(Position = 0)]
    [ValidateSet(DataCloudJob.Open, DataCloudJob.UploadComplete, DataCloudJob.InProgress, DataCloudJob.JobComplete, DataCloudJob.Failed, DataCloudJob.Aborted, IgnoreCase = true)]
    public string[]? State { get; set; }

    /// <summary>At most this many jobs (the newest, or with -Ascending the oldest, by -OrderBy).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>The field the jobs are ordered by (sent as orderBy): createdDate (default), systemModstamp, id, object or state.</summary>
    [Parameter]
    [ValidateSet(DataCloudClient.OrderByCreated, DataCloudClient.OrderByModified, "id", "object", "state", IgnoreCase = true)]
    public string OrderBy { get; set; } = DataCloudClient.OrderByCreated;

    /// <summary>Oldest (lowest) first instead of newest (highest) first.</summary>
    [Parameter]
    public SwitchParameter Ascending { get; set; }

    protected override void ProcessRecord()
    {
        var session = RequireDataCloudSession();
        int? first = First > 0 ? First : null;
        var states = State;
        var orderBy = OrderBy;
        var descending = !Ascending;
        if (TryRun(token => session.DataCloud.ListAllJobsAsync(states, orderBy, descending, first, token), null, out var jobs))
        {
            WriteObject(jobs, enumerateCollection: true);
        }
    }
}
