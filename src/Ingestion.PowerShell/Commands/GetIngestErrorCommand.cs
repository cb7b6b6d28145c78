using System.Management.Automation;
using System.Runtime.CompilerServices;
using Ingestion.Core.Aep;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Reads why a batch was rejected from the Data Access API: one object per row-level error, then one per failed
/// file that has no row-level errors. Row-level errors exist only for batches created with -ErrorDiagnostics.
/// </summary>
[Cmdlet(VerbsCommon.Get, "IngestError")]
[OutputType(typeof(BatchRowError))]
public sealed class GetIngestErrorCommand : IngestSessionCmdlet
{
    // The empty marker file a finished Spark job leaves next to its output.
    private const string SuccessMarker = "_SUCCESS";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchIdCompleter))]
    public string[] BatchId { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var session = RequireAepSession();
        foreach (var batchId in BatchId)
        {
            WriteErrorsOf(session, batchId);
        }
    }

    private void WriteErrorsOf(IngestSession session, string batchId)
    {
        var filesWithRowErrors = new HashSet<string>(StringComparer.Ordinal);
        var failed = new StrongBox<bool>();
        var notEnabled = new StrongBox<IngestionException?>();
        foreach (var error in Enumerate(token => RowErrorsAsync(session, batchId, notEnabled, token), batchId, failed))
        {
            if (error.File is not null)
            {
                filesWithRowErrors.Add(error.File);
            }

            WriteObject(error);
        }

        // A batch that does not exist, or a service that failed, has been reported already.
        if (failed.Value)
        {
            return;
        }

        if (notEnabled.Value is { } reason)
        {
            WriteFailure(reason, batchId);
        }

        foreach (var file in Enumerate(token => session.DataAccess.GetFailedFilesAsync(batchId, token), batchId, failed))
        {
            if (filesWithRowErrors.Contains(file.Name) || file.Name == SuccessMarker || file.Name.EndsWith("/" + SuccessMarker, StringComparison.Ordinal))
            {
                continue;
            }

            WriteObject(new BatchRowError
            {
                BatchId = batchId,
                File = file.Name,
                Message = Messages.FailedFileWithoutRowErrors,
                Source = BatchRowError.FailedFileSource,
            });
        }
    }

    /// <summary>The row errors, or none when the batch has no diagnostics; that reason is kept for the pipeline thread to write.</summary>
    private static async IAsyncEnumerable<BatchRowError> RowErrorsAsync(IngestSession session, string batchId, StrongBox<IngestionException?> notEnabled, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var errors = session.DataAccess.GetRowErrorsAsync(batchId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await errors.MoveNextAsync().ConfigureAwait(false);
                }
                catch (IngestionException ex) when (DataAccessClient.IsDiagnosticsNotEnabled(ex))
                {
                    notEnabled.Value = ex;
                    more = false;
                }

                if (!more)
                {
                    yield break;
                }

                yield return errors.Current;
            }
        }
        finally
        {
            await errors.DisposeAsync().ConfigureAwait(false);
        }
    }
}
