using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Turns a row assembled by the Parquet reader into the JSON record the validator (and the row-error files)
/// take: structs and maps become objects, lists arrays, timestamps ISO 8601 date-times, DATE values ISO dates,
/// decimals numbers, UUIDs and times text, binary base64. Non-finite floating-point values become text, which
/// the validator reports as not a number. One buffer is reused for every row.
/// </summary>
internal sealed class ParquetRowJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    public ParquetRowJson() => _writer = new Utf8JsonWriter(_buffer, Options);

    /// <summary>The row as UTF-8 JSON; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(Dictionary<string, object?> row)
    {
        _buffer.Clear();
        _writer.Reset(_buffer);
        WriteValue(row);
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null:
                _writer.WriteNullValue();
                break;
            case string text:
                _writer.WriteStringValue(text);
                break;
            case bool flag:
                _writer.WriteBooleanValue(flag);
                break;
            case sbyte or short or int or long or byte or ushort or uint:
                _writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong whole:
                _writer.WriteNumberValue(whole);
                break;
            case float single when float.IsFinite(single):
                _writer.WriteNumberValue(single);
                break;
            case double number when double.IsFinite(number):
                _writer.WriteNumberValue(number);
                break;
            case Half half when Half.IsFinite(half):
                _writer.WriteNumberValue((float)half);
                break;
            case float or double or Half:
                _writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case decimal exact:
                _writer.WriteNumberValue(exact);
                break;
            case DateTime instant:
                _writer.WriteStringValue(FormatDateTime(instant));
                break;
            case DateOnly date:
                _writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeSpan time:
                _writer.WriteStringValue(time.ToString("c", CultureInfo.InvariantCulture));
                break;
            case Guid id:
                _writer.WriteStringValue(id.ToString("D"));
                break;
            case byte[] bytes:
                _writer.WriteBase64StringValue(bytes);
                break;
            case Dictionary<string, object?> group:
                _writer.WriteStartObject();
                foreach (var (name, member) in group)
                {
                    _writer.WritePropertyName(name);
                    WriteValue(member);
                }

                _writer.WriteEndObject();
                break;
            case IDictionary map:
                _writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    _writer.WritePropertyName(Key(entry.Key));
                    WriteValue(entry.Value);
                }

                _writer.WriteEndObject();
                break;
            case IList list:
                _writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(item);
                }

                _writer.WriteEndArray();
                break;
            default:
                // Anything else the reader may return (an INT96 outside DateTime's range, say) as its text.
                _writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string Key(object key) => key switch
    {
        string text => text,
        DateTime instant => FormatDateTime(instant),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>2024-05-31T12:00:00Z, with as many fraction digits as the value has; local (not UTC-adjusted) values without a zone.</summary>
    private static string FormatDateTime(DateTime value)
    {
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return value.Kind == DateTimeKind.Utc ? text + "Z" : text;
    }
}
