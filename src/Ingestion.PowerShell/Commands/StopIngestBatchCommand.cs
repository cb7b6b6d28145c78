using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Aborts a batch that is still loading: its files are discarded and it can no longer be completed.</summary>
[Cmdlet(VerbsLifecycle.Stop, "IngestBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(IngestStatus))]
public sealed class StopIngestBatchCommand : BatchActionCmdlet
{
    private protected override string Action => Messages.ActionAbort;

    private protected override Task ActAsync(IngestSession session, string batchId, CancellationToken cancellationToken) =>
        session.Batches.AbortBatchAsync(batchId, cancellationToken);
}
