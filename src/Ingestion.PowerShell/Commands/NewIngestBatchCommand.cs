using System.Collections;
using System.Management.Automation;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Creates a batch in a dataset; files are then added with Send-IngestFile.</summary>
[Cmdlet(VerbsCommon.New, "IngestBatch", SupportsShouldProcess = true)]
[OutputType(typeof(IngestBatch))]
public sealed class NewIngestBatchCommand : IngestSessionCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DatasetId { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    public IngestFormat Format { get; set; }

    /// <summary>The JSON files hold one array or pretty-printed objects instead of one object per line.</summary>
    [Parameter]
    public SwitchParameter MultiLineJson { get; set; }

    /// <summary>Ids of earlier batches this one replaces (AEP replay).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Replace { get; set; }

    /// <summary>Batch tags: each key maps to a string or a list of strings.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Tag { get; set; }

    /// <summary>Asks the service to keep row-level error diagnostics for this batch.</summary>
    [Parameter]
    public SwitchParameter ErrorDiagnostics { get; set; }

    protected override void ProcessRecord()
    {
        if (MultiLineJson && Format != IngestFormat.Json)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.MultiLineJsonNeedsJson, ErrorCategory.InvalidArgument, string.Format(Messages.MultiLineJsonNeedsJson, Format), Format));
        }

        var request = new NewBatchRequest
        {
            DatasetId = DatasetId,
            Format = Format,
            MultiLineJson = MultiLineJson,
            ReplacedBatchIds = Replace ?? [],
            Tags = ReadTags(),
            ErrorDiagnostics = ErrorDiagnostics,
        };

        if (!ShouldProcess(string.Format(Messages.TargetDataset, DatasetId), string.Format(Messages.ActionNewBatch, Format)))
        {
            return;
        }

        var session = RequireSession();
        if (TryRun(token => session.Batches.CreateBatchAsync(request, token), DatasetId, out var batch))
        {
            WriteObject(batch);
        }
    }

    private Dictionary<string, IReadOnlyList<string>> ReadTags()
    {
        if (!TagParameter.TryRead(Tag, out var tags, out var invalid))
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidTag, ErrorCategory.InvalidArgument, string.Format(Messages.InvalidTag, invalid), Tag));
        }

        return tags;
    }
}
