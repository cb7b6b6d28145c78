using System.Management.Automation;
using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Reads the rows of Parquet files as PSCustomObjects: structs become nested PSCustomObjects, lists arrays and maps
/// ordered hashtables. Rows are read a row group at a time and written as they come.
/// </summary>
[Cmdlet(VerbsData.Import, "IngestParquet", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class ImportIngestParquetCommand : IngestCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary>Reads at most this many rows of each file.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long First { get; set; } = -1;

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in FilePaths.Resolve(this, literal ? LiteralPath : Path, literal))
        {
            try
            {
                foreach (var row in ParquetFiles.ReadRows(file, First >= 0 ? First : null))
                {
                    WriteObject(PipelineValues.ToPSObject(row));
                }
            }
            catch (Exception ex) when (ex is IngestionException or IOException or UnauthorizedAccessException)
            {
                WriteFailure(ex, file);
            }
        }
    }
}
