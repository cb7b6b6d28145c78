using System.Globalization;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;

namespace Ingestion.Core.Conversion;

/// <summary>
/// JSON Lines or JSON arrays to Parquet through the writer's row API: each record is mapped, shaped against the
/// schema (converted, with unmatched keys counted) and shredded. An inferred schema comes from the first records;
/// with string fallback a conflict after them restarts the conversion with the whole file as the sample.
/// </summary>
internal sealed class JsonConversion
{
    private readonly string path;
    private readonly string destination;
    private readonly ConversionOptions options;
    private readonly IProgress<ConversionProgress>? progress;
    private readonly CancellationToken cancellationToken;
    private readonly long totalBytes;

    public JsonConversion(string path, string destination, ConversionOptions options, IProgress<ConversionProgress>? progress, CancellationToken cancellationToken)
    {
        this.path = path;
        this.destination = destination;
        this.options = options;
        this.progress = progress;
        this.cancellationToken = cancellationToken;
        totalBytes = new FileInfo(path).Length;
    }

    public ConversionOutcome Run()
    {
        if (options.Schema is { } schema)
        {
            return Write(schema, options.SchemaSource ?? Messages.SchemaSourceGiven, inferred: false, restartOnNewField: false);
        }

        var (sampled, sampleRows, complete) = Infer(options.SampleSize);
        var source = complete ? string.Format(Messages.SchemaSourceInferredAll, sampleRows) : string.Format(Messages.SchemaSourceInferredSample, sampleRows);
        try
        {
            return Write(sampled, source, inferred: true, restartOnNewField: options.AllowStringFallback && !complete);
        }
        catch (ValueMismatch mismatch) when (options.AllowStringFallback && !complete)
        {
            var (whole, rows, _) = Infer(0);
            var outcome = Write(whole, string.Format(Messages.SchemaSourceInferredAll, rows), inferred: true, restartOnNewField: false);
            outcome.Warnings.Insert(0, string.Format(Messages.RestartedWithWholeFile, mismatch.Message));
            return outcome;
        }
        catch (ValueMismatch mismatch)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, mismatch.Message + string.Format(Messages.AdviceInferred, options.SampleSize)) { Target = path };
        }
    }

    private JsonRecordReader Open(out CountingStream counter)
    {
        counter = new CountingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        return new JsonRecordReader(counter, path, options.JsonLayout);
    }

    /// <summary>Infers the schema from the first <paramref name="sampleSize"/> records (all when 0); complete is true when the sample was the whole file.</summary>
    private (DataSchema Schema, long Rows, bool Complete) Infer(int sampleSize)
    {
        var mapping = RecordMapping.Create(options.Mapping, null, path);
        var root = new TypeNode();
        using var reader = Open(out _);
        long rows = 0;
        var complete = true;
        while (true)
        {
            if (sampleSize > 0 && rows >= sampleSize)
            {
                complete = !reader.Read(out _);
                break;
            }

            if (!reader.Read(out var record))
            {
                break;
            }

            rows++;
            mapping?.Apply(record);
            Observe(root, record, reader.Record, path, options.AllowStringFallback);
            if ((rows & 0x3FFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ConversionProgress(path, rows, 0, totalBytes, Messages.PhaseInferring));
            }
        }

        return (SchemaOf(root, rows, path), rows, complete);
    }

    internal static void Observe(TypeNode root, Dictionary<string, object?> record, long row, string source, bool allowFallback)
    {
        try
        {
            root.Observe(record, row, string.Empty, allowFallback);
        }
        catch (InferenceConflict conflict)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.WhereRecord, source, conflict.Row, conflict.Path.TrimStart('.')) + conflict.Message + Messages.AdviceConflict) { Target = source };
        }
    }

    internal static DataSchema SchemaOf(TypeNode root, long rows, string source)
    {
        if (rows == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.NoRecords, source)) { Target = source };
        }

        var fields = root.Fields.Select(f => f.Node.ToField(f.Name)).ToList();
        if (fields.Count == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.NothingToWrite, source)) { Target = source };
        }

        return new DataSchema(fields);
    }

    private ConversionOutcome Write(DataSchema schema, string schemaSource, bool inferred, bool restartOnNewField)
    {
        var mapping = RecordMapping.Create(options.Mapping, inferred ? null : schema, path);
        var shaper = new RecordShaper(schema, path, inferred, options.AllowStringFallback, options.SchemaFromXdm) { NewFieldIsMismatch = restartOnNewField };
        using var output = ParquetOutput.Create(destination, schema, options);
        using var reader = Open(out var counter);
        long rows = 0;
        while (reader.Read(out var record))
        {
            rows++;
            mapping?.Apply(record);
            var shaped = shaper.Shape(record, reader.Record, reader.Line);
            RecordWriting.WriteRow(output, shaped, path, reader.Record);
            if ((rows & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ConversionProgress(path, rows, counter.BytesRead, totalBytes, Messages.PhaseWriting));
            }
        }

        if (rows == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.NoRecords, path)) { Target = path };
        }

        var bytes = output.Commit(cancellationToken);
        var outcome = new ConversionOutcome
        {
            Rows = rows,
            RowGroups = output.Writer.RowGroupCount,
            Bytes = bytes,
            Schema = schema,
            SchemaSource = schemaSource,
        };
        RecordWriting.Report(outcome, shaper, mapping);
        progress?.Report(new ConversionProgress(path, rows, totalBytes, totalBytes, Messages.PhaseWriting));
        return outcome;
    }
}

