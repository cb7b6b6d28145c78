using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Reverts a processed batch: its data is removed from the dataset and the batch becomes inactive. On a Data Cloud session
/// the job is deleted (only in UploadComplete, JobComplete, Aborted or Failed; otherwise the error names its state).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "IngestBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(IngestStatus))]
public sealed class RemoveIngestBatchCommand : BatchActionCmdlet
{
    private protected override string Action =>
        (Session ?? SessionStore.Default)?.Platform == Ingestion.Core.IngestPlatform.DataCloud ? Messages.ActionDeleteJob : Messages.ActionRevert;

    private protected override Task ActAsync(IngestSession session, string batchId, CancellationToken cancellationToken) =>
        session.Platform == Ingestion.Core.IngestPlatform.DataCloud
            ? session.DataCloud.DeleteJobAsync(batchId, cancellationToken)
            : session.Batches.RevertBatchAsync(batchId, cancellationToken);

    /// <summary>A deleted Data Cloud job can no longer be read: nothing to pass on.</summary>
    private protected override void OnActed(IngestSession session, string batchId)
    {
        if (session.Platform != Ingestion.Core.IngestPlatform.DataCloud)
        {
            base.OnActed(session, batchId);
        }
    }
}
