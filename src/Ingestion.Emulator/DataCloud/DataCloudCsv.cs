using System.Text;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// RFC 4180 CSV as the Ingestion API takes it: UTF-8 (a BOM is skipped), comma-delimited only, fields optionally
/// in double quotes (<c>""</c> for a quote inside), records ending in CRLF or LF; the last line break is optional.
/// </summary>
internal static class DataCloudCsv
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes strictly; throws <see cref="DataCloudException"/> (400) naming the offset of the first bad byte.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw DataCloudErrors.InvalidInput($"The CSV is not valid UTF-8 (byte offset {ex.Index}); the Ingestion API only takes UTF-8. Convert the file first.");
        }
    }

    /// <summary>Every record's fields; throws <see cref="DataCloudException"/> (400) naming the line of a malformed record.</summary>
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var atFieldStart = true;
        var quoted = false;
        var any = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        throw DataCloudErrors.InvalidInput($"CSV line {line}: a closing quote must be followed by a comma or a line break (RFC 4180).");
                    }

                    continue;
                }

                if (c == '\n')
                {
                    line++;
                }

                field.Append(c);
                i++;
                continue;
            }

            switch (c)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    any = true;
                    i++;
                    break;
                case '"':
                    throw DataCloudErrors.InvalidInput($"CSV line {line}: a quote inside an unquoted field; quote the field and double the quote (RFC 4180).");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    any = true;
                    i++;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }
                    else if (c == '\r')
                    {
                        throw DataCloudErrors.InvalidInput($"CSV line {line}: a bare carriage return; records end in CRLF or LF.");
                    }

                    i++;
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        records.Add([.. fields]);
                    }
                    else
                    {
                        records.Add([string.Empty]);
                    }

                    fields.Clear();
                    field.Clear();
                    atFieldStart = true;
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    atFieldStart = false;
                    any = true;
                    i++;
                    break;
            }
        }

        if (quoted)
        {
            throw DataCloudErrors.InvalidInput($"CSV line {recordLine}: a quoted field is never closed.");
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        // Blank lines at the end are not records.
        while (records.Count > 0 && records[^1] is [""])
        {
            records.RemoveAt(records.Count - 1);
        }

        return records;
    }
}
