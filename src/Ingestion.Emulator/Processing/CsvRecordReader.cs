using System.Text;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// RFC 4180 CSV in constant memory: comma-separated, fields optionally in double quotes, "" for a quote
/// inside quotes, commas and line breaks allowed inside quotes, LF or CRLF between records.
/// With <paramref name="keepRaw"/> the record's text as written is kept too (<see cref="RawRecord"/>), for error diagnostics.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, int maxRecordChars, bool keepRaw = false)
{
    private readonly StringBuilder _field = new();
    private readonly StringBuilder? _raw = keepRaw ? new() : null;
    private readonly char[] _buffer = new char[32 * 1024];
    private int _position;
    private int _length;
    private long _line = 1;

    /// <summary>The physical line the last record started on (1-based).</summary>
    public long RecordLine { get; private set; }

    /// <summary>The last record as it stands in the file, without its line break; empty unless created with keepRaw.</summary>
    public string RawRecord => _raw is null ? string.Empty : _raw.ToString().TrimEnd('\r', '\n');

    /// <summary>
    /// Reads the next record into <paramref name="fields"/>; false at the end. An empty line yields one empty field.
    /// Throws <see cref="FormatException"/> for a quote left open at the end of the file.
    /// </summary>
    public bool TryReadRecord(List<string> fields)
    {
        fields.Clear();
        _field.Clear();
        _raw?.Clear();
        if (!EnsureData())
        {
            return false;
        }

        RecordLine = _line;
        var quoted = false;
        var wasQuoted = false;
        var recordChars = 0;
        while (EnsureData())
        {
            var c = _buffer[_position++];
            _raw?.Append(c);
            if (++recordChars > maxRecordChars)
            {
                throw new RecordTooLargeException(RecordLine, maxRecordChars);
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (EnsureData() && _buffer[_position] == '"')
                    {
                        _position++;
                        _raw?.Append('"');
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when _field.Length == 0 && !wasQuoted:
                    quoted = wasQuoted = true;
                    break;
                case ',':
                    fields.Add(_field.ToString());
                    _field.Clear();
                    wasQuoted = false;
                    break;
                case '\r' when EnsureData() && _buffer[_position] == '\n':
                    break;
                case '\n':
                    _line++;
                    fields.Add(_field.ToString());
                    return true;
                default:
                    _field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"a quoted field that starts on line {RecordLine} is never closed");
        }

        fields.Add(_field.ToString());
        return true;
    }

    private bool EnsureData()
    {
        if (_position < _length)
        {
            return true;
        }

        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
