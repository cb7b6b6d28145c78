using System.Management.Automation;
using Ingestion.Core;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Completion;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// The batch signals (COMPLETE, ABORT, REVERT): each distinct batch is acted on once, however many
/// input objects name it, after ShouldProcess on that batch. On a Data Cloud session the batch is a bulk job and the
/// derived command's <see cref="ActAsync"/> sends Data Cloud's counterpart (PATCH state, or DELETE).
/// </summary>
public abstract class BatchActionCmdlet : IngestSessionCmdlet
{
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchIdCompleter))]
    public string[] BatchId { get; set; } = null!;

    /// <summary>Writes the batch status after the action.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>What ShouldProcess asks about, e.g. "Abort".</summary>
    private protected abstract string Action { get; }

    private protected abstract Task ActAsync(IngestSession session, string batchId, CancellationToken cancellationToken);

    /// <summary>After a successful action; writes the status with -PassThru.</summary>
    private protected virtual void OnActed(IngestSession session, string batchId)
    {
        if (session.Platform == IngestPlatform.DataCloud)
        {
            if (PassThru && TryRun(token => session.DataCloud.GetJobAsync(batchId, token), batchId, out var job))
            {
                WriteObject(job);
            }

            return;
        }

        if (PassThru && TryRun(token => session.Catalog.GetBatchStatusAsync(batchId, token), batchId, out var status))
        {
            WriteObject(status);
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var batchId in BatchId)
        {
            if (!seen.Add(batchId))
            {
                WriteVerbose(string.Format(Messages.AlreadyHandled, batchId));
                continue;
            }

            if (!ShouldProcess(string.Format(Messages.TargetBatch, batchId), Action))
            {
                continue;
            }

            var session = RequireAepSession();
            if (TryRun(token => ActAsync(session, batchId, token), batchId, NotFoundEndsCommand))
            {
                OnActed(session, batchId);
            }
        }
    }
}
