using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;

namespace Ingestion.Core.DataCloud;

/// <summary>
/// Packs records into streaming request bodies <c>{"data":[r0,r1,...]}</c>, each strictly shorter than
/// <see cref="MaxBodyBytes"/> envelope included. Records are never split; a record that cannot fit alone is refused
/// with <see cref="IngestErrorKind.InvalidData"/> naming it. Holds at most one body, whatever the input's length.
/// Not thread-safe: one producer.
/// </summary>
public sealed class RecordPacker
{
    /// <summary>The service's payload limit, 200 KB: a body (envelope included) must be shorter than this.</summary>
    public const int MaxBodyBytes = 200 * 1024;

    private const int MaxLabelLength = 40;

    private static readonly byte[] Prefix = "{\"data\":["u8.ToArray();
    private static readonly byte[] Suffix = "]}"u8.ToArray();

    // Compact UTF-8: non-ASCII text stays as its UTF-8 bytes instead of \uXXXX escapes, so more fits a body.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> body = new(MaxBodyBytes);
    private readonly ArrayBufferWriter<byte> scratch = new(4096);
    private int first;
    private int last;
    private int count;

    /// <summary>The bytes an empty envelope takes: <c>{"data":[]}</c>.</summary>
    public static int EnvelopeBytes => Prefix.Length + Suffix.Length;

    /// <summary>Records in the body being filled.</summary>
    public int PendingRecords => count;

    /// <summary>
    /// Adds record <paramref name="index"/>; returns the previous body when this record no longer fits in it (the record
    /// then starts the next body), else null. Throws <see cref="IngestionException"/> (InvalidData) for a record too large
    /// for any body; the packer is unchanged then.
    /// </summary>
    public PackedBody? Add(int index, JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(scratch, WriterOptions))
        {
            record.WriteTo(writer);
        }

        return Add(index, scratch.WrittenSpan, Label(record));
    }

    /// <summary>As <see cref="Add(int, JsonObject)"/> for a record already serialized as a UTF-8 JSON object.</summary>
    public PackedBody? Add(int index, ReadOnlySpan<byte> utf8Record, string? label = null)
    {
        if (EnvelopeBytes + utf8Record.Length >= MaxBodyBytes)
        {
            throw TooLarge(index, label, EnvelopeBytes + utf8Record.Length);
        }

        PackedBody? full = null;
        if (count > 0 && body.WrittenCount + 1 + utf8Record.Length + Suffix.Length >= MaxBodyBytes)
        {
            full = Flush();
        }

        if (count == 0)
        {
            body.Write(Prefix);
            first = index;
        }
        else
        {
            body.Write(","u8);
        }

        body.Write(utf8Record);
        count++;
        last = index;
        return full;
    }

    /// <summary>The body being filled, closed; null when it holds no record. The packer starts empty again.</summary>
    public PackedBody? Flush()
    {
        if (count == 0)
        {
            return null;
        }

        body.Write(Suffix);
        var packed = new PackedBody(body.WrittenSpan.ToArray(), first, count) { LastIndex = last };
        body.ResetWrittenCount();
        count = 0;
        return packed;
    }

    /// <summary>The record's first field value, when it is short text or a number: it helps find the record in the input.</summary>
    internal static string? Label(JsonObject record)
    {
        foreach (var (_, value) in record)
        {
            if (value is JsonValue scalar && scalar.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
            {
                var text = scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : scalar.ToJsonString();
                return text.Length <= MaxLabelLength ? text : null;
            }

            return null;
        }

        return null;
    }

    private static IngestionException TooLarge(int index, string? label, long bytes) =>
        new(IngestErrorKind.InvalidData, label is null
            ? string.Format(Messages.RecordTooLarge, index, bytes, MaxBodyBytes)
            : string.Format(Messages.RecordTooLargeLabelled, index, label, bytes, MaxBodyBytes))
        {
            // No target: the caller knows the input object the record came from.
            RecommendedAction = Messages.RecordTooLargeAction,
        };
}
