using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Errors;

namespace Ingestion.PowerShell.Runtime;

/// <summary>A cmdlet that talks to the service: takes -Session, or the default session of Connect-IngestService.</summary>
public abstract class IngestSessionCmdlet : IngestCmdlet
{
    private IngestSession? resolved;

    /// <summary>The connection to use; the one Connect-IngestService made last when omitted.</summary>
    [Parameter]
    [ValidateNotNull]
    public IngestSession? Session { get; set; }

    /// <summary>Looked up on first use, so -WhatIf and empty input need no connection.</summary>
    internal IngestSession RequireSession()
    {
        resolved ??= Session ?? SessionStore.Default;
        if (resolved is null)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NoSession, ErrorCategory.ConnectionError, Messages.NoSession, null));
        }

        if (resolved!.IsClosed)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NoSession, ErrorCategory.ConnectionError, string.Format(Messages.SessionClosed, resolved), resolved));
        }

        return resolved!;
    }

    /// <summary>Polls Catalog until the batch is terminal, showing a progress bar; false after writing the error.</summary>
    internal bool TryWaitForBatch(string batchId, int timeoutSec, out IngestStatus status, Func<Exception, bool>? endsCommand = null)
    {
        var session = RequireSession();
        var options = new WaitOptions { Timeout = timeoutSec > 0 ? TimeSpan.FromSeconds(timeoutSec) : null };
        var progress = new BatchWaitProgress(Bridge, batchId, options.Timeout);
        try
        {
            return TryRun(token => session.Catalog.WaitForBatchAsync(batchId, options, progress, token), batchId, out status!, endsCommand);
        }
        finally
        {
            if (!Stopping)
            {
                Bridge.Complete(this, ProgressActivity.WaitBatch, progress.Activity);
            }
        }
    }

    /// <summary>Writes a waited-for status; one that ended badly also gets a warning, since scripts often only look at errors.</summary>
    internal void WriteBatchStatus(IngestStatus status)
    {
        if (!status.IsSuccess)
        {
            var reason = status.Errors.Count > 0 ? status.Errors[0].ToString() : Messages.NoErrorGiven;
            WriteWarning(string.Format(Messages.BatchNotSuccessful, status.Id, status.Status.ToCatalogValue(), reason));
        }

        WriteObject(status);
    }

    /// <summary>A batch that does not exist means the input is wrong, not one item of it: stop.</summary>
    internal static bool NotFoundEndsCommand(Exception exception) =>
        exception is Core.Errors.IngestionException { Kind: Core.Errors.IngestErrorKind.NotFound };
}
