using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ingestion.Emulator.Schemas;
using Ingestion.Emulator.State;
using Ingestion.Emulator.Storage;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Reads every file of a completed batch the way its input format says, one record at a time, and checks
/// each record against the dataset's schema. Memory stays constant whatever the file sizes.
/// With <paramref name="diagnostics"/> (batches created with <c>enableErrorDiagnostics</c>) each rejected row
/// is also written as a row error.
/// </summary>
internal sealed partial class BatchReader(DataLayout layout, XdmField schema, RowErrorWriter? diagnostics = null)
{
    /// <summary>The largest single record (or line) the emulator holds in memory.</summary>
    private const int MaxRecordBytes = 32 * 1024 * 1024;

    private readonly BatchErrorCollector _errors = new();
    private readonly List<string> _failedFiles = [];
    private long _records;

    public ProcessingOutcome Read(BatchState batch, CancellationToken ct)
    {
        if (batch.Files.Count == 0)
        {
            _errors.Add(BatchErrorCodes.NoFiles, "no-files", "The batch has no files: upload at least one file before completing it.", null);
        }

        foreach (var file in batch.Files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            ReadFile(batch, file, ct);
        }

        return new ProcessingOutcome(_records, _errors.FailedRecords, _errors.ToEntries(), batch.Files.Count, batch.Files.Sum(f => f.SizeInBytes))
        {
            FailedFiles = _failedFiles,
        };
    }

    private void ReadFile(BatchState batch, BatchFile file, CancellationToken ct)
    {
        var before = _errors.Occurrences;
        try
        {
            ReadFileContent(batch, file, ct);
        }
        finally
        {
            if (_errors.Occurrences != before)
            {
                _failedFiles.Add(file.Name);
            }
        }
    }

    private void ReadFileContent(BatchState batch, BatchFile file, CancellationToken ct)
    {
        var path = layout.UploadedFile(batch.Id, file.DiskPath);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _errors.Add(BatchErrorCodes.UnreadableFile, "unreadable|" + file.Name, $"File '{file.Name}' could not be read: {ex.Message}", null);
            return;
        }

