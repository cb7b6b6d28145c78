using System.Management.Automation;
using System.Runtime.CompilerServices;
using Ingestion.Core.DataCloud;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Lists the Data Cloud bulk jobs of the org (GET api/v1/ingest/jobs, page by page), optionally only those in some
/// states; each job is written as soon as its page arrives.
/// </summary>
[Cmdlet(VerbsCommon.Get, "IngestBatch")]
[OutputType(typeof(DataCloudJob))]
public sealed class GetIngestBatchCommand : IngestSessionCmdlet
{
    /// <summary>Only jobs in these states.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateSet(DataCloudJob.Open, DataCloudJob.UploadComplete, DataCloudJob.InProgress, DataCloudJob.JobComplete, DataCloudJob.Failed, DataCloudJob.Aborted, IgnoreCase = true)]
    public string[]? State { get; set; }

    /// <summary>At most this many jobs.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    protected override void ProcessRecord()
    {
        var session = RequireDataCloudSession();
        int? first = First > 0 ? First : null;
        var states = State;
        var failed = new StrongBox<bool>();
        foreach (var job in Enumerate(token => session.DataCloud.ListJobsAsync(states, first, null, token), null, failed))
        {
            WriteObject(job);
        }
    }
}
