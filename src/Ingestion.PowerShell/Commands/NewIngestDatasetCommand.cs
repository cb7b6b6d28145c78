using System.Collections;
using System.Management.Automation;
using Ingestion.Core.Aep;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Creates a dataset on an XDM schema; batches are then created in it with New-IngestBatch.</summary>
[Cmdlet(VerbsCommon.New, "IngestDataset", SupportsShouldProcess = true)]
[OutputType(typeof(IngestDataset))]
public sealed class NewIngestDatasetCommand : IngestSessionCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>The schema's $id, e.g. https://ns.adobe.com/{tenant}/schemas/{guid}.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string SchemaId { get; set; } = null!;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    /// <summary>Catalog tags: each key maps to a string or a list of strings.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Tag { get; set; }

    /// <summary>Enables the dataset for Profile upserts (tag unifiedProfile: enabled:true, isUpsert:true); its batches must then be Parquet.</summary>
    [Parameter]
    public SwitchParameter Upsert { get; set; }

    protected override void ProcessRecord()
    {
        if (!TagParameter.TryRead(Tag, out var tags, out var invalid))
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidTag, ErrorCategory.InvalidArgument, string.Format(Messages.InvalidTag, invalid), Tag));
        }

        if (Upsert)
        {
            TagParameter.Merge(tags, CatalogClient.UnifiedProfileTag, CatalogClient.UpsertTagValues);
        }

        var action = string.Format(Upsert ? Messages.ActionNewUpsertDataset : Messages.ActionNewDataset, SchemaId);
        if (!ShouldProcess(string.Format(Messages.TargetDataset, Name), action))
        {
            return;
        }

        var session = RequireAepSession();
        if (TryRun(token => session.Catalog.CreateDatasetAsync(Name, SchemaId, Description, tags, token), Name, out var dataset))
        {
            WriteObject(dataset);
        }
    }
}
