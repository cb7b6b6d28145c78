using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Reverts a processed batch: its data is removed from the dataset and the batch becomes inactive.</summary>
[Cmdlet(VerbsCommon.Remove, "IngestBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(IngestStatus))]
public sealed class RemoveIngestBatchCommand : BatchActionCmdlet
{
    private protected override string Action => Messages.ActionRevert;

    private protected override Task ActAsync(IngestSession session, string batchId, CancellationToken cancellationToken) =>
        session.Batches.RevertBatchAsync(batchId, cancellationToken);
}
