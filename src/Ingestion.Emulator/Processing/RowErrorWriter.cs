using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Writes a batch's row-level error diagnostics as Data Access serves them (error diagnostics guide,
/// "Unparsable rows"): JSON Lines files <c>row_errors/parsing_errors_N.json</c> (rows that cannot be read) and
/// <c>row_errors/conversion_errors_N.json</c> (rows whose values do not fit the schema), one object per row:
/// <c>{"_corrupt_record": "…", "_errors": [{"code": "1401", "message": "…"}], "_filename": "…", "_row": 3}</c>.
/// <c>_filename</c> names the input file the row came from; <c>_row</c> (its 1-based row) is the emulator's
/// addition, which Adobe's example does not show, so clients must treat it as optional.
/// Rows go straight to disk, so a file with a million bad rows costs no memory.
/// </summary>
internal sealed class RowErrorWriter : IDisposable
{
    /// <summary>Rows per file before the next file (<c>_1</c>, <c>_2</c>…) is started.</summary>
    public const int MaxRowsPerFile = 10_000;

    /// <summary>A longer rejected row is cut here; the error says so.</summary>
    public const int MaxRecordChars = 100_000;

    private readonly Sink _parsing;
    private readonly Sink _conversion;

    /// <param name="rowErrorsDirectory">Created empty: anything from an earlier, unfinished run is removed.</param>
    public RowErrorWriter(string rowErrorsDirectory)
    {
        if (Directory.Exists(rowErrorsDirectory))
        {
            Directory.Delete(rowErrorsDirectory, recursive: true);
        }

        Directory.CreateDirectory(rowErrorsDirectory);
        _parsing = new Sink(rowErrorsDirectory, "parsing_errors");
        _conversion = new Sink(rowErrorsDirectory, "conversion_errors");
    }

    public long Rows => _parsing.Total + _conversion.Total;

    /// <summary>A row that could not be read at all (not JSON, wrong number of CSV columns, too large).</summary>
    public void Parsing(string file, long? row, string? record, string code, string message) =>
        _parsing.Write(file, row, record, [(code, message)]);

    /// <summary>A row that was read but whose values do not fit the schema; one error per field.</summary>
    public void Conversion(string file, long? row, string? record, IReadOnlyList<(string Code, string Message)> errors) =>
        _conversion.Write(file, row, record, errors);

    /// <summary>The row-error code of a Catalog code: <c>INGEST-1401-400</c> becomes <c>1401</c>, as Adobe's example shows it.</summary>
    public static string RowCode(string catalogCode)
    {
        var parts = catalogCode.Split('-');
        return parts.Length == 3 ? parts[1] : catalogCode;
    }

    public void Dispose()
    {
        _parsing.Dispose();
        _conversion.Dispose();
    }

    private sealed class Sink(string directory, string prefix) : IDisposable
    {
        private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private FileStream? _stream;
        private Utf8JsonWriter? _writer;
        private int _inFile;
        private int _files;

        public long Total { get; private set; }

        public void Write(string file, long? row, string? record, IReadOnlyList<(string Code, string Message)> errors)
        {
            if (_stream is null || _inFile == MaxRowsPerFile)
            {
                Close();
                _stream = new FileStream(Path.Combine(directory, $"{prefix}_{_files++}.json"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
                _writer = new Utf8JsonWriter(_stream, Options);
                _inFile = 0;
            }

            var writer = _writer!;
            writer.WriteStartObject();
            var clipped = record is { Length: > MaxRecordChars };
            writer.WriteString("_corrupt_record", clipped ? Clip(record!) : record ?? string.Empty);
            writer.WriteStartArray("_errors");
            foreach (var (code, message) in errors)
            {
                writer.WriteStartObject();
                writer.WriteString("code", code);
                writer.WriteString("message", clipped ? string.Create(CultureInfo.InvariantCulture, $"{message} (The record is cut after {MaxRecordChars:N0} characters.)") : message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("_filename", file);
            if (row is { } number)
            {
                writer.WriteNumber("_row", number);
            }

            writer.WriteEndObject();
            writer.Flush();
            _stream!.WriteByte((byte)'\n');

            // Each line is its own JSON document.
            writer.Reset(_stream);
            _inFile++;
            Total++;
        }

        public void Dispose() => Close();

        private void Close()
        {
            _writer?.Dispose();
            _writer = null;
            if (_stream is not null)
            {
                _stream.Flush(flushToDisk: true);
                _stream.Dispose();
                _stream = null;
            }
        }
    }

    /// <summary>Cuts at the limit without splitting a surrogate pair, which the JSON writer would refuse.</summary>
    private static string Clip(string record) =>
        char.IsHighSurrogate(record[MaxRecordChars - 1]) ? record[..(MaxRecordChars - 1)] : record[..MaxRecordChars];
}
