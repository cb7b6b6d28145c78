using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Reads a batch's status from Catalog; -Wait polls, with growing intervals, until the batch is done.</summary>
[Cmdlet(VerbsCommon.Get, "IngestStatus")]
[OutputType(typeof(IngestStatus))]
public sealed class GetIngestStatusCommand : IngestSessionCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] BatchId { get; set; } = null!;

    /// <summary>Waits until the batch reaches a final state (success, failure, abort…).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: how long to wait per batch; 0 waits until it ends or Ctrl+C.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord()
    {
        var session = RequireSession();
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
}
