namespace Ingestion.PowerShell;

/// <summary>The texts of the conversion cmdlets (ConvertTo-IngestParquet, Import-IngestParquet, Get-IngestParquetInfo, Test-IngestFile).</summary>
internal static partial class Messages
{
    // ShouldProcess.
    public const string ActionConvert = "Convert '{0}' to Parquet";
    public const string ActionConvertObjects = "Convert the pipeline's objects to Parquet";
    public const string ActionConvertUpload = "Convert to Parquet and upload as '{0}'";

    // Parameters and files.
    public const string NotFileSystemFile = "'{0}' is on the {1} provider; only files from the file system can be read.";
    public const string DestinationNotDirectory = "-Destination '{0}' names one file, but the paths resolved to {1} files; give an existing folder to write one Parquet file per input.";
    public const string DestinationExists = "'{0}' already exists; use -Force to replace it.";
    public const string SchemaConflict = "-Schema and -DatasetId both give a schema; use one of them.";
    public const string MappingNeedsConversion = "-Mapping applies only with -ConvertToParquet, which converts CSV and JSON files to the dataset's schema before sending them.";
    public const string NotARecord = "Input object {1} is a {0}, which has no properties to make a row of; it was skipped.";

    // Schemas and results.
    public const string SchemaFromFile = "schema file '{0}'";
    public const string SchemaOfDataset = "the XDM schema of dataset '{0}': {1}";
    public const string UsingDatasetSchema = "Dataset '{0}' has schema {1}.";
    public const string Converted = "Converted '{0}' to '{1}': {2:N0} rows, schema {3}.";
    public const string CheckFoundProblems = "'{0}': {1} problem(s) found.";

    // Progress.
    public const string ProgressConvertActivity = "Converting '{0}' to Parquet";
    public const string ProgressConvertStatus = "{0}: {1:N0} rows";
    public const string ProgressConvertObjectsActivity = "Converting objects to Parquet";
    public const string ProgressConvertObjectsStatus = "{0:N0} objects";
}
