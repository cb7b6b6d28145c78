using System.Text;

namespace Ingestion.Parquet.Tests;

public class WriterTests
{
    private static ParquetReader WriteAndOpen(ParquetSchema schema, IEnumerable<object> rows, ParquetWriterOptions? options = null)
    {
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, options, leaveOpen: true))
        {
            writer.WriteRows(rows);
        }
        stream.Position = 0;
        return new ParquetReader(stream);
    }

    private static Dictionary<string, object?> Row(params (string Key, object? Value)[] cells) => cells.ToDictionary(c => c.Key, c => c.Value);

    [Fact]
    public void Footer_carries_created_by_key_values_and_logical_plus_converted_types()
    {
        var schema = new ParquetSchema(PrimitiveField.String("s"), PrimitiveField.Timestamp("t", TimeUnit.Millis), PrimitiveField.Integer("u", 16, false));
        using var reader = WriteAndOpen(schema, [Row(("s", "x"), ("t", DateTime.UnixEpoch), ("u", (ushort)7))], new ParquetWriterOptions
        {
            CreatedBy = "Ingestion version 0.1.0",
            KeyValueMetadata = new Dictionary<string, string?> { ["origin"] = "test", ["empty"] = null },
        });
        Assert.Equal("Ingestion version 0.1.0", reader.Metadata.CreatedBy);
        Assert.Contains(new KeyValuePair<string, string?>("origin", "test"), reader.Metadata.KeyValueMetadata);
        var elements = schema.ToElements();
        Assert.Equal(ConvertedType.Utf8, elements[1].ConvertedType);
        Assert.Equal(ConvertedType.TimestampMillis, elements[2].ConvertedType);
        Assert.Equal(ConvertedType.UInt16, elements[3].ConvertedType);
        Assert.Equal(LogicalType.Timestamp(TimeUnit.Millis, true), reader.Schema.Columns[1].LogicalType);
        Assert.Equal((ushort)7, reader.First()!["u"]);
    }

    [Fact]
    public void Low_cardinality_columns_use_a_dictionary_and_unique_ones_do_not()
    {
        var schema = new ParquetSchema(PrimitiveField.String("country", Repetition.Required), PrimitiveField.Int64("id", Repetition.Required));
        var rows = Enumerable.Range(0, 10_000).Select(i => (object)Row(("country", "C" + (i % 7)), ("id", (long)i * 7919))).ToList();
        using var reader = WriteAndOpen(schema, rows);
        var country = reader.RowGroups[0].Columns[0];
        Assert.Contains(ParquetEncoding.RleDictionary, country.Encodings);
        Assert.NotNull(country.DictionaryPageOffset);
        Assert.Contains(country.EncodingStats!, s => s.PageType == PageType.DictionaryPage);
        var id = reader.RowGroups[0].Columns[1];
        Assert.DoesNotContain(ParquetEncoding.RleDictionary, id.Encodings);
        Assert.Null(id.DictionaryPageOffset);
        Assert.Equal(rows.Count, reader.ReadRows().Count());
    }

    [Fact]
    public void Dictionary_falls_back_to_plain_mid_chunk_when_it_outgrows_its_limit()
    {
        var schema = new ParquetSchema(PrimitiveField.String("v", Repetition.Required));
        // Repetitive at first, then every value new: the dictionary overflows after some pages.
        var values = Enumerable.Range(0, 20_000).Select(i => i < 5_000 ? "v" + (i % 3) : "unique-" + i).ToList();
        using var reader = WriteAndOpen(schema, values.Select(v => (object)Row(("v", v))), new ParquetWriterOptions
        {
            PageSize = 4096,
            DictionaryPageSizeLimit = 16 * 1024,
        });
        var column = reader.RowGroups[0].Columns[0];
        Assert.Contains(column.EncodingStats!, s => s.Encoding == ParquetEncoding.RleDictionary && s.Count > 0);
        Assert.Contains(column.EncodingStats!, s => s.Encoding == ParquetEncoding.Plain && s.PageType == PageType.DataPage && s.Count > 0);
        Assert.Equal(values, reader.ReadRows().Select(r => (string)r["v"]!));
    }

    [Fact]
    public void Statistics_use_each_type_sort_order()
    {
        var schema = new ParquetSchema(
            PrimitiveField.Int32("i"),
            PrimitiveField.Integer("u", 32, isSigned: false),
            PrimitiveField.String("s"),
            PrimitiveField.Double("d"),
            PrimitiveField.Float("nan_only"),
            PrimitiveField.Decimal("m", 30, 2),
            PrimitiveField.Boolean("b"));
        var rows = new[]
        {
            Row(("i", -5), ("u", 1u), ("s", "Z"), ("d", double.NaN), ("nan_only", float.NaN), ("m", -10.5m), ("b", true)),
            Row(("i", 7), ("u", 4_000_000_000u), ("s", "é"), ("d", -0.0), ("nan_only", null), ("m", 3.25m), ("b", true)),
            Row(("i", null), ("u", 3u), ("s", "a"), ("d", 2.5), ("nan_only", float.NaN), ("m", 1m), ("b", null)),
        };
        using var reader = WriteAndOpen(schema, rows);
        var columns = reader.RowGroups[0].Columns;
        var i = columns[0].Statistics!;
        Assert.Equal((-5, 7, 1L), ((int)i.Min!, (int)i.Max!, i.NullCount!.Value));
        Assert.Equal((1u, 4_000_000_000u), ((uint)columns[1].Statistics!.Min!, (uint)columns[1].Statistics!.Max!));
        Assert.Equal(("Z", "é"), ((string)columns[2].Statistics!.Min!, (string)columns[2].Statistics!.Max!)); // unsigned bytes: 'Z' < 'a' < 0xC3
        var d = columns[3].Statistics!;
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits((double)d.Min!));
        Assert.Equal(2.5, d.Max);
        Assert.Null(columns[4].Statistics!.Min);
        Assert.Equal(1, columns[4].Statistics!.NullCount);
        Assert.Equal((-10.5m, 3.25m), ((decimal)columns[5].Statistics!.Min!, (decimal)columns[5].Statistics!.Max!));
        Assert.Equal((true, true), ((bool)columns[6].Statistics!.Min!, (bool)columns[6].Statistics!.Max!));

        // The deprecated signed min/max only where signed order is the column's order.
        var raw = columns.Select(c => c.Raw.Statistics!).ToArray();
        Assert.NotNull(raw[0].Min);
        Assert.Null(raw[1].Min);
        Assert.Null(raw[2].Min);
        Assert.Null(raw[5].Min);
    }

    [Fact]
    public void Row_groups_are_cut_by_buffered_size_and_read_back_in_order()
    {
        var schema = new ParquetSchema(PrimitiveField.Int64("n", Repetition.Required), PrimitiveField.String("text"));
        var rows = Enumerable.Range(0, 50_000).Select(i => (object)Row(("n", (long)i), ("text", "row " + i))).ToList();
        using var reader = WriteAndOpen(schema, rows, new ParquetWriterOptions { RowGroupSize = 200_000 });
        Assert.True(reader.RowGroups.Count > 3);
        Assert.Equal(50_000, reader.RowGroups.Sum(g => g.RowCount));
        Assert.Equal(Enumerable.Range(0, 50_000).Select(i => (long)i), reader.ReadRows().Select(r => (long)r["n"]!));
        Assert.Equal(10, reader.ReadRows(10).Count());
        Assert.Equal(0L, reader.First()!["n"]);
    }

    [Theory]
    [InlineData(CompressionCodec.Snappy, 1)]
    [InlineData(CompressionCodec.Gzip, 1)]
    [InlineData(CompressionCodec.Uncompressed, 1)]
    [InlineData(CompressionCodec.Snappy, 2)]
    [InlineData(CompressionCodec.Gzip, 2)]
    [InlineData(CompressionCodec.Uncompressed, 2)]
    public void Every_codec_and_page_version_round_trips(CompressionCodec codec, int pageVersion)
    {
        var schema = new ParquetSchema(PrimitiveField.String("s"), new ListField("l", PrimitiveField.Int32("element")));
        var rows = Enumerable.Range(0, 3000).Select(i => (object)Row(("s", i % 5 == 0 ? null : "value " + (i % 50)),
            ("l", i % 7 == 0 ? null : Enumerable.Range(0, i % 4).Cast<object?>().ToList()))).ToList();
        using var reader = WriteAndOpen(schema, rows, new ParquetWriterOptions { Compression = codec, DataPageVersion = pageVersion, PageSize = 2048 });
        Assert.All(reader.RowGroups[0].Columns, c => Assert.Equal(codec, c.Codec));
        var back = reader.ReadRows().ToList();
        for (int i = 0; i < rows.Count; i++) RandomData.AssertEquivalent(rows[i], back[i], $"row {i}");
    }

    [Fact]
    public void Page_checksums_detect_a_flipped_byte()
    {
        var schema = new ParquetSchema(PrimitiveField.Int64("n", Repetition.Required));
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, new ParquetWriterOptions { Compression = CompressionCodec.Uncompressed, EnableDictionary = false }, leaveOpen: true))
        {
            for (long i = 0; i < 1000; i++) writer.WriteRow(Row(("n", i)));
        }
        var bytes = stream.ToArray();
        bytes[200] ^= 0x01; // inside the only data page's values
        var e = Assert.Throws<ParquetFormatException>(() => new ParquetReader(new MemoryStream(bytes)).ReadRows().ToList());
        Assert.Contains("CRC", e.Message);
    }

    [Fact]
    public void Low_level_typed_api_writes_nested_levels()
    {
        var schema = new ParquetSchema(
            PrimitiveField.Int32("id", Repetition.Required),
            new ListField("scores", PrimitiveField.Double("element")));
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, leaveOpen: true))
        {
            var id = writer.GetColumn<int>("id");
            var scores = writer.GetColumn<double>("scores.list.element");
            Assert.Equal((3, 1), (scores.Column.MaxDefinitionLevel, scores.Column.MaxRepetitionLevel));

            id.Write(1);                    // [1.5, null, 2.5]
            scores.Write(1.5, 0);
            scores.WriteNull(2, 1);
            scores.Write(2.5, 1);
            writer.EndRow();

            id.Write(2);                    // null list
            scores.WriteNull(0, 0);
            writer.EndRow();

            id.Write(3);                    // empty list
            scores.WriteNull(1, 0);
            writer.EndRow();

            id.Write(4);
            Assert.Throws<InvalidOperationException>(() => writer.EndRow()); // scores not written
            scores.WriteValue(new List<double>().Count == 0 ? 9.0 : 0.0);
            writer.EndRow();
        }
        stream.Position = 0;
        var rows = new ParquetReader(stream).ReadRows().ToList();
        Assert.Equal(new object?[] { 1.5, null, 2.5 }, (List<object?>)rows[0]["scores"]!);
        Assert.Null(rows[1]["scores"]);
        Assert.Empty((List<object?>)rows[2]["scores"]!);
        Assert.Equal(new object?[] { 9.0 }, (List<object?>)rows[3]["scores"]!);
    }

    [Fact]
    public void Flat_bulk_append_and_strings_without_boxing()
    {
        var schema = new ParquetSchema(PrimitiveField.Int64("n", Repetition.Required), PrimitiveField.String("s"));
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, leaveOpen: true))
        {
            writer.GetColumn<long>(0).WriteRange(new long[] { 10, 20, 30 });
            var s = writer.GetByteArrayColumn(1);
            s.Write("ten");
            s.Write("twenty".AsSpan());
            s.WriteNull();
            writer.EndRows(3);
        }
        stream.Position = 0;
        var rows = new ParquetReader(stream).ReadRows().ToList();
        Assert.Equal(new object?[] { "ten", "twenty", null }, rows.Select(r => r["s"]));
        Assert.Equal(new object?[] { 10L, 20L, 30L }, rows.Select(r => r["n"]));
    }

    [Fact]
    public void A_row_that_does_not_fit_is_rejected_and_leaves_the_writer_usable()
    {
        var schema = new ParquetSchema(
            PrimitiveField.Int32("a", Repetition.Required),
            new ListField("l", PrimitiveField.String("element")),
            PrimitiveField.Int32("b", Repetition.Required));
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, leaveOpen: true))
        {
            writer.WriteRow(Row(("a", 1), ("l", new[] { "x" }), ("b", 2)));
            Assert.Throws<ArgumentException>(() => writer.WriteRow(Row(("a", 3), ("l", new[] { "y", "z" }), ("b", null))));
            Assert.Throws<ArgumentException>(() => writer.WriteRow(Row(("a", "not a number"))));
            Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteRow(Row(("a", 5L << 40), ("b", 1))));
            writer.WriteRow(new { a = 4, l = new List<string> { "w" }, b = 5 });
        }
        stream.Position = 0;
        var rows = new ParquetReader(stream).ReadRows().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { "w" }, (List<object?>)rows[1]["l"]!);
    }

    [Fact]
    public void Value_conversions_cover_dates_timestamps_decimals_uuids_and_maps()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var schema = new ParquetSchema(
            PrimitiveField.Date("d"),
            PrimitiveField.Timestamp("utc", TimeUnit.Micros),
            PrimitiveField.Timestamp("local", TimeUnit.Millis, isAdjustedToUtc: false),
            PrimitiveField.Decimal("m9", 9, 3),
            PrimitiveField.Decimal("m38", 38, 10),
            PrimitiveField.Uuid("g"),
            new MapField("tags", PrimitiveField.String("key", Repetition.Required), PrimitiveField.String("value")));
        var offset = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        using var reader = WriteAndOpen(schema, [new Dictionary<string, object?>
        {
            ["d"] = new DateTime(2020, 2, 29, 23, 0, 0),
            ["utc"] = offset,
            ["local"] = new DateTime(2024, 5, 6, 7, 8, 9, 123),
            ["m9"] = 123456.789m,
            ["m38"] = -12345678901234567.0123456789m,
            ["g"] = guid,
            ["tags"] = new[] { new KeyValuePair<string, string?>("k", "v"), new KeyValuePair<string, string?>("n", null) },
        }]);
        var row = reader.First()!;
        Assert.Equal(new DateOnly(2020, 2, 29), row["d"]);
        Assert.Equal(offset.UtcDateTime, row["utc"]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)row["utc"]!).Kind);
        Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 9, 123), row["local"]);
        Assert.Equal(123456.789m, row["m9"]);
        Assert.Equal(-12345678901234567.0123456789m, row["m38"]);
        Assert.Equal(guid, row["g"]);
        var tags = (Dictionary<object, object?>)row["tags"]!;
        Assert.Equal("v", tags["k"]);
        Assert.Null(tags["n"]);
        // UUID bytes are big-endian (RFC 4122) on disk.
        var uuidColumn = (ByteArrayColumnData)reader.ReadColumn(0, 5);
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), uuidColumn.GetValue(0).ToArray());
    }

    [Fact]
    public void Schema_validation_rejects_invalid_combinations()
    {
        Assert.Throws<ArgumentException>(() => new ParquetSchema(new PrimitiveField("x", PhysicalType.Int32, logicalType: LogicalType.String)));
        Assert.Throws<ArgumentException>(() => new ParquetSchema(new PrimitiveField("x", PhysicalType.FixedLenByteArray)));
        Assert.Throws<ArgumentException>(() => new ParquetSchema(PrimitiveField.Int32("a"), PrimitiveField.Int32("a")));
        Assert.Throws<ArgumentException>(() => new MapField("m", PrimitiveField.String("key"), PrimitiveField.Int32("value")));
        Assert.Throws<ArgumentException>(() => new ListField("l", PrimitiveField.Int32("e"), Repetition.Repeated));
        Assert.Throws<ArgumentException>(() => new ParquetSchema(new PrimitiveField("x", PhysicalType.Int96)));
        Assert.Throws<ArgumentException>(() => new ParquetWriter(new MemoryStream(), new ParquetSchema(PrimitiveField.Int32("a")), new ParquetWriterOptions { Compression = CompressionCodec.Zstd }));
    }

    [Fact]
    public async Task Async_disposal_writes_the_footer_to_a_non_seekable_stream()
    {
        var target = new MemoryStream();
        var forwardOnly = new ForwardOnlyStream(target);
        var schema = new ParquetSchema(PrimitiveField.String("s"));
        await using (var writer = new ParquetWriter(forwardOnly, schema, leaveOpen: true))
        {
            for (int i = 0; i < 100; i++) writer.WriteRow(Row(("s", "v" + i)));
            await writer.FlushRowGroupAsync();
            writer.WriteRow(Row(("s", "last")));
        }
        target.Position = 0;
        using var reader = new ParquetReader(target);
        Assert.Equal(2, reader.RowGroups.Count);
        Assert.Equal("last", reader.ReadRows().Last()["s"]);
    }

    [Fact]
    public void Row_groups_flushed_in_the_background_keep_their_order_and_a_failed_flush_surfaces_without_a_footer()
    {
        var schema = new ParquetSchema(PrimitiveField.Int64("i"), PrimitiveField.String("s"));
        var options = new ParquetWriterOptions { RowGroupSize = 4096 };
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, options, leaveOpen: true))
        {
            var i64 = writer.GetColumn<long>(0);
            var s = writer.GetByteArrayColumn(1);
            for (int i = 0; i < 20_000; i++)
            {
                i64.Write(i);
                s.Write("v" + i);
                writer.EndRow();
            }
        }
        stream.Position = 0;
        using (var reader = new ParquetReader(stream))
        {
            Assert.True(reader.RowGroups.Count > 10);
            Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (object)(long)i), reader.ReadRows().Select(r => r["i"]));
        }

        // A stream that fails once the first row group is out: the failure reaches the caller, Dispose does not
        // hang, and no footer follows.
        var failing = new FailingStream(limit: 1000);
        var thrown = Record.Exception(() =>
        {
            using var writer = new ParquetWriter(failing, schema, options);
            for (int i = 0; i < 20_000; i++)
            {
                writer.GetColumn<long>(0).Write(i);
                writer.GetByteArrayColumn(1).Write("v" + i);
                writer.EndRow();
            }
        });
        Assert.IsType<IOException>(thrown);
        Assert.False(failing.Written.AsSpan().EndsWith("PAR1"u8) && failing.Written.Length > 4);
    }

    private sealed class FailingStream(int limit) : MemoryStream
    {
        public byte[] Written => ToArray();

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > limit) throw new IOException("disk full");
            base.Write(buffer, offset, count);
        }
    }

    [Fact]
    public void A_file_without_rows_is_valid()
    {
        using var reader = WriteAndOpen(new ParquetSchema(PrimitiveField.String("s")), []);
        Assert.Empty(reader.RowGroups);
        Assert.Null(reader.First());
        Assert.Equal("PAR1", Encoding.ASCII.GetString(new byte[] { 0x50, 0x41, 0x52, 0x31 }));
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
