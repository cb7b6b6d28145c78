using System.Management.Automation;
using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Reads the footer of Parquet files: schema, row groups, and per column the codec, encodings, sizes and statistics.</summary>
[Cmdlet(VerbsCommon.Get, "IngestParquetInfo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ParquetFileInfo))]
public sealed class GetIngestParquetInfoCommand : IngestCmdlet
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

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in FilePaths.Resolve(this, literal ? LiteralPath : Path, literal))
        {
            try
            {
                WriteObject(ParquetFiles.Inspect(file));
            }
            catch (Exception ex) when (ex is IngestionException or IOException or UnauthorizedAccessException)
            {
                // One unreadable file among many: say so and go on.
                WriteFailure(ex, file);
            }
        }
    }
}
