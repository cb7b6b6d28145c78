using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.Core.Uploads;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Removes resume journals of unfinished chunked uploads (what Get-IngestUpload lists), so the next upload of those
/// files starts over. Only the local journal goes: what the service already received stays in the batch.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "IngestUpload", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UploadJournalInfo))]
public sealed class RemoveIngestUploadCommand : IngestCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchIdCompleter))]
    public string BatchId { get; set; } = null!;

    /// <summary>Only the journal of this file's upload; all of the batch's when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RemoteName { get; set; }

    /// <summary>Only uploads into this dataset.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetIdCompleter))]
    public string? DatasetId { get; set; }

    /// <summary>Writes each journal removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var matches = UploadJournal.List()
            .Where(j => j.BatchId == BatchId && (RemoteName is null || j.RemoteName == RemoteName) && (DatasetId is null || j.DatasetId == DatasetId))
            .ToList();
        if (matches.Count == 0)
        {
            var named = RemoteName is null ? string.Empty : string.Format(Messages.UploadJournalNamed, RemoteName);
            WriteError(ErrorMapper.Create(ErrorIds.UploadJournalNotFound, ErrorCategory.ObjectNotFound, string.Format(Messages.UploadJournalNotFound, BatchId, named), BatchId));
            return;
        }

        foreach (var journal in matches)
        {
            if (!ShouldProcess(string.Format(Messages.TargetUploadJournal, journal.Path, journal.RemoteName, journal.BatchId), Messages.ActionRemoveUploadJournal))
            {
                continue;
            }

            if (UploadJournal.Remove(journal) is { } removed && PassThru)
            {
                WriteObject(removed);
            }
        }
    }
}
