using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Uploads;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Lists the unfinished chunked uploads this user left on this machine (their resume journals), oldest first;
/// Send-IngestFile resumes them on its own when the same file goes to the same batch again.
/// </summary>
[Cmdlet(VerbsCommon.Get, "IngestUpload")]
[OutputType(typeof(UploadJournalInfo))]
public sealed class GetIngestUploadCommand : IngestCmdlet
{
    /// <summary>Only the uploads into these batches.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchIdCompleter))]
    public string[]? BatchId { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var journal in UploadJournal.List())
        {
            if (BatchId is null || BatchId.Contains(journal.BatchId, StringComparer.Ordinal))
            {
                WriteObject(journal);
            }
        }
    }
}
