using System.Text.Json;
using Ingestion.Emulator.Schemas;
using Ingestion.Emulator.State;
using Ingestion.Parquet;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Reads one uploaded Parquet file of a batch: the footer, the file's schema against the dataset's (a file
/// that does not fit fails as a whole, naming the field), then every row, row group by row group, so memory is
/// bounded by one row group whatever the file size. Each row goes to <c>checkRecord</c> as the JSON record the
/// JSON path validates, so enums, integer ranges and date text are judged the same way for every format.
/// Corrupt files and features the codec does not implement (ZSTD, LZ4, encryption) fail the file with the
/// reader's message.
/// </summary>
internal sealed class ParquetFileReader(XdmField schema, BatchErrorCollector errors, RowErrorWriter? diagnostics)
{
    /// <summary>Reads the file; returns how many records it holds (those read, or what its row groups declare when the file fails as a whole).</summary>
    public long Read(string name, Stream stream, Action<long, JsonElement> checkRecord, CancellationToken ct)
    {
        ParquetReader reader;
        try
        {
            reader = new ParquetReader(stream, leaveOpen: true);
        }
        catch (ParquetFormatException ex)
        {
            Invalid(name, ex);
            return 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Invalid(name, Unexpected(ex));
            return 0;
        }

        using (reader)
        {
            // The row groups' counts, not the footer's total: some writers leave that 0 (parquet-testing's repeated_no_annotation).
            var declared = reader.RowGroups.Sum(g => g.RowCount);
            if (!CheckFile(name, reader))
            {
                errors.RecordFailed(declared);
                return declared;
            }

            if (declared == 0)
            {
                errors.Add(BatchErrorCodes.EmptyFile, "empty|" + name, $"Dataset file is empty: '{name}' holds no rows.", null);
                return 0;
            }

            return ReadRows(name, reader, declared, checkRecord, ct);
        }
    }

    /// <summary>What can be known from the footer: the codecs are readable (so the error names the codec before any page is read) and the schema fits.</summary>
    private bool CheckFile(string name, ParquetReader reader)
    {
        var ok = true;
        foreach (var codec in reader.RowGroups
            .SelectMany(g => g.Columns)
            .Where(c => c.ValueCount > 0 && !CompressionCodecs.CanRead(c.Codec))
            .GroupBy(c => c.Codec))
        {
            ok = false;
            var columns = codec.Select(c => c.Column.DottedPath).Distinct().ToList();
            var which = columns.Count == 1
                ? $"column '{columns[0]}' is"
                : $"columns {string.Join(", ", columns.Take(3).Select(c => $"'{c}'"))}{(columns.Count > 3 ? $" and {columns.Count - 3} more" : string.Empty)} are";
            var description = $"File '{name}': {which} compressed with {CompressionCodecs.Name(codec.Key)}, which the emulator cannot read (it reads UNCOMPRESSED, SNAPPY and GZIP); write the file with SNAPPY or GZIP.";
            errors.Add(BatchErrorCodes.InvalidParquet, $"parquet-codec|{name}|{codec.Key}", description, null);
            diagnostics?.Parsing(name, null, null, RowErrorWriter.RowCode(BatchErrorCodes.InvalidParquet), description);
        }

        foreach (var problem in ParquetSchemaMatcher.Match(reader.Schema, schema))
        {
            ok = false;
            errors.Add(BatchErrorCodes.SchemaMismatch, $"parquet-schema|{name}|{problem.Path}",
                $"File '{name}' does not match the dataset's schema: field '{problem.Path}' {problem.Problem}.", null);
        }

        return ok;
    }

    private long ReadRows(string name, ParquetReader reader, long declared, Action<long, JsonElement> checkRecord, CancellationToken ct)
    {
        var json = new ParquetRowJson();
        using var rows = reader.ReadRows().GetEnumerator();
        long row = 0;
        while (true)
        {
            Dictionary<string, object?> values;
            try
            {
                if (!rows.MoveNext())
                {
                    return row;
                }

                values = rows.Current;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Row groups are decoded whole before their rows are handed out: the rows not read are the rest of the file.
                if (ex is ParquetFormatException format)
                {
                    Invalid(name, format, row);
                }
                else
                {
                    Invalid(name, Unexpected(ex) + Rest(row));
                }

                errors.RecordFailed(declared - row);
                return declared;
            }

            row++;
            if ((row & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            using var record = JsonDocument.Parse(json.Write(values));
            checkRecord(row, record.RootElement);
        }
    }

    private void Invalid(string name, ParquetFormatException ex, long rowsRead = 0)
    {
        var rest = Rest(rowsRead);
        if (ex is ParquetNotSupportedException)
        {
            Report(name, $"File '{name}' uses a Parquet feature the emulator cannot read: {Sentence(ex.Message)}{rest}.", "parquet-unsupported|");
        }
        else
        {
            Invalid(name, Sentence(ex.Message) + rest);
        }
    }

    private static string Rest(long rowsRead) =>
        rowsRead > 0 ? $"; the {rowsRead} rows before it were read, the rest of the file was not" : string.Empty;

    /// <summary>A failure the reader did not classify (a bug or an input it did not foresee): the file still fails, saying so.</summary>
    private static string Unexpected(Exception ex) => $"the reader failed on it ({ex.GetType().Name}: {Sentence(ex.Message)})";

    private void Invalid(string name, string problem) =>
        Report(name, $"File '{name}' is not a valid Parquet file: {problem}.", "parquet|");

    private void Report(string name, string description, string group)
    {
        errors.Add(BatchErrorCodes.InvalidParquet, group + name, description, null);
        diagnostics?.Parsing(name, null, null, RowErrorWriter.RowCode(BatchErrorCodes.InvalidParquet), description);
    }

    /// <summary>The reader's message without its final full stop, to be embedded in a sentence.</summary>
    private static string Sentence(string message)
    {
        message = message.TrimEnd().TrimEnd('.');

        // "The file does not…" reads "…: the file does not…"; acronyms ("ZSTD …") stay as they are.
        return message.Length > 1 && char.IsUpper(message[0]) && char.IsLower(message[1])
            ? char.ToLowerInvariant(message[0]) + message[1..]
            : message;
    }
}
