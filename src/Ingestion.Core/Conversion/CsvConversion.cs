using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Parquet;

namespace Ingestion.Core.Conversion;

/// <summary>What a conversion wrote, before it becomes a <see cref="ParquetConversionResult"/>.</summary>
internal sealed class ConversionOutcome
{
    public long Rows { get; set; }
    public int RowGroups { get; set; }
    public long Bytes { get; set; }
    public required DataSchema Schema { get; set; }
    public required string SchemaSource { get; set; }
    public List<string> Unmatched { get; } = [];
    public List<string> Matched { get; } = [];
    public List<string> Warnings { get; } = [];
}

/// <summary>
/// CSV to Parquet. The fast path: every cell is parsed from its UTF-8 bytes straight into a typed column writer, so
/// a row costs no allocation; memory is one row group. Columns reach fields by -Mapping, by their header (a dotted
/// header nests), or by name matching against a given schema; columns no field takes are reported.
/// </summary>
internal sealed class CsvConversion
{
    // Rows are ended in batches (checking a row group's size costs a pass over the columns); small row groups end sooner.
    private const int MaxRowBatch = 1024;
    private const long DaysToMicros = 86_400_000_000L;

    private readonly string path;
    private readonly string destination;
    private readonly ConversionOptions options;
    private readonly CsvOptions csv;
    private readonly IProgress<ConversionProgress>? progress;
    private readonly CancellationToken cancellationToken;
    private readonly long totalBytes;

    public CsvConversion(string path, string destination, ConversionOptions options, IProgress<ConversionProgress>? progress, CancellationToken cancellationToken)
    {
        this.path = path;
        this.destination = destination;
        this.options = options;
        this.progress = progress;
        this.cancellationToken = cancellationToken;
        totalBytes = new FileInfo(path).Length;
        csv = new CsvOptions
        {
            Delimiter = options.Delimiter ?? (Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ','),
            Encoding = options.Encoding ?? new CsvOptions().Encoding,
        };
    }

