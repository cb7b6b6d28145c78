using System.Management.Automation;
using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Checks Parquet, JSON and CSV files against a dataset's XDM schema before they are uploaded, the way batch ingestion
/// will read them; writes one report per file. Only a file that cannot be read at all is an error.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "IngestFile", DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileCheckReport))]
public sealed class TestIngestFileCommand : IngestSessionCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly DatasetSchemas schemas = new();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetIdCompleter))]
    public string DatasetId { get; set; } = null!;

    /// <summary>The batch will be created with -MultiLineJson, so a JSON array (or pretty-printed JSON) is fine.</summary>
    [Parameter]
    public SwitchParameter MultiLineJson { get; set; }

    /// <summary>Csv, Json or Parquet; by default from each file's extension.</summary>
    [Parameter]
    public IngestFormat? Format { get; set; }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var files = FilePaths.Resolve(this, literal ? LiteralPath : Path, literal);
        if (files.Count == 0 || !schemas.TryGet(this, DatasetId, out var schema, out var xdm, endsCommand: true))
        {
            return;
        }

        var options = new FileCheckOptions { Format = Format, MultiLineJson = MultiLineJson, DatasetId = DatasetId, SchemaId = xdm.Id };
        foreach (var file in files)
        {
            if (TryRun(token => FileChecker.CheckAsync(file, schema, options, token), file, out var report))
            {
                if (!report.IsValid)
                {
                    WriteVerbose(string.Format(Messages.CheckFoundProblems, file, report.Problems.Count));
                }

                WriteObject(report);
            }
        }
    }
}
