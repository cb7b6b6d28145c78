using System.Buffers;
using System.Text.Json;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Conversion;

/// <summary>
/// Streams the objects of a JSON Lines file or of a top-level JSON array, one record at a time, in memory
/// bounded by the largest record. Values become plain .NET values: <see cref="Dictionary{TKey,TValue}"/> for
/// objects, <see cref="List{T}"/> for arrays, <see cref="long"/> or <see cref="double"/> for numbers,
/// <see cref="string"/>, <see cref="bool"/> and null.
/// </summary>
public sealed class JsonRecordReader : IDisposable
{
    private const int InitialBufferBytes = 1 << 16;
    private readonly Stream stream;
    private readonly string source;
    private readonly JsonLayout requested;
    private readonly int maxRecordBytes;
    private byte[] buffer;
    private int start;
    private int end;
    private bool eof;
    private bool started;
    private bool arrayClosed;
    private bool needComma;
    private long line = 1;

    public JsonRecordReader(Stream stream, string source, JsonLayout layout = JsonLayout.Auto, int maxRecordBytes = 64 * 1024 * 1024)
    {
        this.stream = stream;
        this.source = source;
        requested = layout;
        this.maxRecordBytes = maxRecordBytes;
        buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    }

    /// <summary>The layout found (after the first <see cref="Read"/>).</summary>
    public JsonLayout Layout { get; private set; } = JsonLayout.Auto;

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>The 1-based number of the current record.</summary>
    public long Record { get; private set; }

    public bool Read(out Dictionary<string, object?> record)
    {
        record = null!;
        if (!started)
        {
            Begin();
        }

        while (true)
        {
            if (!SkipSeparators())
            {
                return false;
            }

            if (TryTakeValue(out var length))
            {
                var slice = buffer.AsSpan(start, length);
                Line = line;
                Record++;
                record = ParseRecord(slice);
                line += slice.Count((byte)'\n');
                start += length;
                needComma = Layout == JsonLayout.Array;
                return true;
            }

            MakeRoom();
        }
    }

    public void Dispose()
    {
        stream.Dispose();
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private void Begin()
    {
        started = true;
        SkipWhitespace();
        if (end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF)
        {
            start += 3;
            SkipWhitespace();
        }

        var isArray = start < end && buffer[start] == (byte)'[';
        Layout = requested == JsonLayout.Auto ? (isArray ? JsonLayout.Array : JsonLayout.Lines) : requested;
        if (Layout == JsonLayout.Lines && isArray)
        {
            throw Error(string.Format(Messages.JsonArrayNotLines, source));
        }

        if (Layout == JsonLayout.Array)
        {
            if (!isArray)
            {
                throw Error(string.Format(Messages.JsonNotAnArray, source, line));
            }

            start++;
        }
    }

    /// <summary>Skips whitespace and, inside an array, the commas and the closing bracket; false at the end.</summary>
    private bool SkipSeparators()
    {
        while (true)
        {
            SkipWhitespace();
            if (start == end)
            {
                if (Layout == JsonLayout.Array && !arrayClosed)
                {
                    throw Error(string.Format(Messages.JsonArrayUnclosed, source, line));
                }

                return false;
            }

            var b = buffer[start];
            if (arrayClosed)
            {
                throw Error(string.Format(Messages.JsonTextAfterArray, source, line));
            }

            if (Layout == JsonLayout.Array && b == (byte)']')
            {
                arrayClosed = true;
                start++;
                continue;
            }

            if (needComma)
            {
                if (b != (byte)',')
                {
                    throw Error(string.Format(Messages.JsonMissingComma, source, line));
                }

                start++;
                needComma = false;
                continue;
            }

            return true;
        }
    }

    private void SkipWhitespace()
    {
        while (true)
        {
            while (start < end)
            {
                var b = buffer[start];
                if (b == (byte)'\n')
                {
                    line++;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return;
                }

                start++;
            }

            if (!Fill())
            {
                return;
            }
        }
    }

    /// <summary>Finds the extent of the next complete value in the buffer; false when more bytes are needed.</summary>
    private bool TryTakeValue(out int length)
    {
        var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), isFinalBlock: eof, default);
        try
        {
            if (!reader.Read() || !reader.TrySkip())
            {
                length = 0;
                if (eof)
                {
                    throw Error(string.Format(Messages.JsonTruncated, source, line));
                }

                return false;
            }
        }
        catch (JsonException ex)
        {
            throw Error(string.Format(Messages.JsonInvalid, source, line + (ex.LineNumber ?? 0), ex.Message), ex);
        }

        length = (int)reader.BytesConsumed;
        if (length > maxRecordBytes)
        {
            throw Error(string.Format(Messages.JsonRecordTooLarge, source, line, maxRecordBytes));
        }

        return true;
    }

    private Dictionary<string, object?> ParseRecord(ReadOnlySpan<byte> slice)
    {
        var reader = new Utf8JsonReader(slice, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(string.Format(Messages.JsonRecordNotObject, source, line, Record, reader.TokenType));
            }

            return ReadObject(ref reader);
        }
        catch (JsonException ex)
        {
            throw Error(string.Format(Messages.JsonInvalid, source, line + (ex.LineNumber ?? 0), ex.Message), ex);
        }
    }

    private static Dictionary<string, object?> ReadObject(ref Utf8JsonReader reader)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            // A repeated name keeps the last value, as JSON parsers commonly do.
            result[name] = ReadValue(ref reader);
        }

        return result;
    }

    private static object? ReadValue(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => ReadObject(ref reader),
        JsonTokenType.StartArray => ReadArray(ref reader),
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var l) ? (object)l : reader.GetDouble(),
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => null,
    };

    private static List<object?> ReadArray(ref Utf8JsonReader reader)
    {
        var list = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadValue(ref reader));
        }

        return list;
    }

    private void MakeRoom()
    {
        var pending = end - start;
        if (pending >= maxRecordBytes)
        {
            throw Error(string.Format(Messages.JsonRecordTooLarge, source, line, maxRecordBytes));
        }

        if (start == 0 && pending == buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxRecordBytes));
            buffer.AsSpan(0, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
        else
        {
            buffer.AsSpan(start, pending).CopyTo(buffer);
            start = 0;
            end = pending;
        }

        Fill();
    }

    private bool Fill()
    {
        if (eof)
        {
            return false;
        }

        if (end == buffer.Length)
        {
            if (start == 0)
            {
                return false;
            }

            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        var read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0)
        {
            eof = true;
            return false;
        }

        end += read;
        return true;
    }

    // The file's content is malformed: InvalidData, like a value that does not fit its field.
    private IngestionException Error(string message, Exception? inner = null) =>
        new(IngestErrorKind.InvalidData, message, inner) { Target = source };
}
