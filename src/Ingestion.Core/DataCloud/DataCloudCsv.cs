using System.Buffers;
using System.Text;
using Ingestion.Core.Errors;

namespace Ingestion.Core.DataCloud;

/// <summary>The files to send for one local CSV: the file itself, or temporary parts that are removed on dispose.</summary>
internal sealed class PreparedCsv : IDisposable
{
    private readonly string? tempDirectory;

    public PreparedCsv(string source, IReadOnlyList<string> parts, string? tempDirectory, bool transcoded)
    {
        Source = source;
        Parts = parts;
        this.tempDirectory = tempDirectory;
        Transcoded = transcoded;
    }

    public string Source { get; }
    public IReadOnlyList<string> Parts { get; }
    public bool Transcoded { get; }

    public void Dispose()
    {
        if (tempDirectory is not null)
        {
            try
            {
                Directory.Delete(tempDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A virus scanner holding a part: the temp folder is cleaned by the system later.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

/// <summary>
/// Checks a CSV file before it goes to Data Cloud, and splits it when it is too large for one upload. Streaming and
/// byte-level, in constant memory: one pass validates UTF-8 (a BOM is allowed and dropped), the delimiter (a first line
/// with ';' or tab and no comma is refused) and the header, and finds row boundaries outside RFC 4180 quotes; a second
/// pass copies the parts, each starting with the header row (delete jobs have none).
/// </summary>
internal static class DataCloudCsv
{
    /// <summary>The most one upload takes: 150 MB, counted in decimal megabytes to stay on the safe side.</summary>
    public const long MaxUploadBytes = 150_000_000;

    private const int BufferSize = 1 << 16;
    private const int MaxHeaderBytes = 1 << 20;
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static async Task<PreparedCsv> PrepareAsync(string path, Encoding? encoding, bool hasHeader, long maxPartBytes, IProgress<string>? warnings, CancellationToken cancellationToken)
    {
        string? temp = null;
        var source = path;
        var transcoded = false;
        try
        {
            if (encoding is not null && encoding.CodePage != Encoding.UTF8.CodePage)
            {
                temp = NewTempDirectory();
                source = Path.Combine(temp, "utf8.csv");
                await TranscodeAsync(path, source, encoding, cancellationToken).ConfigureAwait(false);
                transcoded = true;
                warnings?.Report(string.Format(Messages.DcCsvTranscoded, path, encoding.WebName));
            }

            var scan = await ScanAsync(source, path, hasHeader, maxPartBytes, cancellationToken).ConfigureAwait(false);
            if (scan.BomLength == 0 && scan.Cuts.Count == 1)
            {
                return new PreparedCsv(path, [source], temp, transcoded);
            }

            temp ??= NewTempDirectory();
            var parts = new List<string>(scan.Cuts.Count);
            await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan))
            {
                for (var i = 0; i < scan.Cuts.Count; i++)
                {
                    var part = Path.Combine(temp, $"part-{i + 1:D3}.csv");
                    await using var output = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
                    if (scan.HeaderEnd > scan.BomLength)
                    {
                        await CopyRangeAsync(input, output, scan.BomLength, scan.HeaderEnd, cancellationToken).ConfigureAwait(false);
                    }

                    await CopyRangeAsync(input, output, scan.Cuts[i].Start, scan.Cuts[i].End, cancellationToken).ConfigureAwait(false);
                    parts.Add(part);
                }
            }

            if (parts.Count > 1)
            {
                warnings?.Report(string.Format(Messages.DcCsvSplit, path, maxPartBytes, parts.Count, hasHeader ? Messages.DcCsvSplitHeader : string.Empty));
            }

            return new PreparedCsv(path, parts, temp, transcoded);
        }
        catch
        {
            if (temp is not null)
            {
                new PreparedCsv(path, [], temp, transcoded).Dispose();
            }

            throw;
        }
    }

    /// <summary>Resolves an -Encoding name (utf-8, latin1, utf-16, a code page number).</summary>
    public static Encoding ResolveEncoding(string name)
    {
        try
        {
            return int.TryParse(name, out var codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(name);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DcEncodingUnknown, name), ex) { Target = name };
        }
    }

    internal readonly record struct Cut(long Start, long End);

    internal sealed record Scan(int BomLength, long HeaderEnd, IReadOnlyList<Cut> Cuts);

    internal static async Task<Scan> ScanAsync(string source, string shownPath, bool hasHeader, long maxPartBytes, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var length = input.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
            var firstLine = new MemoryStream();
            var cuts = new List<Cut>();
            var bom = 0;
            long position = 0;
            long line = 1;
            long quoteLine = 0;
            var inQuotes = false;
            var firstLineDone = false;
            long headerEnd = 0;
            long dataStart = 0;
            long partStart = -1;
            long lastBoundary = -1;
            long rowLine = 1;

            // With a header: the first data row must have as many fields as the header (another delimiter, a stray quote).
            using var dataRow = new MemoryStream();
            var dataRowDone = !hasHeader;
            var budget = 0L;

            while (true)
            {
                var read = await input.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                var last = read == 0;
                var offset = 0;
                if (position == 0 && read >= 3 && buffer.AsSpan(0, 3).SequenceEqual(Bom))
                {
                    bom = 3;
                    offset = 3;
                }

                try
                {
                    decoder.GetCharCount(buffer, offset, read - offset, flush: last);
                }
                catch (DecoderFallbackException ex)
                {
                    var upTo = Math.Clamp(ex.Index, 0, read);
                    var badLine = line + buffer.AsSpan(0, upTo).Count((byte)'\n');
                    throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvNotUtf8, shownPath, badLine), ex)
                    {
                        Target = shownPath,
                        RecommendedAction = Messages.DcCsvNotUtf8Action,
                    };
                }

                if (last)
                {
                    break;
                }

                for (var i = offset; i < read; i++)
                {
                    var b = buffer[i];
                    var at = position + i;
                    if (!firstLineDone && firstLine.Length < MaxHeaderBytes)
                    {
                        firstLine.WriteByte(b);
                    }
                    else if (firstLineDone && !dataRowDone && dataRow.Length <= MaxHeaderBytes)
                    {
                        dataRow.WriteByte(b);
                    }

                    if (b == (byte)'"')
                    {
                        inQuotes = !inQuotes;
                        if (inQuotes)
                        {
                            quoteLine = line;
                        }
                    }
                    else if (b == (byte)'\n')
                    {
                        line++;
                        if (inQuotes)
                        {
                            continue;
                        }

                        var end = at + 1;
                        if (firstLineDone && !dataRowDone)
                        {
                            dataRowDone = CheckFirstDataRow(firstLine, dataRow, shownPath);
                        }

                        if (!firstLineDone)
                        {
                            firstLineDone = true;
                            CheckFirstLine(firstLine, shownPath, hasHeader);
                            headerEnd = hasHeader ? end : bom;
                            dataStart = hasHeader ? end : bom;
                            budget = maxPartBytes - (headerEnd - bom);
                            partStart = lastBoundary = dataStart;
                            if (hasHeader)
                            {
                                rowLine = line;
                                continue;
                            }
                        }

                        Boundary(end);
                        rowLine = line;
                    }
                }

                position += read;
            }

            if (firstLineDone && !dataRowDone)
            {
                // The first data row is the last line, without a newline at its end.
                CheckFirstDataRow(firstLine, dataRow, shownPath);
            }

            if (inQuotes)
            {
                throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvUnclosedQuote, shownPath, quoteLine)) { Target = shownPath };
            }

            if (length <= bom)
            {
                throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvEmpty, shownPath, hasHeader ? Messages.DcCsvNeedsHeader : Messages.DcCsvNeedsRows)) { Target = shownPath };
            }

            if (!firstLineDone)
            {
                // A single line without a newline at the end.
                CheckFirstLine(firstLine, shownPath, hasHeader);
                if (hasHeader)
                {
                    throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvNoRows, shownPath)) { Target = shownPath };
                }

                headerEnd = dataStart = bom;
                budget = maxPartBytes;
                partStart = lastBoundary = dataStart;
            }

            if (length > lastBoundary)
            {
                Boundary(length);
            }

            if (lastBoundary > partStart)
            {
                cuts.Add(new Cut(partStart, lastBoundary));
            }

            if (cuts.Count == 0)
            {
                throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvNoRows, shownPath)) { Target = shownPath };
            }

            return new Scan(bom, headerEnd, cuts);

            void Boundary(long end)
            {
                if (end - partStart > budget)
                {
                    if (lastBoundary == partStart)
                    {
                        throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvRowTooLarge, shownPath, rowLine, maxPartBytes)) { Target = shownPath };
                    }

                    cuts.Add(new Cut(partStart, lastBoundary));
                    partStart = lastBoundary;
                    if (end - partStart > budget)
                    {
                        throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvRowTooLarge, shownPath, rowLine, maxPartBytes)) { Target = shownPath };
                    }
                }

                lastBoundary = end;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void CheckFirstLine(MemoryStream firstLine, string shownPath, bool hasHeader)
    {
        var text = Encoding.UTF8.GetString(firstLine.GetBuffer(), 0, (int)firstLine.Length).TrimEnd('\r', '\n');
        var fields = SplitFields(text);
        var commas = CountOutsideQuotes(text, ',');
        foreach (var other in new[] { ';', '\t', '|' })
        {
            var count = CountOutsideQuotes(text, other);
            if (count > 0 && count >= commas)
            {
                throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvDelimiter, shownPath, other == '\t' ? "tab" : other.ToString(), count, commas)) { Target = shownPath };
            }
        }

        if (!hasHeader)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim();
            if (name.Length == 0)
            {
                throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvEmptyColumn, shownPath, i + 1)) { Target = shownPath };
            }

            if (!seen.Add(name))
            {
                throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvDuplicateColumn, shownPath, name)) { Target = shownPath };
            }
        }
    }

    /// <summary>How often <paramref name="delimiter"/> occurs outside double quotes.</summary>
    internal static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == delimiter && !quoted)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Checks the first data row against the header's field count; true once checked, false for a blank line (the
    /// next row is checked instead). A row longer than the header buffer is not checked.
    /// </summary>
    private static bool CheckFirstDataRow(MemoryStream header, MemoryStream row, string shownPath)
    {
        if (row.Length > MaxHeaderBytes || header.Length >= MaxHeaderBytes)
        {
            return true;
        }

        var text = Encoding.UTF8.GetString(row.GetBuffer(), 0, (int)row.Length).TrimEnd('\r', '\n');
        if (text.Length == 0)
        {
            row.SetLength(0);
            return false;
        }

        var headerFields = SplitFields(Encoding.UTF8.GetString(header.GetBuffer(), 0, (int)header.Length).TrimEnd('\r', '\n')).Count;
        var rowFields = SplitFields(text).Count;
        if (rowFields != headerFields)
        {
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.DcCsvFieldCount, shownPath, rowFields, headerFields)) { Target = shownPath };
        }

        return true;
    }

    /// <summary>The fields of one line, RFC 4180 quotes respected.</summary>
    internal static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                if (quoted && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }

    private static async Task TranscodeAsync(string from, string to, Encoding encoding, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(from, encoding, detectEncodingFromByteOrderMarks: true, BufferSize);
        await using var writer = new StreamWriter(to, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize);
        var chars = ArrayPool<char>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = await reader.ReadAsync(chars.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await writer.WriteAsync(chars.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static async Task CopyRangeAsync(FileStream input, Stream output, long start, long end, CancellationToken cancellationToken)
    {
        input.Position = start;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var left = end - start;
            while (left > 0)
            {
                var n = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new EndOfStreamException();
                }

                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                left -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ingestion-dc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
