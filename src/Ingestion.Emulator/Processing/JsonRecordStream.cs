using System.Text.Json;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Reads multi-line JSON (<c>isMultiLineJson: true</c>) in constant memory: a top-level array yields its
/// elements, a top-level object is one record. Several top-level values one after another are read too,
/// which is how pretty-printed records are often concatenated.
/// Only one record is held at a time; the buffer grows to the largest record, capped at <paramref name="maxRecordBytes"/>.
/// </summary>
internal sealed class JsonRecordStream(Stream stream, int maxRecordBytes)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private bool _inArray;
    private JsonReaderState _arrayState;
    private long _line = 1;

    // The reader state carries its own line count from where its first reader started.
    private long _arrayStartLine = 1;

    /// <summary>1-based number of the record last returned.</summary>
    public long RecordNumber { get; private set; }

    /// <summary>
    /// Calls <paramref name="onRecord"/> with the next record (valid only during the call); false at the end.
    /// Malformed JSON throws <see cref="JsonException"/> with a file-relative <see cref="JsonException.LineNumber"/>.
    /// </summary>
    public bool TryReadNext(Action<JsonElement> onRecord)
    {
        while (true)
        {
            if (!_started)
            {
                if (!EnsureData())
                {
                    return false;
                }

                SkipByteOrderMark();
                _started = true;
            }

            if (!_inArray)
            {
                SkipWhitespace();
                if (_start == _end)
                {
                    if (_eof)
                    {
                        return false;
                    }

                    Fill();
                    continue;
                }
            }

            var baseLine = _inArray ? _arrayStartLine : _line;
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _inArray ? _arrayState : default);
            try
            {
                if (!reader.Read())
                {
                    if (_eof)
                    {
                        throw AtCurrentLine("The JSON array is not closed: the file ends inside it.");
                    }

                    Fill();
                    continue;
                }

                if (_inArray && reader.TokenType == JsonTokenType.EndArray)
                {
                    Commit((int)reader.BytesConsumed);
                    _inArray = false;
                    continue;
                }

                if (!_inArray && reader.TokenType == JsonTokenType.StartArray)
                {
                    _arrayStartLine = _line;
                    Commit((int)reader.BytesConsumed);
                    _arrayState = reader.CurrentState;
                    _inArray = true;
                    continue;
                }

                var tokenStart = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    if (_eof)
                    {
                        throw AtCurrentLine("The file ends inside a record.");
                    }

                    Fill();
                    continue;
                }

                var length = (int)reader.BytesConsumed - tokenStart;
                using (var document = JsonDocument.Parse(_buffer.AsMemory(_start + tokenStart, length)))
                {
                    RecordNumber++;
                    onRecord(document.RootElement);
                }

                if (_inArray)
                {
                    _arrayState = reader.CurrentState;
                }

                Commit((int)reader.BytesConsumed);
                return true;
            }
            catch (JsonException ex) when (ex.LineNumber is { } relative && ex.Data["file-relative"] is null)
            {
                var fileRelative = new JsonException(ex.Message, ex.Path, baseLine - 1 + relative, ex.BytePositionInLine, ex);
                fileRelative.Data["file-relative"] = true;
                throw fileRelative;
            }
        }
    }

    private JsonException AtCurrentLine(string message)
    {
        var exception = new JsonException(message, null, _line - 1, null);
        exception.Data["file-relative"] = true;
        return exception;
    }

    private void Commit(int consumed)
    {
        _line += _buffer.AsSpan(_start, consumed).Count((byte)'\n');
        _start += consumed;
    }

    private void SkipWhitespace()
    {
        while (_start < _end && _buffer[_start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            if (_buffer[_start] == (byte)'\n')
            {
                _line++;
            }

            _start++;
        }
    }

    private void SkipByteOrderMark()
    {
        if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
        {
            _start += 3;
        }
    }

    private bool EnsureData()
    {
        while (_end - _start < 3 && !_eof)
        {
            Fill();
        }

        return _end > _start;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length > maxRecordBytes)
            {
                throw new RecordTooLargeException(RecordNumber + 1, maxRecordBytes);
            }

            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxRecordBytes + 1L));
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
