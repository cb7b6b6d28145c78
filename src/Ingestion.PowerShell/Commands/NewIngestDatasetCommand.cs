using System.Management.Automation;
using Ingestion.Core.Models;
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

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(string.Format(Messages.TargetNewDataset, Name), string.Format(Messages.ActionNewDataset, SchemaId)))
        {
            return;
        }

        var session = RequireSession();
        if (TryRun(token => session.Catalog.CreateDatasetAsync(Name, SchemaId, Description, token), Name, out var dataset))
        {
            WriteObject(dataset);
        }
    }
}