    public ConversionOutcome Run()
    {
        if (options.Schema is { } schema)
        {
            var header = ReadHeader(out var headerWarnings);
            var plan = MatchColumns(header, schema);
            plan.Warnings.InsertRange(0, headerWarnings);
            return Write(plan, options.SchemaSource ?? Messages.SchemaSourceGiven);
        }

        var sampled = Infer(options.SampleSize);
        try
        {
            return Write(sampled, SampleDescription(sampled.SampleRows, options.SampleSize));
        }
        catch (ValueMismatch mismatch) when (options.AllowStringFallback && options.SampleSize > 0)
        {
            var whole = Infer(0);
            whole.Warnings.Add(string.Format(Messages.RestartedWithWholeFile, mismatch.Message));
            return Write(whole, string.Format(Messages.SchemaSourceInferredAll, whole.SampleRows));
        }
        catch (ValueMismatch mismatch)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, mismatch.Message + string.Format(Messages.AdviceInferred, options.SampleSize)) { Target = path };
        }
    }

    private static string SampleDescription(long rows, int sampleSize) =>
        sampleSize > 0 && rows >= sampleSize
            ? string.Format(Messages.SchemaSourceInferredSample, rows)
            : string.Format(Messages.SchemaSourceInferredAll, rows);

    private CsvReader Open() => Open(out _);

    private CsvReader Open(out CountingStream counter)
    {
        counter = new CountingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        return new CsvReader(counter, path, csv);
    }

    private string[] ReadHeader(out List<string> warnings)
    {
        using var reader = Open();
        return ReadHeader(reader, out warnings);
    }

    private string[] ReadHeader(CsvReader reader, out List<string> warnings)
    {
        warnings = [];
        if (!reader.Read() || (reader.FieldCount == 1 && reader.GetUtf8(0).IsEmpty))
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.CsvNoHeader, path)) { Target = path };
        }

        var header = reader.GetStrings().Select(h => h.Trim()).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0)
            {
                header[i] = string.Create(CultureInfo.InvariantCulture, $"column{i + 1}");
                warnings.Add(string.Format(Messages.CsvEmptyHeaderName, i + 1, header[i]));
            }

            if (!seen.Add(header[i]))
            {
                throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.CsvDuplicateHeader, path, header[i])) { Target = path };
            }
        }

        return header;
    }

    /// <summary>Infers a type per column from the first <paramref name="sampleSize"/> rows (all when 0), and places the columns.</summary>
    private CsvPlan Infer(int sampleSize)
    {
        using var reader = Open();
        var header = ReadHeader(reader, out var warnings);
        var nodes = header.Select(_ => new TypeNode()).ToArray();
        long rows = 0;
        while ((sampleSize <= 0 || rows < sampleSize) && reader.Read())
        {
            if (IsBlank(reader))
            {
                continue;
            }

            rows++;
            CheckFieldCount(reader, header.Length, rows);
            for (var i = 0; i < nodes.Length; i++)
            {
                nodes[i].ObserveText(TextValues.Classify(reader.GetUtf8(i)), rows);
            }

            if ((rows & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ConversionProgress(path, rows, 0, totalBytes, Messages.PhaseInferring));
            }
        }

        var targets = TargetsOf(header);
        var builder = new SchemaTreeBuilder();
        var columnOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var ignored = new List<string>();
        for (var i = 0; i < header.Length; i++)
        {
            if (targets[i] is not { } target)
            {
                ignored.Add(header[i]);
                continue;
            }

            if (!builder.TryAdd(target, nodes[i].ToField(target)))
            {
                throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.CsvPathClash, path, header[i], target)) { Target = path };
            }

            columnOf[target] = i;
        }

        if (columnOf.Count == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.NothingToWrite, path)) { Target = path };
        }

        var plan = new CsvPlan(header, builder.Build(), inferred: true) { SampleRows = rows };
        foreach (var (leaf, column) in columnOf)
        {
            plan.ColumnOf[leaf] = column;
            if (leaf != header[column])
            {
                plan.Matched.Add($"{header[column]} -> {leaf}");
            }
        }

        plan.Warnings.AddRange(warnings);
        return plan;
    }

    /// <summary>Where each column goes with an inferred schema: its -Mapping target, else its header (null: left out on purpose).</summary>
    private string?[] TargetsOf(string[] header)
    {
        var targets = header.Select(h => (string?)h).ToArray();
        if (options.Mapping is null)
        {
            return targets;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (from, to) in options.Mapping)
        {
            var column = Array.FindIndex(header, h => string.Equals(h, from, StringComparison.OrdinalIgnoreCase));
            if (column < 0)
            {
                throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.MappingSourceMissing, from, path, string.Join(", ", header))) { Target = path };
            }

            targets[column] = string.IsNullOrWhiteSpace(to) ? null : to.Trim();
        }

        foreach (var target in targets)
        {
            if (target is not null && !used.Add(target))
            {
                throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.MappingDuplicateTarget, target)) { Target = path };
            }
        }

        return targets;
    }

    /// <summary>Places the header's columns on a given schema: -Mapping first, then exact paths, then name matching.</summary>
    private CsvPlan MatchColumns(string[] header, DataSchema schema)
    {
        var plan = new CsvPlan(header, schema, inferred: false);
        var leafPaths = schema.Leaves().Select(l => l.Path).ToList();
        var assigned = new Dictionary<string, int>(StringComparer.Ordinal);
        var handled = new bool[header.Length];

        if (options.Mapping is not null)
        {
            var allPaths = AllPaths(schema).ToList();
            foreach (var (from, to) in options.Mapping)
            {
                var column = Array.FindIndex(header, h => string.Equals(h, from, StringComparison.OrdinalIgnoreCase));
                if (column < 0)
                {
                    throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.MappingSourceMissing, from, path, string.Join(", ", header))) { Target = path };
                }

                handled[column] = true;
                if (string.IsNullOrWhiteSpace(to))
                {
                    continue;
                }

                var leaf = NameMatching.ResolvePath(leafPaths, to.Trim());
                if (leaf is null)
                {
                    var nonLeaf = NameMatching.ResolvePath(allPaths, to.Trim());
                    throw new IngestionException(IngestErrorKind.InvalidArgument, nonLeaf is not null
                        ? string.Format(Messages.MappingTargetNotLeaf, from, to, schema.Find(nonLeaf)?.XdmTypeName ?? "container")
                        : string.Format(Messages.MappingTargetUnknown, from, to, NameMatching.Suggest(leafPaths, to))) { Target = path };
                }

                if (!assigned.TryAdd(leaf, column))
                {
                    throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.MappingDuplicateTarget, leaf)) { Target = path };
                }

                plan.Matched.Add($"{header[column]} -> {leaf}");
            }
        }

        for (var i = 0; i < header.Length; i++)
        {
            if (!handled[i] && leafPaths.Contains(header[i]) && assigned.TryAdd(header[i], i))
            {
                handled[i] = true;
            }
        }

        for (var i = 0; i < header.Length; i++)
        {
            if (handled[i])
            {
                continue;
            }

            var candidates = NameMatching.CandidateLeaves(leafPaths, header[i]);
            var free = candidates.Where(c => !assigned.ContainsKey(c)).ToList();
            if (candidates.Count == 1 && free.Count == 1)
            {
                assigned[free[0]] = i;
                plan.Matched.Add($"{header[i]} -> {free[0]}");
                continue;
            }

            plan.Unmatched.Add(header[i]);
            plan.Warnings.Add(candidates.Count switch
            {
                0 => string.Format(Messages.CsvColumnUnmatched, header[i]),
                1 => string.Format(Messages.CsvColumnTaken, header[i], candidates[0], header[assigned[candidates[0]]]),
                _ => string.Format(Messages.CsvColumnAmbiguous, header[i], string.Join(", ", candidates)),
            });
        }

        if (assigned.Count == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.CsvNoColumnMatched, path, string.Join(", ", header))) { Target = path };
        }

        foreach (var (leaf, column) in assigned)
        {
            plan.ColumnOf[leaf] = column;
        }

        foreach (var (leaf, field) in schema.Leaves())
        {
            if (!field.Nullable && !assigned.ContainsKey(leaf))
            {
                throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.RequiredFieldWithoutColumn, leaf, path)) { Target = path };
            }
        }

        return plan;
    }

    // Hot loops: compiled optimized at once, since a conversion is often the whole life of the process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ConversionOutcome Write(CsvPlan plan, string schemaSource)
    {
        using var output = ParquetOutput.Create(destination, plan.Schema, options);
        var writer = output.Writer;
        var layout = new RowLayout(plan, writer);
        using var reader = Open(out var counter);
        ReadHeader(reader, out _);
        long rows = 0;
        var pending = 0;
        var rowBatch = (int)Math.Clamp(options.RowGroupSize >> 16, 1, MaxRowBatch);
        var columns = plan.Header.Length;
        while (reader.Read())
        {
            if (IsBlank(reader))
            {
                continue;
            }

            rows++;
            CheckFieldCount(reader, columns, rows);
            if (layout.IsFlat)
            {
                WriteFlat(layout, reader, rows, plan);
            }
            else
            {
                WriteNested(layout, reader, rows, plan);
            }

            if (++pending == rowBatch)
            {
                writer.EndRows(pending);
                pending = 0;
                if ((rows & 0xFFFF) < rowBatch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new ConversionProgress(path, rows, counter.BytesRead, totalBytes, Messages.PhaseWriting));
                }
            }
        }

        writer.EndRows(pending);
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = output.Commit(cancellationToken);
        var outcome = new ConversionOutcome
        {
            Rows = rows,
            RowGroups = writer.RowGroupCount,
            Bytes = bytes,
            Schema = plan.Schema,
            SchemaSource = schemaSource,
        };
        outcome.Unmatched.AddRange(plan.Unmatched);
        outcome.Matched.AddRange(plan.Matched);
        outcome.Warnings.AddRange(plan.Warnings);
        progress?.Report(new ConversionProgress(path, rows, totalBytes, totalBytes, Messages.PhaseWriting));
        return outcome;
    }

    // Hot loops: compiled optimized at once, since a conversion is often the whole life of the process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteFlat(RowLayout layout, CsvReader reader, long row, CsvPlan plan)
    {
        var units = layout.Units;
        for (var u = 0; u < units.Length; u++)
        {
            ref readonly var unit = ref units[u];
            if (unit.Column < 0)
            {
                unit.Sink.WriteNull(0);
                continue;
            }

            var text = reader.GetUtf8(unit.Column);
            if (text.IsEmpty)
            {
                if (!unit.Nullable)
                {
                    throw Required(reader, row, unit, plan);
                }

                unit.Sink.WriteNull(0);
            }
            else if (!unit.Sink.TryWrite(text))
            {
                throw Mismatch(reader, row, unit, plan, text);
            }
        }
    }

    // Hot loops: compiled optimized at once, since a conversion is often the whole life of the process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteNested(RowLayout layout, CsvReader reader, long row, CsvPlan plan)
    {
        var units = layout.Units;
        var present = layout.StructPresent;
        Array.Clear(present);
        for (var u = 0; u < units.Length; u++)
        {
            if (units[u].Column >= 0 && !reader.GetUtf8(units[u].Column).IsEmpty)
            {
                for (var s = units[u].Parent; s >= 0 && !present[s]; s = layout.Structs[s].Parent)
                {
                    present[s] = true;
                }
            }
        }

        // A required struct exists whenever its parent does; parents come first.
        for (var s = 0; s < layout.Structs.Length; s++)
        {
            ref readonly var info = ref layout.Structs[s];
            if (!info.Nullable && (info.Parent < 0 || present[info.Parent]))
            {
                present[s] = true;
            }
        }

        for (var u = 0; u < units.Length; u++)
        {
            ref readonly var unit = ref units[u];
            var text = unit.Column >= 0 ? reader.GetUtf8(unit.Column) : default;
            if (!text.IsEmpty)
            {
                if (!unit.Sink.TryWrite(text))
                {
                    throw Mismatch(reader, row, unit, plan, text);
                }

                continue;
            }

            var level = 0;
            var whole = true;
            for (var s = unit.Parent; s >= 0; s = layout.Structs[s].Parent)
            {
                if (present[s])
                {
                    level = Math.Max(level, layout.Structs[s].DefinitionLevel);
                }
                else
                {
                    whole = false;
                }
            }

            if (!unit.Nullable && whole && unit.Column >= 0)
            {
                throw Required(reader, row, unit, plan);
            }

            unit.Sink.WriteNull(level);
        }
    }

    private ValueMismatch Mismatch(CsvReader reader, long row, in Unit unit, CsvPlan plan, ReadOnlySpan<byte> text)
    {
        var value = RecordShaper.Clip(Encoding.UTF8.GetString(text));
        var where = string.Format(Messages.WhereCsv, path, row, reader.Line, plan.Header[unit.Column]);
        var expected = ExpectedText(unit.Field);
        return plan.Inferred
            ? new ValueMismatch(where + string.Format(Messages.CsvValueNotInferred, value, expected, unit.Path), againstInferredSchema: true)
            : new ValueMismatch(where + string.Format(Messages.CsvValueNotSchema, unit.Path, expected, value), againstInferredSchema: false);
    }

    private IngestionException Required(CsvReader reader, long row, in Unit unit, CsvPlan plan) =>
        new(IngestErrorKind.InvalidData, string.Format(Messages.WhereCsv, path, row, reader.Line, plan.Header[unit.Column]) + string.Format(Messages.CsvValueRequired, unit.Path)) { Target = path };

    private static string ExpectedText(DataField field) => field.Type switch
    {
        DataType.Boolean => Messages.ExpectBoolean,
        DataType.Int8 or DataType.Int16 or DataType.Int32 => string.Format(CultureInfo.InvariantCulture, Messages.ExpectIntegerRange, field.TypeName, field.IntegerRange.Min, field.IntegerRange.Max),
        DataType.Int64 => Messages.ExpectInteger,
        DataType.Double => Messages.ExpectNumber,
        DataType.Date => Messages.ExpectDate,
        DataType.Timestamp => Messages.ExpectTimestamp,
        _ => field.TypeName,
    };

    private void CheckFieldCount(CsvReader reader, int expected, long row)
    {
        if (reader.FieldCount != expected)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.CsvFieldCount, path, row, reader.Line, reader.FieldCount, expected)) { Target = path };
        }
    }

    private static bool IsBlank(CsvReader reader) => reader.FieldCount == 1 && reader.GetUtf8(0).IsEmpty;

    private static IEnumerable<string> AllPaths(DataSchema schema)
    {
        IEnumerable<string> Walk(string prefix, DataField field)
        {
            var path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
            yield return path;
            foreach (var child in field.Fields)
            {
                foreach (var nested in Walk(path, child))
                {
                    yield return nested;
                }
            }
        }

        return schema.Fields.SelectMany(f => Walk(string.Empty, f));
    }

    /// <summary>Where the columns go: the schema, the source column of each leaf path, and what was left out.</summary>
    private sealed class CsvPlan(string[] header, DataSchema schema, bool inferred)
    {
        public string[] Header { get; } = header;
        public DataSchema Schema { get; } = schema;
        public bool Inferred { get; } = inferred;
        public long SampleRows { get; init; }
        public Dictionary<string, int> ColumnOf { get; } = new(StringComparer.Ordinal);
        public List<string> Unmatched { get; } = [];
        public List<string> Matched { get; } = [];
        public List<string> Warnings { get; } = [];
    }

    /// <summary>One schema leaf (or list/map, which CSV cannot fill) with its sink, its source column and its enclosing struct.</summary>
    private readonly record struct Unit(string Path, DataField Field, int Column, int Parent, bool Nullable, CsvSink Sink);

    private readonly record struct StructInfo(int Parent, int DefinitionLevel, bool Nullable);

    /// <summary>The schema walked in Parquet column order, with the definition level each struct gives its leaves.</summary>
    private sealed class RowLayout
    {
        public RowLayout(CsvPlan plan, ParquetWriter writer)
        {
            var units = new List<Unit>();
            var structs = new List<StructInfo>();
            var column = 0;

            void Walk(DataField field, string prefix, int parent, int parentLevel)
            {
                var path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
                var level = parentLevel + (field.Nullable ? 1 : 0);
                switch (field.Type)
                {
                    case DataType.Struct:
                        structs.Add(new StructInfo(parent, level, field.Nullable));
                        var index = structs.Count - 1;
                        foreach (var child in field.Fields)
                        {
                            Walk(child, path, index, level);
                        }

                        break;
                    case DataType.List or DataType.Map:
                        {
                            var count = LeafCount(field);
                            var writers = Enumerable.Range(column, count).Select(i => writer.Columns[i]).ToArray();
                            units.Add(new Unit(path, field, -1, parent, true, new NullSubtreeSink(writers)));
                            column += count;
                            break;
                        }

                    default:
                        {
                            var source = plan.ColumnOf.TryGetValue(path, out var c) ? c : -1;
                            units.Add(new Unit(path, field, source, parent, field.Nullable, CsvSink.Create(writer, column, field, strict: plan.Inferred)));
                            column++;
                            break;
                        }
                }
            }

            foreach (var field in plan.Schema.Fields)
            {
                Walk(field, string.Empty, -1, 0);
            }

            Units = [.. units];
            Structs = [.. structs];
            StructPresent = new bool[Structs.Length];
            IsFlat = Structs.Length == 0;
        }

        public Unit[] Units { get; }
        public StructInfo[] Structs { get; }
        public bool[] StructPresent { get; }
        public bool IsFlat { get; }

        private static int LeafCount(DataField field) => field.Type switch
        {
            DataType.Struct => field.Fields.Sum(LeafCount),
            DataType.List => LeafCount(field.Element!),
            DataType.Map => 1 + LeafCount(field.Value!),
            _ => 1,
        };
    }
}
