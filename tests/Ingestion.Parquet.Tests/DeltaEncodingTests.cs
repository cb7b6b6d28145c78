using Ingestion.Parquet.Encodings;
using Ingestion.Parquet.Reading;

namespace Ingestion.Parquet.Tests;

/// <summary>The DELTA_* and BYTE_STREAM_SPLIT decoders on vectors worked out from Encodings.md.</summary>
public class DeltaEncodingTests
{
    private static readonly ColumnDescriptor BinaryColumn = new ParquetSchema(PrimitiveField.String("s", Repetition.Required)).Columns[0];

    [Fact]
    public void Delta_binary_packed_example_with_zero_bit_width()
    {
        // 1, 2, 3, 4, 5: block size 128, 4 miniblocks, min delta 1, every width 0.
        byte[] data = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0];
        var output = new long[5];
        Assert.Equal(data.Length, DeltaBinaryPacked.Decode(data, output, "test"));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, output);
    }

    [Fact]
    public void Delta_binary_packed_example_with_negative_min_delta()
    {
        // 7, 5, 3, 1, 2, 3, 4, 5: min delta -2, relative deltas 0 0 0 3 3 3 3 in 2 bits.
        byte[] data = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0];
        var output = new long[8];
        Assert.Equal(data.Length, DeltaBinaryPacked.Decode(data, output, "test"));
        Assert.Equal(new long[] { 7, 5, 3, 1, 2, 3, 4, 5 }, output);
    }

    [Fact]
    public void Delta_binary_packed_refuses_bad_headers_and_truncation()
    {
        var output = new long[8];
        Assert.Throws<ParquetFormatException>(() => DeltaBinaryPacked.Decode([0x81, 0x01, 0x04, 0x08, 0x0E], output, "test")); // block size 129
        Assert.Throws<ParquetFormatException>(() => DeltaBinaryPacked.Decode([0x80, 0x01, 0x00, 0x08, 0x0E], output, "test")); // no miniblocks
        Assert.Throws<ParquetFormatException>(() => DeltaBinaryPacked.Decode([0x80, 0x01, 0x04, 0x09, 0x0E], output, "test")); // count mismatch
        Assert.Throws<ParquetFormatException>(() => DeltaBinaryPacked.Decode([0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0, 0xC0], output, "test"));
        Assert.Throws<ParquetFormatException>(() => DeltaBinaryPacked.Decode([0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x41, 0, 0, 0], output, "test")); // width 65
    }

    [Fact]
    public void Delta_length_byte_array_example()
    {
        // Lengths 5, 5, 6 (first 5, deltas 0 and 1: min 0, width 1) then the concatenated bytes.
        byte[] lengths = [0x80, 0x01, 0x04, 0x03, 0x0A, 0x00, 0x01, 0, 0, 0, 0x02, 0, 0, 0];
        byte[] data = [.. lengths, .. "HelloWorldFoobar"u8];
        var store = ValueStore.Create(BinaryColumn, 0);
        store.DecodeDeltaLengthByteArray(data, 3, "test");
        var column = (ByteArrayColumnData)store.ToColumnData(BinaryColumn, null, null, 3);
        Assert.Equal(new[] { "Hello", "World", "Foobar" }, Enumerable.Range(0, 3).Select(column.GetString));
        Assert.Throws<ParquetFormatException>(() => ValueStore.Create(BinaryColumn, 0).DecodeDeltaLengthByteArray(data[..^1], 3, "test"));
    }

    [Fact]
    public void Delta_byte_array_example()
    {
        // axis, axle, babble, babyhood: prefixes 0 2 0 3, suffixes "axis" "le" "babble" "yhood".
        byte[] prefixes = [0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0, 0, 0, 0x44, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] suffixLengths = [0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0, 0, 0, 0x70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] data = [.. prefixes, .. suffixLengths, .. "axislebabbleyhood"u8];
        var store = ValueStore.Create(BinaryColumn, 0);
        store.DecodeDeltaByteArray(data, 4, "test");
        var column = (ByteArrayColumnData)store.ToColumnData(BinaryColumn, null, null, 4);
        Assert.Equal(new[] { "axis", "axle", "babble", "babyhood" }, Enumerable.Range(0, 4).Select(column.GetString));

        // A prefix longer than the previous value is corrupt.
        byte[] badPrefixes = [0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x00, 0, 0, 0];
        Assert.Throws<ParquetFormatException>(() => ValueStore.Create(BinaryColumn, 0).DecodeDeltaByteArray([.. badPrefixes, .. suffixLengths, .. "axislebabbleyhood"u8], 4, "test"));
    }

    [Fact]
    public void Byte_stream_split_interleaves_bytes_by_position()
    {
        var column = new ParquetSchema(PrimitiveField.Float("f", Repetition.Required)).Columns[0];
        float[] values = [1.5f, -2.25f, float.NaN];
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        var split = new byte[bytes.Length];
        for (int i = 0; i < values.Length; i++)
            for (int b = 0; b < 4; b++)
                split[b * values.Length + i] = bytes[i * 4 + b];
        var store = ValueStore.Create(column, 0);
        store.DecodeByteStreamSplit(split, 3, "test");
        var data = (ColumnData<float>)store.ToColumnData(column, null, null, 3);
        Assert.Equal(values, data.Values.ToArray());
        Assert.Throws<ParquetFormatException>(() => ValueStore.Create(column, 0).DecodeByteStreamSplit(split[..^1], 3, "test"));
    }
}