/// <summary>What the JSON and object conversions share once a record is shaped.</summary>
internal static class RecordWriting
{
    public static void WriteRow(ParquetOutput output, Dictionary<string, object?> shaped, string source, long row)
    {
        try
        {
            output.Writer.WriteRow(shaped);
        }
        catch (ArgumentException ex)
        {
            // The shaper converts every value, so this means a value it let through that the codec refuses.
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.RowRefused, source, row, ex.Message), ex) { Target = source };
        }
    }

    public static void Report(ConversionOutcome outcome, RecordShaper shaper, RecordMapping? mapping)
    {
        foreach (var (field, records, firstRow, reason) in shaper.UnmatchedFields)
        {
            outcome.Unmatched.Add(field);
            outcome.Warnings.Add(string.Format(CultureInfo.InvariantCulture, Messages.FieldUnmatched, field, records, firstRow, reason));
        }

        outcome.Matched.AddRange(shaper.Renamed);
        if (mapping is not null)
        {
            foreach (var never in mapping.SourcesNeverSeen)
            {
                outcome.Warnings.Add(string.Format(Messages.MappingSourceNeverSeen, never));
            }
        }
    }
}

/// <summary>
/// Objects (from the PowerShell pipeline) to Parquet: add records one at a time as dictionaries and lists, then
/// <see cref="Complete"/>. Without a schema the first records are held back to infer one; a value after them that
/// does not fit fails with the row and field, since objects cannot be read twice. Disposing without completing
/// leaves nothing behind.
/// </summary>
public sealed class ObjectParquetConverter : IDisposable
{
    public const string PipelineSource = "pipeline";

    private readonly string destination;
    private readonly ConversionOptions options;
    private readonly RecordMapping? mapping;
    private readonly List<Dictionary<string, object?>> sample = [];
    private readonly TypeNode root = new();
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private ParquetOutput? output;
    private RecordShaper? shaper;
    private DataSchema? schema;
    private string? schemaSource;
    private bool done;

    public ObjectParquetConverter(string destination, ConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.destination = Path.GetFullPath(destination);
        this.options = options;
        ParquetOutput.CheckDestination(this.destination, options.Overwrite);
        mapping = RecordMapping.Create(options.Mapping, options.Schema, PipelineSource);
    }

    /// <summary>Records added so far.</summary>
    public long Rows { get; private set; }

    public void Add(Dictionary<string, object?> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(done, this);
        Rows++;
        mapping?.Apply(record);
        if (output is null && options.Schema is null)
        {
            JsonConversion.Observe(root, record, Rows, PipelineSource, options.AllowStringFallback);
            sample.Add(record);
            if (options.SampleSize > 0 && sample.Count >= options.SampleSize)
            {
                StartInferred(complete: false);
            }

            return;
        }

        if (output is null)
        {
            Start(options.Schema!, options.SchemaSource ?? Messages.SchemaSourceGiven, inferred: false);
        }

        Write(record, Rows);
    }

