using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using Ingestion.Core.Conversion;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Converts CSV or JSON files, or objects from the pipeline, to Parquet: with a schema inferred from the data, read
/// from a schema file, or taken from a dataset's XDM schema. Writes each file under a temporary name and renames it
/// at the end, so a failure or Ctrl+C leaves nothing half-written; returns what it wrote.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "IngestParquet", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(ParquetConversionResult))]
public sealed class ConvertToIngestParquetCommand : IngestSessionCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";
    private const long MinRowGroupSize = 1024;
    private const long MaxRowGroupSize = 1L << 30;

    private readonly DatasetSchemas datasetSchemas = new();
    private DataSchema? schemaFile;
    private ObjectParquetConverter? objects;
    private bool objectsDeclined;
    private int filesConverted;
    private long lastObjectProgress;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary>Objects to write as rows: PSCustomObjects, hashtables or any object's properties.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The Parquet file to write; for several input files, an existing folder.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = null!;

    /// <summary>Csv or Json; by default from each file's extension.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public ConversionFormat? InputFormat { get; set; }

    /// <summary>A schema file (see about_Ingestion) instead of inferring the types.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    /// <summary>Converts to the XDM schema of this dataset.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetIdCompleter))]
    public string? DatasetId { get; set; }

    /// <summary>Source column (or dotted source path) to schema field path; $null leaves a column out.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Mapping { get; set; }

    [Parameter]
    public ParquetCompression Compression { get; set; } = ParquetCompression.Snappy;

    /// <summary>Target uncompressed size of a row group in bytes; the memory a conversion takes.</summary>
    [Parameter]
    [ValidateRange(MinRowGroupSize, MaxRowGroupSize)]
    public long RowGroupSize { get; set; } = ConversionOptions.DefaultRowGroupSize;

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public char Delimiter { get; set; }

    /// <summary>The CSV files' encoding, such as utf-8, utf-16 or windows-1252.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public string? Encoding { get; set; }

    /// <summary>Records read to infer the schema; 0 reads them all.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int SampleSize { get; set; } = ConversionOptions.DefaultSampleSize;

    /// <summary>Writes values that do not fit one type as text instead of failing.</summary>
    [Parameter]
    public SwitchParameter AllowStringFallback { get; set; }

    /// <summary>Replaces an existing destination file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void OnBegin()
    {
        MappingParameter.ThrowIfBothSchemas(this, Schema, DatasetId);
        if (Schema is not null)
        {
            try
            {
                schemaFile = SchemaJson.ReadFile(FilePaths.Output(this, Schema));
            }
            catch (IngestionException ex)
            {
                WriteFailure(ex, Schema, endsCommand: true);
            }
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            // Get-ChildItem output binds here by value; a file is meant to be converted, not written as a row.
            if (InputObject?.BaseObject is FileInfo file)
            {
                ConvertFiles([file.FullName]);
            }
            else
            {
                AddObject();
            }

            return;
        }

        ConvertFiles(FilePaths.Resolve(this, ParameterSetName == LiteralPathSet ? LiteralPath : Path, literal: ParameterSetName == LiteralPathSet));
    }

    private void ConvertFiles(IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            return;
        }

        var destination = FilePaths.Output(this, Destination);
        var intoFolder = Directory.Exists(destination);
        // Counted across pipeline input too: files piped one by one must not overwrite one destination file in turn.
        if (files.Count + filesConverted > 1 && !intoFolder)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.DestinationNotDirectory, ErrorCategory.InvalidArgument, string.Format(Messages.DestinationNotDirectory, Destination, files.Count + filesConverted), Destination));
        }

        foreach (var file in files)
        {
            filesConverted++;
            var target = intoFolder ? System.IO.Path.Combine(destination, System.IO.Path.GetFileNameWithoutExtension(file) + ".parquet") : destination;
            ConvertFile(file, target);
        }
    }

    protected override void OnEnd()
    {
        if (objects is null)
        {
            return;
        }

        var converter = objects;
        try
        {
            var result = converter.Complete();
            Bridge.Complete(this, ProgressActivity.ConvertObjects, Messages.ProgressConvertObjectsActivity);
            WriteResult(result);
        }
        catch (IngestionException ex)
        {
            WriteFailure(ex, Destination, endsCommand: true);
        }
        finally
        {
            objects = null;
            converter.Dispose();
        }
    }

    protected override void OnDispose()
    {
        // Stopped or failed half-way: the converter deletes its temporary file.
        objects?.Dispose();
        objects = null;
    }

    private void ConvertFile(string file, string target)
    {
        if (!ShouldProcess(target, string.Format(Messages.ActionConvert, file)))
        {
            return;
        }

        if (File.Exists(target) && !Force)
        {
            WriteError(ErrorMapper.Create(ErrorIds.DestinationExists, ErrorCategory.ResourceExists, string.Format(Messages.DestinationExists, target), target));
            return;
        }

        if (!TryOptions(out var options))
        {
            return;
        }

        var progress = new ConversionProgressReporter(Bridge, file);
        try
        {
            if (TryRun(token => ParquetConverter.ConvertFileAsync(file, target, InputFormat, options, progress, token), file, out var result))
            {
                WriteResult(result);
            }
        }
        finally
        {
            if (!Stopping)
            {
                Bridge.Complete(this, ProgressActivity.Convert, progress.Activity);
            }
        }
    }

    private void AddObject()
    {
        if (InputObject is null || objectsDeclined)
        {
            return;
        }

        if (objects is null)
        {
            var destination = FilePaths.Output(this, Destination);
            if (!ShouldProcess(destination, Messages.ActionConvertObjects))
            {
                objectsDeclined = true;
                return;
            }

            if (File.Exists(destination) && !Force)
            {
                ThrowTerminatingError(ErrorMapper.Create(ErrorIds.DestinationExists, ErrorCategory.ResourceExists, string.Format(Messages.DestinationExists, destination), destination));
            }

            // The schema is settled by the first object: a DatasetId property of later objects changes nothing.
            if (!TryOptions(out var options))
            {
                objectsDeclined = true;
                return;
            }

            try
            {
                objects = new ObjectParquetConverter(destination, options);
            }
            catch (IngestionException ex)
            {
                WriteFailure(ex, destination, endsCommand: true);
            }
        }

        if (!PipelineValues.TryToRecord(InputObject, out var record))
        {
            WriteError(ErrorMapper.Create(ErrorIds.InvalidData, ErrorCategory.InvalidType, string.Format(Messages.NotARecord, InputObject.BaseObject.GetType().Name, objects!.Rows + 1), InputObject));
            return;
        }

        try
        {
            objects!.Add(record);
        }
        catch (IngestionException ex)
        {
            var failed = objects;
            objects = null;
            failed?.Dispose();
            WriteFailure(ex, InputObject, endsCommand: true);
        }

        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(lastObjectProgress, now).TotalMilliseconds >= 250 && objects is not null)
        {
            lastObjectProgress = now;
            WriteProgress(new ProgressRecord(ProgressActivity.ConvertObjects, Messages.ProgressConvertObjectsActivity, string.Format(Messages.ProgressConvertObjectsStatus, objects.Rows)));
        }
    }

    /// <summary>The options for the next conversion: the schema from -Schema or the dataset; false after writing why not.</summary>
    private bool TryOptions(out ConversionOptions options)
    {
        DataSchema? schema = schemaFile;
        string? source = Schema is null ? null : string.Format(Messages.SchemaFromFile, Schema);
        var fromXdm = false;
        if (DatasetId is not null)
        {
            // One dataset for all input: if it cannot be read, nothing can be converted.
            if (!datasetSchemas.TryGet(this, DatasetId, out var xdmSchema, out var xdm, endsCommand: true))
            {
                options = null!;
                return false;
            }

            schema = xdmSchema;
            source = DatasetSchemas.Describe(DatasetId, xdm);
            fromXdm = true;
        }

        System.Text.Encoding? encoding = null;
        if (Encoding is not null)
        {
            try
            {
                encoding = ConversionOptions.ResolveEncoding(Encoding);
            }
            catch (IngestionException ex)
            {
                WriteFailure(ex, Encoding, endsCommand: true);
            }
        }

        options = new ConversionOptions
        {
            Schema = schema,
            SchemaSource = source,
            SchemaFromXdm = fromXdm,
            Mapping = MappingParameter.Read(Mapping),
            Compression = Compression,
            RowGroupSize = RowGroupSize,
            SampleSize = SampleSize,
            AllowStringFallback = AllowStringFallback,
            Overwrite = Force,
            Delimiter = Delimiter == default ? null : Delimiter,
            Encoding = encoding,
        };
        return true;
    }

    private void WriteResult(ParquetConversionResult result)
    {
        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        WriteVerbose(string.Format(Messages.Converted, result.Source, result.Path, result.Rows, result.SchemaSource));
        WriteObject(result);
    }
}
