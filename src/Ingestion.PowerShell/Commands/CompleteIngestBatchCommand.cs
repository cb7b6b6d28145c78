using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Signals that a batch has all its files, so the platform starts processing it. Each batch is
/// completed once however many input objects name it; -Wait then polls until it is done.
/// A Data Cloud job is closed (state UploadComplete) and -Wait polls until JobComplete, Failed or Aborted; a job that is
/// already closed (UploadComplete or later, e.g. by Send-IngestFile -AutoSplitJobs) is not an error: a verbose line says
/// its state, and -Wait follows it like the others.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "IngestBatch", SupportsShouldProcess = true)]
[OutputType(typeof(IngestStatus))]
[OutputType(typeof(Ingestion.Core.DataCloud.DataCloudJob))]
public sealed class CompleteIngestBatchCommand : BatchActionCmdlet
{
    /// <summary>Waits until the batch is processed and writes its final status.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: how long to wait per batch; 0 waits until it ends or Ctrl+C.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; }

    private protected override string Action => Messages.ActionComplete;

    private protected override Task ActAsync(IngestSession session, string batchId, CancellationToken cancellationToken) =>
        session.Platform == Ingestion.Core.IngestPlatform.DataCloud
            ? session.DataCloud.CompleteJobAsync(batchId, cancellationToken)
            : session.Batches.CompleteBatchAsync(batchId, cancellationToken);

    private protected override void OnActed(IngestSession session, string batchId)
    {
        if (!Wait)
        {
            base.OnActed(session, batchId);
        }
        else if (session.Platform == Ingestion.Core.IngestPlatform.DataCloud)
        {
            if (TryWaitForJob(batchId, TimeoutSec, out var job, NotFoundEndsCommand))
            {
                WriteJobStatus(job);
            }
        }
        else if (TryWaitForBatch(batchId, TimeoutSec, out var final, NotFoundEndsCommand))
        {
            WriteBatchStatus(final);
        }
    }
}
