using System.Management.Automation;
using System.Runtime.CompilerServices;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Gets datasets by id, or lists them, optionally by name with wildcards.</summary>
[Cmdlet(VerbsCommon.Get, "IngestDataset", DefaultParameterSetName = NameSet)]
[OutputType(typeof(IngestDataset))]
public sealed class GetIngestDatasetCommand : IngestSessionCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";

    /// <summary>Alias Id. Named DatasetId so that batch and status objects bind their dataset, not their own id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetIdCompleter))]
    public string[] DatasetId { get; set; } = null!;

    /// <summary>A name, or a pattern with * and ?. Without wildcards the service filters by exact name.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        var session = RequireAepSession();
        if (ParameterSetName == IdSet)
        {
            foreach (var id in DatasetId)
            {
                if (TryRun(token => session.Catalog.GetDatasetAsync(id, token), id, out var dataset))
                {
                    WriteObject(dataset);
                }
            }

            return;
        }

        var pattern = Name is not null && WildcardPattern.ContainsWildcardCharacters(Name) ? new WildcardPattern(Name, WildcardOptions.IgnoreCase) : null;
        var serverFilter = pattern is null ? Name : null;
        var found = false;
        var failed = new StrongBox<bool>();
        foreach (var dataset in Enumerate(token => session.Catalog.ListDatasetsAsync(serverFilter, token), Name, failed))
        {
            if (pattern is null || pattern.IsMatch(dataset.Name ?? string.Empty))
            {
                found = true;
                WriteObject(dataset);
            }
        }

        // Like Get-Item: an exact name that matches nothing is an error, a pattern that matches nothing is not.
        if (!found && !failed.Value && serverFilter is not null)
        {
            WriteError(ErrorMapper.Create(ErrorIds.DatasetNotFound, ErrorCategory.ObjectNotFound, string.Format(Messages.DatasetNotFound, Name), Name));
        }
    }
}