    /// <summary>Writes the footer and moves the file into place.</summary>
    public ParquetConversionResult Complete(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(done, this);
        if (Rows == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.NoRecords, PipelineSource)) { Target = destination };
        }

        if (output is null)
        {
            StartInferred(complete: true);
        }

        var bytes = output!.Commit(cancellationToken);
        done = true;
        var outcome = new ConversionOutcome
        {
            Rows = Rows,
            RowGroups = output.Writer.RowGroupCount,
            Bytes = bytes,
            Schema = schema!,
            SchemaSource = schemaSource!,
        };
        RecordWriting.Report(outcome, shaper!, mapping);
        return ParquetConverter.ToResult(outcome, destination, PipelineSource, "Objects", options, clock.Elapsed);
    }

    public void Dispose()
    {
        done = true;
        output?.Dispose();
    }

    private void StartInferred(bool complete)
    {
        var inferredSchema = JsonConversion.SchemaOf(root, sample.Count, PipelineSource);
        Start(inferredSchema, complete ? string.Format(Messages.SchemaSourceInferredAll, sample.Count) : string.Format(Messages.SchemaSourceInferredSample, sample.Count), inferred: true);
        for (var i = 0; i < sample.Count; i++)
        {
            Write(sample[i], i + 1);
        }

        sample.Clear();
    }

    private void Start(DataSchema chosen, string source, bool inferred)
    {
        schema = chosen;
        schemaSource = source;
        shaper = new RecordShaper(chosen, PipelineSource, inferred, options.AllowStringFallback, options.SchemaFromXdm);
        output = ParquetOutput.Create(destination, chosen, options);
    }

    private void Write(Dictionary<string, object?> record, long row)
    {
        Dictionary<string, object?> shaped;
        try
        {
            shaped = shaper!.Shape(record, row, 0);
        }
        catch (ValueMismatch mismatch)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, mismatch.Message + (mismatch.AgainstInferredSchema ? string.Format(Messages.AdviceObjects, sample.Count > 0 ? sample.Count : options.SampleSize) : string.Empty)) { Target = PipelineSource };
        }

        RecordWriting.WriteRow(output!, shaped, PipelineSource, row);
    }
}

/// <summary>Converts CSV and JSON files to Parquet: the entry point of ConvertTo-IngestParquet and Send-IngestFile -ConvertToParquet.</summary>
public static class ParquetConverter
{
    public static Task<ParquetConversionResult> ConvertFileAsync(string source, string destination, ConversionFormat? format, ConversionOptions options, IProgress<ConversionProgress>? progress, CancellationToken cancellationToken) =>
        Task.Run(() => ConvertFile(source, destination, format, options, progress, cancellationToken), cancellationToken);

    /// <summary>
    /// Converts one file; the format comes from <paramref name="format"/> or the extension. The destination is
    /// written under a temporary name and renamed at the end, so a failure leaves nothing half-written.
    /// </summary>
    public static ParquetConversionResult ConvertFile(string source, string destination, ConversionFormat? format, ConversionOptions options, IProgress<ConversionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        source = Path.GetFullPath(source);
        destination = Path.GetFullPath(destination);
        if (!File.Exists(source))
        {
            throw new IngestionException(IngestErrorKind.NotFound, string.Format(Messages.FileNotFound, source)) { Target = source };
        }

        var resolved = format ?? ConversionOptions.FormatOf(source)
            ?? throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.FormatUnknown, source)) { Target = source };
        if (string.Equals(source, destination, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DestinationIsSource, source)) { Target = source };
        }

        ParquetOutput.CheckDestination(destination, options.Overwrite);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var outcome = resolved == ConversionFormat.Csv
                ? new CsvConversion(source, destination, options, progress, cancellationToken).Run()
                : new JsonConversion(source, destination, options, progress, cancellationToken).Run();
            return ToResult(outcome, destination, source, resolved.ToString(), options, clock.Elapsed);
        }
        catch (ValueMismatch mismatch)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, mismatch.Message) { Target = source };
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IngestionException(IngestErrorKind.PermissionDenied, ex.Message, ex) { Target = destination };
        }
    }

    internal static ParquetConversionResult ToResult(ConversionOutcome outcome, string destination, string source, string sourceFormat, ConversionOptions options, TimeSpan duration) => new()
    {
        Path = destination,
        Source = source,
        SourceFormat = sourceFormat,
        Rows = outcome.Rows,
        RowGroups = outcome.RowGroups,
        Bytes = outcome.Bytes,
        Compression = options.Compression.ToString(),
        SchemaSource = outcome.SchemaSource,
        Schema = outcome.Schema.ToJson(),
        ParquetSchema = outcome.Schema.ToParquet().ToString(),
        UnmatchedColumns = outcome.Unmatched,
        MatchedColumns = outcome.Matched,
        Warnings = outcome.Warnings,
        Duration = duration,
    };
}
