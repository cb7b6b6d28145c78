using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Conversion;

/// <summary>
/// RFC 4180 CSV over UTF-8 bytes in bounded memory: fields are slices of a refillable buffer, so a record
/// costs no allocation unless a caller asks for strings. Quoted fields may hold delimiters, line breaks and
/// doubled quotes. Every error names the source and the line.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private const int InitialBufferBytes = 1 << 20;
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private readonly Stream stream;
    private readonly string source;
    private readonly byte delimiter;
    private readonly int maxRecordBytes;

    // What ends an unquoted field, plus the quote that must not appear in one: found in a single vectorised pass.
    private readonly SearchValues<byte> fieldEnds;
    private byte[] buffer;
    private int start;
    private int end;
    private bool eof;
    private bool first = true;

    // UTF-8 is checked once per read from the stream, not per record: bytes before validEnd are checked, and
    // invalidAt is the first bad byte seen (the record that holds it fails).
    private int validEnd;
    private int invalidAt = -1;

    // Field i is either buffer[offset..offset+length] or, when unescaped, scratch[offset..offset+length].
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private bool[] inScratch = new bool[64];
    private byte[] scratch = new byte[4096];
    private int scratchUsed;
    private long nextLine = 1;

    public CsvReader(Stream stream, string source, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        if (options.Delimiter is '"' or '\r' or '\n' || options.Delimiter > 0x7F)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.CsvBadDelimiter, options.Delimiter));
        }

        this.source = source;
        delimiter = (byte)options.Delimiter;
        fieldEnds = SearchValues.Create([delimiter, (byte)'\n', (byte)'\r', (byte)'"']);
        maxRecordBytes = options.MaxRecordBytes;
        this.stream = options.Encoding is UTF8Encoding ? stream : Encoding.CreateTranscodingStream(stream, options.Encoding, Encoding.UTF8, leaveOpen: false);
        buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, Math.Max(4096, maxRecordBytes)));
    }

    /// <summary>Fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>The 1-based number of the current record, the header included.</summary>
    public long Record { get; private set; }

    public ReadOnlySpan<byte> GetUtf8(int index) =>
        inScratch[index] ? scratch.AsSpan(offsets[index], lengths[index]) : buffer.AsSpan(offsets[index], lengths[index]);

    public string GetString(int index) => Encoding.UTF8.GetString(GetUtf8(index));

    /// <summary>Reads the next record; false at the end of the input. A blank line is a record of one empty field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        while (true)
        {
            if (first && !SkipBom())
            {
                return false;
            }

            if (start == end && !Fill())
            {
                return false;
            }

            var parsed = TryParseRecord(out var consumed, out var lines);
            if (parsed)
            {
                if (invalidAt >= 0 && invalidAt < start + consumed)
                {
                    throw Error(string.Format(Messages.CsvInvalidUtf8, source, nextLine));
                }

                start += consumed;
                Line = nextLine;
                nextLine += lines;
                Record++;
                return true;
            }

            // The record runs past the buffered bytes: keep its start, make room, read more, parse it again.
            if (eof)
            {
                throw Error(string.Format(Messages.CsvUnclosedQuote, source, nextLine));
            }

            // At the end of the input the next pass parses the rest as the last record.
            Compact();
            Fill();
        }
    }

    /// <summary>Reads all fields of the current record as strings; empty unquoted fields are empty strings too.</summary>
    public string[] GetStrings()
    {
        var values = new string[FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = GetString(i);
        }

        return values;
    }

    public void Dispose()
    {
        stream.Dispose();
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private bool SkipBom()
    {
        first = false;
        while (end - start < Bom.Length && !eof)
        {
            if (!Fill())
            {
                break;
            }
        }

        if (end - start >= Bom.Length && buffer.AsSpan(start, Bom.Length).SequenceEqual(Bom))
        {
            start += Bom.Length;
        }

        return end > start || !eof;
    }

    /// <summary>Parses one record from <see cref="start"/>; false when the buffered bytes end inside it (and more may come).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParseRecord(out int consumed, out int lines)
    {
        var span = buffer.AsSpan(start, end - start);
        var pos = 0;
        var field = 0;
        lines = 1;
        scratchUsed = 0;
        consumed = 0;
        while (true)
        {
            EnsureFieldSlots(field);
            if (pos < span.Length && span[pos] == (byte)'"')
            {
                if (!TryParseQuoted(span, ref pos, field, ref lines))
                {
                    return false;
                }
            }
            else
            {
                var rest = span[pos..];
                var stop = rest.IndexOfAny(fieldEnds);
                if (stop >= 0 && rest[stop] == (byte)'"')
                {
                    throw Error(string.Format(Messages.CsvStrayQuote, source, nextLine + lines - 1, field + 1));
                }

                if (stop < 0)
                {
                    if (!eof)
                    {
                        return false;
                    }

                    stop = rest.Length;
                }

                offsets[field] = start + pos;
                lengths[field] = stop;
                inScratch[field] = false;
                pos += stop;
            }

            field++;
            if (pos >= span.Length)
            {
                if (!eof)
                {
                    return false;
                }

                consumed = pos;
                FieldCount = field;
                return true;
            }

            var b = span[pos];
            if (b == delimiter)
            {
                pos++;
                if (pos >= span.Length && eof)
                {
                    // A trailing delimiter at the very end: one more, empty field.
                    EnsureFieldSlots(field);
                    offsets[field] = start + pos;
                    lengths[field] = 0;
                    inScratch[field] = false;
                    consumed = pos;
                    FieldCount = field + 1;
                    return true;
                }

                continue;
            }

            // End of line: LF, CRLF or a lone CR.
            if (b == (byte)'\r')
            {
                if (pos + 1 >= span.Length && !eof)
                {
                    return false;
                }

                pos += pos + 1 < span.Length && span[pos + 1] == (byte)'\n' ? 2 : 1;
            }
            else
            {
                pos++;
            }

            consumed = pos;
            FieldCount = field;
            return true;
        }
    }

    private bool TryParseQuoted(ReadOnlySpan<byte> span, ref int pos, int field, ref int lines)
    {
        var contentStart = pos + 1;
        var i = contentStart;
        var escaped = false;
        while (true)
        {
            var next = span[i..].IndexOf((byte)'"');
            if (next < 0)
            {
                return false;
            }

            i += next;
            if (i + 1 >= span.Length)
            {
                if (!eof)
                {
                    return false;
                }

                break;
            }

            if (span[i + 1] == (byte)'"')
            {
                escaped = true;
                i += 2;
                continue;
            }

            break;
        }

        var content = span[contentStart..i];
        lines += content.Count((byte)'\n') + CountLoneCarriageReturns(content);
        if (escaped)
        {
            var length = Unescape(content);
            offsets[field] = scratchUsed - length;
            lengths[field] = length;
            inScratch[field] = true;
        }
        else
        {
            offsets[field] = start + contentStart;
            lengths[field] = content.Length;
            inScratch[field] = false;
        }

        pos = i + 1;
        if (pos < span.Length && span[pos] != delimiter && span[pos] != (byte)'\n' && span[pos] != (byte)'\r')
        {
            throw Error(string.Format(Messages.CsvTextAfterQuote, source, nextLine + lines - 1, field + 1));
        }

        return true;
    }

    private static int CountLoneCarriageReturns(ReadOnlySpan<byte> content)
    {
        var count = 0;
        for (var i = content.IndexOf((byte)'\r'); i >= 0 && i < content.Length; i++)
        {
            if (content[i] == (byte)'\r' && (i + 1 == content.Length || content[i + 1] != (byte)'\n'))
            {
                count++;
            }
        }

        return count;
    }

    private int Unescape(ReadOnlySpan<byte> content)
    {
        if (scratch.Length - scratchUsed < content.Length)
        {
            Array.Resize(ref scratch, Math.Max(scratch.Length * 2, scratchUsed + content.Length));
        }

        var written = 0;
        var target = scratch.AsSpan(scratchUsed);
        while (content.Length > 0)
        {
            var quote = content.IndexOf((byte)'"');
            var take = quote < 0 ? content.Length : quote + 1;
            content[..take].CopyTo(target[written..]);
            written += take;
            content = content[Math.Min(content.Length, take + (quote < 0 ? 0 : 1))..];
        }

        scratchUsed += written;
        return written;
    }

    private void EnsureFieldSlots(int field)
    {
        if (field < offsets.Length)
        {
            return;
        }

        Array.Resize(ref offsets, offsets.Length * 2);
        Array.Resize(ref lengths, lengths.Length * 2);
        Array.Resize(ref inScratch, inScratch.Length * 2);
    }

    private void Compact()
    {
        var pending = end - start;
        if (start == 0 && pending == buffer.Length)
        {
            if (buffer.Length >= maxRecordBytes)
            {
                throw Error(string.Format(Messages.CsvRecordTooLarge, source, nextLine, maxRecordBytes));
            }

            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxRecordBytes));
            buffer.AsSpan(0, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
            return;
        }

        buffer.AsSpan(start, pending).CopyTo(buffer);
        validEnd -= start;
        if (invalidAt >= 0)
        {
            invalidAt -= start;
        }

        start = 0;
        end = pending;
    }

    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool Fill()
    {
        if (eof)
        {
            return false;
        }

        if (end == buffer.Length)
        {
            Compact();
        }

        int read;
        try
        {
            read = stream.Read(buffer, end, buffer.Length - end);
        }
        catch (DecoderFallbackException ex)
        {
            // Transcoding from a legacy encoding met bytes that encoding does not define.
            throw new IngestionException(IngestErrorKind.InvalidData, string.Format(Messages.CsvUndecodable, source, nextLine, ex.Message), ex) { Target = source };
        }

        if (read == 0)
        {
            eof = true;
            Validate(final: true);
            return false;
        }

        end += read;
        Validate(final: false);
        return true;
    }

    // Hot: compiled fully optimised at once rather than after tier-0 warm-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Validate(bool final)
    {
        if (invalidAt >= 0)
        {
            return;
        }

        // A multi-byte sequence cut by the end of the buffer is checked once its rest has arrived.
        var safeEnd = end;
        for (var back = 1; !final && back <= 3 && end - back >= validEnd; back++)
        {
            var b = buffer[end - back];
            if ((b & 0xC0) != 0x80)
            {
                var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                if (length > back)
                {
                    safeEnd = end - back;
                }

                break;
            }
        }

        var span = buffer.AsSpan(validEnd, safeEnd - validEnd);
        if (!Utf8.IsValid(span))
        {
            var offset = 0;
            while (Rune.DecodeFromUtf8(span[offset..], out _, out var used) == OperationStatus.Done)
            {
                offset += used;
            }

            invalidAt = validEnd + offset;
        }

        validEnd = safeEnd;
    }

    // The file's content is malformed: InvalidData, like a value that does not fit its field.
    private IngestionException Error(string message) => new(IngestErrorKind.InvalidData, message) { Target = source };
}
