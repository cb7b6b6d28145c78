using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Parquet;

namespace Ingestion.Core.Conversion;

/// <summary>
/// Checks a CSV, JSON or Parquet file against a dataset's XDM schema the way AEP's batch ingestion will: every field
/// must be one the schema defines (CSV headers by exact name, dotted for nested fields), and every value must have the
/// field's type or convert to it by AEP's rules (strings to numbers, dates and date-times when they parse, whole numbers
/// to dates as epoch milliseconds; booleans, arrays and numbers-to-strings do not convert). A JSON array needs a
/// multi-line JSON batch. Nothing is uploaded.
/// </summary>
public static class FileChecker
{
    /// <summary>Problems of single rows listed at most; problems that recur are listed once with their count.</summary>
    public const int MaxListedProblems = 1000;

    public static Task<FileCheckReport> CheckAsync(string path, DataSchema schema, FileCheckOptions options, CancellationToken cancellationToken) =>
        Task.Run(() => Check(path, schema, options, cancellationToken), cancellationToken);

    /// <summary>
    /// Checks one file. Throws <see cref="IngestionException"/> only when the file cannot be read at all (missing, or
    /// not Parquet); everything the platform would reject is a problem in the report.
    /// </summary>
    public static FileCheckReport Check(string path, DataSchema schema, FileCheckOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            throw new IngestionException(IngestErrorKind.NotFound, string.Format(Messages.FileNotFound, path)) { Target = path };
        }

