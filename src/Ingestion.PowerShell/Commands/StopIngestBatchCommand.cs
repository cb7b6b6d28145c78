using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Aborts a batch that is still loading (or an open Data Cloud job: state Aborted): its files are discarded and it can no longer be completed.</summary>
[Cmdlet(VerbsLifecycle.Stop, "IngestBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(IngestStatus))]
[OutputType(typeof(Ingestion.Core.DataCloud.DataCloudJob))]
public sealed class StopIngestBatchCommand : BatchActionCmdlet
{
    private protected override string Action => Messages.ActionAbort;

    private protected override Task ActAsync(IngestSession session, string batchId, CancellationToken cancellationToken) =>
        session.Platform == Ingestion.Core.IngestPlatform.DataCloud
            ? session.DataCloud.AbortJobAsync(batchId, cancellationToken)
            : session.Batches.AbortBatchAsync(batchId, cancellationToken);
}