        using (stream)
        {
            if (stream.Length == 0)
            {
                // Wording of Adobe's troubleshooting guide for code 106.
                _errors.Add(BatchErrorCodes.EmptyFile, "empty|" + file.Name, $"Dataset file is empty: '{file.Name}'.", null);
                return;
            }

            try
            {
                switch (batch.InputFormat.Format)
                {
                    case "csv":
                        ReadCsv(file.Name, stream, ct);
                        break;
                    case "parquet":
                        ReadParquet(file.Name, stream, ct);
                        break;
                    default:
                        if (batch.InputFormat.MultiLine)
                        {
                            ReadMultiLineJson(file.Name, stream, ct);
                        }
                        else
                        {
                            ReadJsonLines(file.Name, stream, ct);
                        }

                        break;
                }
            }
            catch (RecordTooLargeException ex)
            {
                _errors.RecordFailed();
                _errors.Add(BatchErrorCodes.RecordTooLarge, "too-large|" + file.Name,
                    $"File '{file.Name}': {ex.Message}; the rest of the file was not read.", ex.Row);
                diagnostics?.Parsing(file.Name, ex.Row, null, RowErrorWriter.RowCode(BatchErrorCodes.RecordTooLarge),
                    $"The row is too large to be read ({ex.Message}); the rest of the file was not read.");
            }
        }
    }

    private void ReadJsonLines(string name, Stream stream, CancellationToken ct)
    {
        var lines = new ByteLineReader(stream, MaxRecordBytes);
        var first = true;
        while (lines.TryReadLine(out var line))
        {
            var content = Trim(line);
            if (content.Length == 0)
            {
                continue;
            }

            if ((lines.LineNumber & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var row = lines.LineNumber;
            _records++;
            var opening = content.Span[0];
            if (first && opening == (byte)'[')
            {
                NotJsonLines(name, content, $"File '{name}' is a JSON array. The batch reads JSON Lines (one object per line); create the batch with inputFormat.isMultiLineJson = true to ingest a JSON array.",
                    "The file is a JSON array, but the batch reads JSON Lines (one object per line); create the batch with inputFormat.isMultiLineJson = true to ingest a JSON array. The rest of the file was not read.");
                return;
            }

            try
            {
                using var document = JsonDocument.Parse(content);
                CheckRecord(name, row, document.RootElement);
            }
            catch (JsonException ex)
            {
                if (first && opening == (byte)'{')
                {
                    NotJsonLines(name, content, $"File '{name}', row {row} is not a complete JSON object: the record continues on the next lines (pretty-printed JSON). The batch reads JSON Lines (one object per line); create the batch with inputFormat.isMultiLineJson = true for multi-line JSON.",
                        "The row is not a complete JSON object: the record continues on the next lines (pretty-printed JSON). The batch reads JSON Lines (one object per line); create the batch with inputFormat.isMultiLineJson = true for multi-line JSON. The rest of the file was not read.");
                    return;
                }

                _errors.RecordFailed();
                _errors.Add(BatchErrorCodes.CorruptRow, "corrupt|" + name,
                    $"File '{name}', row {row}: the row is corrupted, it is not valid JSON ({Describe(ex, withinLine: true)}).", row);
                diagnostics?.Parsing(name, row, Utf8(content), RowErrorWriter.RowCode(BatchErrorCodes.CorruptRow),
                    $"Row is corrupted and cannot be read: it is not valid JSON ({Describe(ex, withinLine: true)}).");
            }

            first = false;
        }
    }

    private void NotJsonLines(string name, ReadOnlyMemory<byte> firstLine, string description, string rowMessage)
    {
        _errors.RecordFailed();
        _errors.Add(BatchErrorCodes.NotMultiLineJson, "multiline|" + name, description, 1);
        diagnostics?.Parsing(name, 1, Utf8(firstLine), RowErrorWriter.RowCode(BatchErrorCodes.NotMultiLineJson), rowMessage);
    }

    private void ReadMultiLineJson(string name, Stream stream, CancellationToken ct)
    {
        var records = new JsonRecordStream(stream, MaxRecordBytes);
        try
        {
            while (records.TryReadNext(record =>
            {
                _records++;
                CheckRecord(name, records.RecordNumber, record);
            }))
            {
                if ((records.RecordNumber & 1023) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
            }

            if (records.RecordNumber == 0)
            {
                _errors.Add(BatchErrorCodes.EmptyFile, "empty|" + name, $"Dataset file is empty: '{name}' holds no records.", null);
            }
        }
        catch (JsonException ex)
        {
            var row = records.RecordNumber + 1;
            _errors.RecordFailed();
            _errors.Add(BatchErrorCodes.CorruptRow, "corrupt|" + name,
                $"File '{name}' is not valid JSON at line {(ex.LineNumber ?? 0) + 1} (record {row}): {Describe(ex, withinLine: false)}; the rest of the file was not read.", row);
            diagnostics?.Parsing(name, row, null, RowErrorWriter.RowCode(BatchErrorCodes.CorruptRow),
                $"Row is corrupted and cannot be read: not valid JSON at line {(ex.LineNumber ?? 0) + 1} ({Describe(ex, withinLine: false)}); the rest of the file was not read.");
        }
    }

    private void ReadCsv(string name, Stream stream, CancellationToken ct)
    {
        using var text = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 64 * 1024);
        var csv = new CsvRecordReader(text, MaxRecordBytes, keepRaw: diagnostics is not null);
        var fields = new List<string>();
        try
        {
            if (!csv.TryReadRecord(fields))
            {
                _errors.Add(BatchErrorCodes.EmptyFile, "empty|" + name, $"Dataset file is empty: '{name}'.", null);
                return;
            }

            if (fields.All(f => f.Trim().Length == 0))
            {
                _errors.Add(BatchErrorCodes.EmptyCsvHeader, "header|" + name, $"CSV file contains empty header row: '{name}'.", null);
                CountRemainingRows(csv, fields);
                return;
            }

            var columns = ResolveColumns(name, fields);
            long row = 0;
            while (csv.TryReadRecord(fields))
            {
                if (fields.Count == 1 && fields[0].Length == 0)
                {
                    continue;
                }

                row++;
                _records++;
                if ((row & 1023) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }

                if (columns is null)
                {
                    _errors.RecordFailed();
                    continue;
                }

                CheckCsvRow(name, row, csv, columns, fields);
            }
        }
        catch (FormatException ex)
        {
            _errors.RecordFailed();
            _errors.Add(BatchErrorCodes.CorruptRow, "corrupt|" + name, $"File '{name}': {ex.Message}; the rest of the file was not read.", null);
            diagnostics?.Parsing(name, null, null, RowErrorWriter.RowCode(BatchErrorCodes.CorruptRow),
                $"Row is corrupted and cannot be read: {ex.Message}; the rest of the file was not read.");
        }
    }

    private void CheckCsvRow(string name, long row, CsvRecordReader csv, (string Name, XdmField Field)[] columns, List<string> fields)
    {
        var line = csv.RecordLine;
        if (fields.Count != columns.Length)
        {
            _errors.RecordFailed();
            _errors.Add(BatchErrorCodes.CorruptRow, "columns|" + name,
                $"File '{name}', row {row} (line {line}): the row is corrupted, it has {fields.Count} values but the header has {columns.Length} columns.", row);
            diagnostics?.Parsing(name, row, csv.RawRecord, RowErrorWriter.RowCode(BatchErrorCodes.CorruptRow),
                $"Row is corrupted and cannot be read: it has {fields.Count} values but the header has {columns.Length} columns (line {line}).");
            return;
        }

        List<(string, string)>? rowErrors = null;
        for (var i = 0; i < columns.Length; i++)
        {
            var value = fields[i];

            // An empty cell is a missing value, which every (optional) XDM field accepts.
            if (value.Length == 0)
            {
                continue;
            }

            var problem = XdmValues.CheckString(columns[i].Field, value, fromCsv: true);
            if (problem is not null)
            {
                rowErrors ??= [];
                rowErrors.Add((RowErrorWriter.RowCode(BatchErrorCodes.SchemaMismatch), $"Field '{columns[i].Name}' {problem}."));
                _errors.Add(BatchErrorCodes.SchemaMismatch, $"field|{name}|{columns[i].Name}|{ProblemKind(problem)}",
                    $"File '{name}', row {row} (line {line}): field '{columns[i].Name}' {problem}.", row);
            }
        }

        if (rowErrors is not null)
        {
            _errors.RecordFailed();
            diagnostics?.Conversion(name, row, csv.RawRecord, rowErrors);
        }
    }

    /// <summary>Header names are schema fields; a dotted name ("person.name.firstName") reaches into objects.</summary>
    private (string Name, XdmField Field)[]? ResolveColumns(string name, List<string> header)
    {
        var columns = new (string, XdmField)[header.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < header.Count; i++)
        {
            var column = header[i];
            XdmField? field = schema;
            foreach (var part in column.Split('.'))
            {
                field = field is { Kind: XdmKind.Object } && field.Properties.TryGetValue(part, out var child) ? child : null;
                if (field is null)
                {
                    break;
                }
            }

            if (!seen.Add(column))
            {
                ok = false;
                _errors.Add(BatchErrorCodes.UnknownCsvColumn, $"column|{name}|{column}",
                    $"File '{name}': the header names column '{column}' more than once.", null);
            }
            else if (field is null || column.Length == 0)
            {
                ok = false;
                _errors.Add(BatchErrorCodes.UnknownCsvColumn, $"column|{name}|{column}",
                    $"File '{name}': header column {i + 1} '{column}' is not a field of the dataset's schema; CSV header names must match schema fields.", null);
            }
            else
            {
                columns[i] = (column, field);
            }
        }

        return ok ? columns : null;
    }

    private void CountRemainingRows(CsvRecordReader csv, List<string> fields)
    {
        while (csv.TryReadRecord(fields))
        {
            if (fields.Count != 1 || fields[0].Length != 0)
            {
                _records++;
                _errors.RecordFailed();
            }
        }
    }

    /// <summary>Parquet rows are checked like JSON records once the file's own schema fits (see <see cref="ParquetFileReader"/>).</summary>
    private void ReadParquet(string name, FileStream stream, CancellationToken ct) =>
        _records += new ParquetFileReader(schema, _errors, diagnostics).Read(name, stream, (row, record) => CheckRecord(name, row, record), ct);

    private void CheckRecord(string name, long row, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            _errors.RecordFailed();
            _errors.Add(BatchErrorCodes.CorruptRow, "not-object|" + name,
                $"File '{name}', row {row}: the record is a JSON {record.ValueKind.ToString().ToLowerInvariant()}, not an object.", row);
            diagnostics?.Parsing(name, row, record.GetRawText(), RowErrorWriter.RowCode(BatchErrorCodes.CorruptRow),
                $"Row is corrupted and cannot be read: the record is a JSON {record.ValueKind.ToString().ToLowerInvariant()}, not an object.");
            return;
        }

        var problems = RecordValidator.Validate(record, schema);
        if (problems.Count == 0)
        {
            return;
        }

        _errors.RecordFailed();
        diagnostics?.Conversion(name, row, record.GetRawText(),
            problems.Select(p => (RowErrorWriter.RowCode(BatchErrorCodes.SchemaMismatch), $"Field '{p.Path}' {p.Problem}.")).ToList());
        foreach (var problem in problems)
        {
            _errors.Add(BatchErrorCodes.SchemaMismatch, $"field|{name}|{problem.Path}|{ProblemKind(problem.Problem)}",
                $"File '{name}', row {row}: field '{problem.Path}' {problem.Problem}.", row);
        }
    }

    private static string Utf8(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>The problem without the offending value, so "12.5 has a fraction" and "7.5 has a fraction" group together.</summary>
    private static string ProblemKind(string problem) => ValueInProblem().Replace(problem, "#");

    [GeneratedRegex(@"""[^""]*""|-?\d+(\.\d+)?([eE][+-]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex ValueInProblem();

    /// <summary>System.Text.Json appends positions relative to what it was given; keep the message, restate the position.</summary>
    private static string Describe(JsonException ex, bool withinLine)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        message = message.TrimEnd('.', ' ');
        return withinLine && ex.BytePositionInLine is { } position ? $"{message} at byte {position + 1}" : message;
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var start = 0;
        var end = span.Length;
        while (start < end && span[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return line[start..end];
    }
}