        var format = options.Format ?? FormatOf(path)
            ?? throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.CheckFormatUnknown, path)) { Target = path };
        var problems = new Problems();
        long rows;
        if (new FileInfo(path).Length == 0)
        {
            problems.Add(string.Empty, null, Messages.CheckEmptyFile, aggregate: true);
            rows = 0;
        }
        else
        {
            var checker = new Checker(schema, problems, cancellationToken);
            rows = format switch
            {
                Models.IngestFormat.Csv => checker.Csv(path, options),
                Models.IngestFormat.Json => checker.Json(path, options),
                _ => checker.Parquet(path),
            };
        }

        return new FileCheckReport
        {
            Path = path,
            Format = format.ToString(),
            DatasetId = options.DatasetId,
            SchemaId = options.SchemaId,
            Rows = rows,
            Problems = problems.ToList(),
            Truncated = problems.Truncated,
        };
    }

    /// <summary>The format of a file by its extension: .parquet, .csv/.tsv/.txt, .json/.jsonl/.ndjson.</summary>
    public static Models.IngestFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" or ".parq" => Models.IngestFormat.Parquet,
        _ => ConversionOptions.FormatOf(path) switch
        {
            ConversionFormat.Csv => Models.IngestFormat.Csv,
            ConversionFormat.Json => Models.IngestFormat.Json,
            _ => null,
        },
    };

    private sealed class Problems
    {
        private readonly List<Entry> entries = [];
        private readonly Dictionary<string, Entry> aggregated = new(StringComparer.Ordinal);
        private int single;

        public bool Truncated { get; private set; }

        public void Add(string field, long? row, string message, bool aggregate)
        {
            if (aggregate)
            {
                var key = field + "\n" + message;
                if (aggregated.TryGetValue(key, out var existing))
                {
                    existing.Occurrences++;
                    return;
                }

                var entry = new Entry(field, row, message);
                aggregated[key] = entry;
                entries.Add(entry);
                return;
            }

            if (single >= MaxListedProblems)
            {
                Truncated = true;
                return;
            }

            single++;
            entries.Add(new Entry(field, row, message));
        }

        public List<FileCheckProblem> ToList() =>
            entries.Select(e => new FileCheckProblem { Field = e.Field, Row = e.Row, Message = e.Message, Occurrences = e.Occurrences }).ToList();

        private sealed class Entry(string field, long? row, string message)
        {
            public string Field { get; } = field;
            public long? Row { get; } = row;
            public string Message { get; } = message;
            public long Occurrences { get; set; } = 1;
        }
    }

    private sealed class Checker(DataSchema schema, Problems problems, CancellationToken cancellationToken)
    {
        private readonly HashSet<string> reported = new(StringComparer.Ordinal);

        public long Csv(string path, FileCheckOptions options)
        {
            var csv = new CsvOptions
            {
                Delimiter = options.Delimiter ?? (Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ','),
                Encoding = options.Encoding ?? new CsvOptions().Encoding,
            };
            using var reader = new CsvReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), path, csv);
            long rows = 0;
            try
            {
                if (!reader.Read() || (reader.FieldCount == 1 && reader.GetUtf8(0).IsEmpty))
                {
                    problems.Add(string.Empty, null, Messages.CheckCsvNoHeader, aggregate: true);
                    return 0;
                }

                var header = reader.GetStrings();
                var fields = new DataField?[header.Length];
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    var name = header[i];
                    var field = name.Length == 0 ? null : schema.Find(name);
                    if (!seen.Add(name))
                    {
                        problems.Add(name, null, Messages.CheckCsvDuplicateColumn, aggregate: true);
                    }
                    else if (field is null)
                    {
                        problems.Add(name, null, string.Format(Messages.CheckCsvUnknownColumn, i + 1), aggregate: true);
                    }
                    else if (!field.IsScalar)
                    {
                        problems.Add(name, null, string.Format(Messages.CheckCsvContainerColumn, field.XdmTypeName), aggregate: true);
                    }
                    else
                    {
                        fields[i] = field;
                    }
                }

                while (reader.Read())
                {
                    if (reader.FieldCount == 1 && reader.GetUtf8(0).IsEmpty)
                    {
                        continue;
                    }

                    rows++;
                    if ((rows & 0x3FFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (reader.FieldCount != header.Length)
                    {
                        problems.Add(string.Empty, rows, string.Format(Messages.CheckCsvFieldCount, reader.FieldCount, header.Length, reader.Line), aggregate: false);
                        continue;
                    }

                    for (var i = 0; i < fields.Length; i++)
                    {
                        if (fields[i] is { } field && reader.GetUtf8(i) is { IsEmpty: false } text)
                        {
                            CheckText(field, Encoding.UTF8.GetString(text), header[i], rows, fromCsv: true);
                        }
                    }
                }
            }
            catch (IngestionException ex) when (ex.StatusCode is null)
            {
                problems.Add(string.Empty, rows + 1, string.Format(Messages.CheckStoppedReading, ex.Message), aggregate: false);
            }

            return rows;
        }

        public long Json(string path, FileCheckOptions options)
        {
            var (isArray, firstLineIncomplete) = Peek(path);
            if (isArray && !options.MultiLineJson)
            {
                problems.Add(string.Empty, 1, Messages.CheckJsonArray, aggregate: true);
            }
            else if (!isArray && !options.MultiLineJson && firstLineIncomplete)
            {
                problems.Add(string.Empty, 1, Messages.CheckJsonPretty, aggregate: true);
            }

            using var reader = new JsonRecordReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), path);
            long rows = 0;
            try
            {
                while (reader.Read(out var record))
                {
                    rows++;
                    if ((rows & 0xFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    CheckStruct(schema.Fields, record, string.Empty, rows);
                }
            }
            catch (IngestionException ex) when (ex.StatusCode is null)
            {
                problems.Add(string.Empty, rows + 1, string.Format(Messages.CheckStoppedReading, ex.Message), aggregate: false);
            }

            if (rows == 0)
            {
                problems.Add(string.Empty, null, Messages.CheckEmptyFile, aggregate: true);
            }

            return rows;
        }

        public long Parquet(string path)
        {
            using var reader = ParquetFiles.Open(path);
            foreach (var field in reader.Schema.Fields)
            {
                CheckParquetField(field, schema.Field(field.Name), field.Name);
            }

            long rows = 0;
            try
            {
                foreach (var row in reader.ReadRows())
                {
                    rows++;
                    if ((rows & 0xFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    CheckStruct(schema.Fields, row, string.Empty, rows);
                }
            }
            catch (ParquetFormatException ex)
            {
                problems.Add(string.Empty, rows + 1, string.Format(Messages.CheckStoppedReading, ex.Message), aggregate: false);
            }

            return rows;
        }

        /// <summary>The Parquet schema against the XDM schema: unknown fields and types that can never convert, once per field.</summary>
        private void CheckParquetField(ParquetField parquet, DataField? field, string path)
        {
            if (field is null)
            {
                Report(path, null, Messages.CheckUnknownField);
                return;
            }

            switch (parquet)
            {
                case StructField s when field.Type is DataType.Struct:
                    foreach (var child in s.Fields)
                    {
                        CheckParquetField(child, field.Field(child.Name), path + "." + child.Name);
                    }

                    return;
                case StructField or MapField when field.Type is DataType.Struct or DataType.Map:
                    return;
                case ListField when field.Type is DataType.List:
                    return;
                case PrimitiveField p when field.IsScalar:
                    if (ParquetTypeProblem(p, field) is { } problem)
                    {
                        Report(path, null, problem);
                    }

                    return;
                default:
                    Report(path, null, string.Format(Messages.CheckParquetShape, Shape(parquet), field.XdmTypeName));
                    return;
            }
        }

        private void Report(string path, long? row, string message)
        {
            reported.Add(path);
            problems.Add(path, row, message, aggregate: true);
        }

        private static string Shape(ParquetField field) => field switch
        {
            StructField => "a group (object)",
            ListField => "a list",
            MapField => "a map",
            PrimitiveField p => "a " + (p.LogicalType?.ToString() ?? ParquetFiles.PhysicalName(p.PhysicalType)) + " column",
            _ => "a field",
        };

        /// <summary>Why a column can never fill a field, or null when it can (perhaps depending on its values).</summary>
        private static string? ParquetTypeProblem(PrimitiveField column, DataField field)
        {
            var logical = column.LogicalType?.Kind;
            var isText = column.PhysicalType == PhysicalType.ByteArray && logical is LogicalTypeKind.String or LogicalTypeKind.Json or LogicalTypeKind.Enum;
            var isNumber = column.PhysicalType is PhysicalType.Int32 or PhysicalType.Int64 or PhysicalType.Float or PhysicalType.Double && logical is null or LogicalTypeKind.Integer or LogicalTypeKind.Decimal
                || logical == LogicalTypeKind.Decimal;
            var isDate = logical == LogicalTypeKind.Date;
            var isTimestamp = logical == LogicalTypeKind.Timestamp || column.PhysicalType == PhysicalType.Int96;
            var ok = field.Type switch
            {
                DataType.Boolean => column.PhysicalType == PhysicalType.Boolean,
                DataType.String => isText || logical == LogicalTypeKind.Uuid,
                DataType.Double or DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64 => isNumber || isText,
                DataType.Date or DataType.Timestamp => isDate || isTimestamp || isText || (column.PhysicalType == PhysicalType.Int64 && logical is null or LogicalTypeKind.Integer),
                _ => false,
            };
            return ok ? null : string.Format(Messages.CheckParquetType, column.LogicalType?.ToString() ?? ParquetFiles.PhysicalName(column.PhysicalType), field.XdmTypeName);
        }

        private void CheckStruct(IReadOnlyList<DataField> fields, IEnumerable<KeyValuePair<string, object?>> record, string path, long row)
        {
            foreach (var (key, value) in record)
            {
                var childPath = path.Length == 0 ? key : path + "." + key;
                var field = fields.FirstOrDefault(f => f.Name == key);
                if (field is null)
                {
                    if (value is not null && !reported.Contains(Strip(childPath)))
                    {
                        problems.Add(Strip(childPath), row, Messages.CheckUnknownField, aggregate: true);
                    }

                    continue;
                }

                CheckValue(field, value, childPath, row);
            }
        }

        private void CheckValue(DataField field, object? value, string path, long row)
        {
            if (value is null || reported.Contains(Strip(path)))
            {
                return;
            }

            switch (field.Type)
            {
                case DataType.Struct:
                    switch (value)
                    {
                        case IReadOnlyDictionary<string, object?> map:
                            CheckStruct(field.Fields, map, path, row);
                            return;
                        case IDictionary dictionary:
                            CheckStruct(field.Fields, Entries(dictionary), path, row);
                            return;
                    }

                    break;
                case DataType.Map:
                    switch (value)
                    {
                        case IReadOnlyDictionary<string, object?> map:
                            foreach (var (key, item) in map)
                            {
                                CheckValue(field.Value!, item, path + "." + key, row);
                            }

                            return;
                        case IDictionary dictionary:
                            foreach (var (key, item) in Entries(dictionary))
                            {
                                CheckValue(field.Value!, item, path + "." + key, row);
                            }

                            return;
                    }

                    break;
                case DataType.List:
                    if (value is IEnumerable items and not string and not IDictionary and not byte[] and not IReadOnlyDictionary<string, object?>)
                    {
                        var index = 0;
                        foreach (var item in items)
                        {
                            CheckValue(field.Element!, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), row);
                        }

                        return;
                    }

                    break;
                default:
                    CheckScalar(field, value, path, row);
                    return;
            }

            problems.Add(Strip(path), row, string.Format(Messages.CheckWrongShape, Article(field), KindOf(value)), aggregate: true);
        }

        private void CheckScalar(DataField field, object value, string path, long row)
        {
            switch (value)
            {
                case string text:
                    CheckText(field, text, path, row, fromCsv: false);
                    return;
                case bool:
                    if (field.Type != DataType.Boolean)
                    {
                        problems.Add(Strip(path), row, string.Format(Messages.CheckBooleanNoConvert, Article(field)), aggregate: true);
                    }

                    return;
                case sbyte or byte or short or ushort or int or uint or long or ulong:
                    CheckWhole(field, Convert.ToDecimal(value, CultureInfo.InvariantCulture), path, row);
                    return;
                case double or float or decimal:
                    {
                        var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                        if (field.IsInteger && double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18)
                        {
                            CheckWhole(field, (decimal)d, path, row);
                        }
                        else if (field.IsInteger)
                        {
                            problems.Add(Strip(path), row, string.Format(CultureInfo.InvariantCulture, Messages.CheckFraction, field.XdmTypeName, d), aggregate: false);
                        }
                        else if (field.Type != DataType.Double)
                        {
                            problems.Add(Strip(path), row, string.Format(Messages.CheckNumberNoConvert, Article(field)), aggregate: true);
                        }

                        return;
                    }

                case DateOnly or DateTime or DateTimeOffset:
                    if (field.Type is not (DataType.Date or DataType.Timestamp))
                    {
                        problems.Add(Strip(path), row, string.Format(Messages.CheckDateNoConvert, Article(field)), aggregate: true);
                    }

                    return;
                case Guid when field.Type == DataType.String:
                    return;
                default:
                    problems.Add(Strip(path), row, string.Format(Messages.CheckWrongShape, Article(field), KindOf(value)), aggregate: true);
                    return;
            }
        }

        private void CheckWhole(DataField field, decimal whole, string path, long row)
        {
            if (field.IsInteger)
            {
                var (min, max) = field.IntegerRange;
                if (whole < min || whole > max)
                {
                    problems.Add(Strip(path), row, string.Format(CultureInfo.InvariantCulture, Messages.CheckOutOfRange, field.XdmTypeName, min, max, whole), aggregate: false);
                }

                return;
            }

            if (field.Type is DataType.Double or DataType.Date or DataType.Timestamp)
            {
                return;
            }

            problems.Add(Strip(path), row, string.Format(Messages.CheckNumberNoConvert, Article(field)), aggregate: true);
        }

        private void CheckText(DataField field, string text, string path, long row, bool fromCsv)
        {
            var clipped = RecordShaper.Clip(text);
            switch (field.Type)
            {
                case DataType.String:
                    if (field.Enum is { } allowed && !allowed.Contains(text))
                    {
                        problems.Add(Strip(path), row, string.Format(Messages.CheckEnum, clipped, string.Join(", ", allowed)), aggregate: false);
                    }

                    return;
                case DataType.Boolean:
                    if (!(fromCsv && TextValues.TryParseBoolean(text, out _)))
                    {
                        problems.Add(Strip(path), row, string.Format(Messages.CheckStringToBoolean, clipped), aggregate: false);
                    }

                    return;
                case DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64:
                    if (TextValues.TryParseInt64(text, strict: false, out var whole))
                    {
                        CheckWhole(field, whole, path, row);
                    }
                    else
                    {
                        problems.Add(Strip(path), row, string.Format(
                            TextValues.TryParseDouble(text, strict: false, out _) ? Messages.CheckStringFraction : Messages.CheckStringNotNumber,
                            field.XdmTypeName, clipped), aggregate: false);
                    }

                    return;
                case DataType.Double:
                    if (!TextValues.TryParseDouble(text, strict: false, out _))
                    {
                        problems.Add(Strip(path), row, string.Format(Messages.CheckStringNotNumber, field.XdmTypeName, clipped), aggregate: false);
                    }

                    return;
                case DataType.Date or DataType.Timestamp:
                    if (!TextValues.TryParseDateLenient(text, out _) && !TextValues.TryParseTimestamp(text, strict: false, out _))
                    {
                        problems.Add(Strip(path), row, string.Format(Messages.CheckStringNotDate, field.XdmTypeName, clipped), aggregate: false);
                    }

                    return;
                default:
                    problems.Add(Strip(path), row, string.Format(Messages.CheckWrongShape, Article(field), "a string"), aggregate: true);
                    return;
            }
        }

        private static (bool IsArray, bool FirstLineIncomplete) Peek(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var buffer = new byte[Math.Min(stream.Length, 1 << 20)];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var span = buffer.AsSpan(0, read);
            if (span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }

            var start = 0;
            while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                start++;
            }

            if (start == span.Length)
            {
                return (false, false);
            }

            if (span[start] == (byte)'[')
            {
                return (true, false);
            }

            var end = span[start..].IndexOf((byte)'\n');
            var line = end < 0 ? span[start..] : span.Slice(start, end);
            if (end < 0 && read == buffer.Length)
            {
                return (false, false);
            }

            var json = new Utf8JsonReader(line, isFinalBlock: true, default);
            try
            {
                return (false, !(json.Read() && json.TrySkip()));
            }
            catch (JsonException)
            {
                return (false, true);
            }
        }

        private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                yield return new(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
            }
        }

        private static string Article(DataField field)
        {
            var name = field.Type == DataType.Map ? "map" : field.XdmTypeName;
            return (name[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + name;
        }

        private static string KindOf(object value) => value switch
        {
            string => "a string",
            bool => "a boolean",
            IReadOnlyDictionary<string, object?> or IDictionary => "an object",
            byte[] => "binary data",
            IEnumerable => "an array",
            DateOnly => "a date",
            DateTime or DateTimeOffset => "a date-time",
            _ when value.GetType().IsPrimitive || value is decimal => "a number",
            _ => "a " + value.GetType().Name,
        };

        /// <summary>The path without list indexes, so a problem in every element is one problem.</summary>
        private static string Strip(string path) =>
            path.IndexOf('[') < 0 ? path : System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "[]");
    }
}

/// <summary>How <see cref="FileChecker"/> reads a file and what it reports it against.</summary>
public sealed class FileCheckOptions
{
    /// <summary>The format; null decides by the extension.</summary>
    public Models.IngestFormat? Format { get; init; }

    /// <summary>The batch will be created with multi-line JSON (a JSON array, or objects over several lines, is then fine).</summary>
    public bool MultiLineJson { get; init; }

    public char? Delimiter { get; init; }

    public Encoding? Encoding { get; init; }

    public string? DatasetId { get; init; }

    public string? SchemaId { get; init; }
}
