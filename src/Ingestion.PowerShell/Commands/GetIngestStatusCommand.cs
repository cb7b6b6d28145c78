using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Reads a batch's status from Catalog, or (parameter set Mapping) a Campaign XDM mapping ingestion request's status;
/// -Wait polls, with growing intervals, until it is done. An <see cref="XdmIngestRequest"/> binds to the Mapping set by
/// its MappingId and RequestId; it has no BatchId or Id property (its batch is AepBatchId), so it never binds the batch set.
/// On a Data Cloud session -BatchId names a bulk job and the job itself is the status (State as Data Cloud spells it, IsTerminal).
/// </summary>
[Cmdlet(VerbsCommon.Get, "IngestStatus", DefaultParameterSetName = BatchSet)]
[OutputType(typeof(IngestStatus), ParameterSetName = new[] { BatchSet })]
[OutputType(typeof(XdmIngestRequest), ParameterSetName = new[] { MappingSet })]
[OutputType(typeof(Ingestion.Core.DataCloud.DataCloudJob), ParameterSetName = new[] { BatchSet })]
public sealed class GetIngestStatusCommand : IngestSessionCmdlet
{
    private const string BatchSet = "Batch";
    private const string MappingSet = "Mapping";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BatchSet)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchIdCompleter))]
    public string[] BatchId { get; set; } = null!;

    /// <summary>The Campaign XDM mapping whose ingestion request to read.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = MappingSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MappingIdCompleter))]
    public string MappingId { get; set; } = null!;

    /// <summary>
    /// The request id Start-XdmMappingIngest returned. Named, like -MappingId: PowerShell binds positional arguments in the
    /// default (Batch) set first, so 'Get-IngestStatus m 12' could never reach this set while -BatchId is position 0.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = MappingSet)]
    [ValidateRange(0, long.MaxValue)]
    [ArgumentCompleter(typeof(RequestIdCompleter))]
    public long RequestId { get; set; }

    /// <summary>Waits until the batch or request reaches a final state (success, failure, abort…).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: how long to wait per batch or request; 0 waits until it ends or Ctrl+C.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; }

    protected override void OnBegin()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) && !Wait)
        {
            WriteWarning(Messages.TimeoutSecNeedsWait);
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == MappingSet)
        {
            ProcessMapping();
            return;
        }

        var session = RequireAepSession();
        if (session.Platform == Ingestion.Core.IngestPlatform.DataCloud)
        {
            ProcessJobs(session);
            return;
        }

        foreach (var batchId in BatchId)
        {
            if (Wait)
            {
                if (TryWaitForBatch(batchId, TimeoutSec, out var final))
                {
                    WriteBatchStatus(final);
                }
            }
            else if (TryRun(token => session.Catalog.GetBatchStatusAsync(batchId, token), batchId, out var status))
            {
                WriteObject(status);
            }
        }
    }

    private void ProcessJobs(Ingestion.Core.Sessions.IngestSession session)
    {
        foreach (var jobId in BatchId)
        {
            if (Wait)
            {
                if (TryWaitForJob(jobId, TimeoutSec, out var final))
                {
                    WriteJobStatus(final);
                }
            }
            else if (TryRun(token => session.DataCloud.GetJobAsync(jobId, token), jobId, out var job))
            {
                WriteObject(job);
            }
        }
    }

    private void ProcessMapping()
    {
        var session = RequireCampaignSession();
        if (Wait)
        {
            if (TryWaitForMapping(MappingId, RequestId, TimeoutSec, out var final))
            {
                WriteMappingStatus(final);
            }
        }
        else if (TryRun(token => session.Campaign.GetMappingIngestAsync(MappingId, RequestId, token), MappingId, out var request))
        {
            WriteObject(request);
        }
    }
}
