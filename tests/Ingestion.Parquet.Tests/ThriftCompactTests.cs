using Ingestion.Parquet.Format;
using Ingestion.Parquet.Thrift;

namespace Ingestion.Parquet.Tests;

public class ThriftCompactTests
{
    private static ThriftCompactReader ReaderOf(ThriftCompactWriter w)
    {
        var bytes = w.WrittenSpan.ToArray();
        return new ThriftCompactReader(bytes, 0, bytes.Length, 100);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void I32_round_trips_through_zigzag_varints(int value)
    {
        var w = new ThriftCompactWriter();
        w.BeginStruct();
        w.I32Field(1, value);
        w.I64Field(2, (long)value * 3_000_000_000L);
        w.EndStruct();
        var r = ReaderOf(w);
        r.BeginStruct();
        Assert.True(r.ReadFieldHeader(out var id, out var type));
        Assert.Equal((1, CompactType.I32), (id, type));
        Assert.Equal(value, r.ReadI32());
        Assert.True(r.ReadFieldHeader(out id, out type));
        Assert.Equal((2, CompactType.I64), (id, type));
        Assert.Equal((long)value * 3_000_000_000L, r.ReadI64());
        Assert.False(r.ReadFieldHeader(out _, out _));
    }

    [Fact]
    public void I64_extremes_round_trip()
    {
        foreach (long v in new[] { long.MinValue, long.MaxValue, 0L, -1L })
        {
            var w = new ThriftCompactWriter();
            w.WriteI64(v);
            var bytes = w.WrittenSpan.ToArray();
            var r = new ThriftCompactReader(bytes, 0, bytes.Length, 0);
            Assert.Equal(v, r.ReadI64());
        }
    }

    [Fact]
    public void Field_ids_with_large_deltas_use_the_long_header_form()
    {
        var w = new ThriftCompactWriter();
        w.BeginStruct();
        w.I32Field(3, 7);
        w.I32Field(200, 8);   // delta > 15
        w.I32Field(2, 9);     // negative delta
        w.EndStruct();
        var r = ReaderOf(w);
        r.BeginStruct();
        var seen = new List<(short, int)>();
        while (r.ReadFieldHeader(out var id, out _)) seen.Add((id, r.ReadI32()));
        Assert.Equal(new List<(short, int)> { (3, 7), (200, 8), (2, 9) }, seen);
    }

    [Fact]
    public void Unknown_fields_of_every_type_are_skipped()
    {
        var w = new ThriftCompactWriter();
        w.BeginStruct();
        w.DoubleField(1, 1.5);
        w.BinaryField(2, new byte[] { 1, 2, 3 });
        w.ListField(3, CompactType.I64, 20);
        for (int i = 0; i < 20; i++) w.WriteI64(i);
        w.StructField(4);
        w.BeginStruct();
        w.BoolField(1, true);
        w.I8Field(2, -5);
        w.StructField(3);
        w.BeginStruct();
        w.StringField(1, "nested");
        w.EndStruct();
        w.EndStruct();
        w.FieldHeader(5, CompactType.Map);
        w.WriteRawByte(2); // two entries
        w.WriteRawByte((byte)(((int)CompactType.Binary << 4) | (int)CompactType.I32));
        w.WriteString("a"); w.WriteI32(1);
        w.WriteString("b"); w.WriteI32(2);
        w.I32Field(6, 42);
        w.EndStruct();
        var r = ReaderOf(w);
        r.BeginStruct();
        int found = 0;
        var ids = new List<short>();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            ids.Add(id);
            if (id == 6) found = r.ReadI32();
            else r.Skip(type);
        }
        Assert.Equal(new short[] { 1, 2, 3, 4, 5, 6 }, ids);
        Assert.Equal(42, found);
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void Deeply_nested_structs_are_refused_not_recursed()
    {
        var bytes = new List<byte>();
        for (int i = 0; i < 10_000; i++) bytes.Add(0x1C); // field delta 1, type struct
        var data = bytes.ToArray();
        var r = new ThriftCompactReader(data, 0, data.Length, 0);
        var e = Assert.Throws<ParquetFormatException>(() => r.Skip(CompactType.Struct));
        Assert.Contains("nest deeper", e.Message);
    }

    [Fact]
    public void Lengths_and_counts_beyond_the_data_are_refused()
    {
        byte[] binary = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1, 2];
        var r = new ThriftCompactReader(binary, 0, binary.Length, 0);
        Assert.Throws<ParquetFormatException>(() => r.ReadBinary());

        byte[] list = [0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07];
        r = new ThriftCompactReader(list, 0, list.Length, 0);
        Assert.Throws<ParquetFormatException>(() => r.ReadListHeader(out _));

        byte[] varint = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80];
        r = new ThriftCompactReader(varint, 0, varint.Length, 0);
        Assert.Throws<ParquetFormatException>(() => r.ReadI32());
    }

    [Fact]
    public void File_metadata_round_trips()
    {
        var schema = new ParquetSchema(
            PrimitiveField.Int64("id", Repetition.Required),
            PrimitiveField.Decimal("amount", 20, 4),
            PrimitiveField.Timestamp("ts", TimeUnit.Millis, isAdjustedToUtc: false),
            PrimitiveField.Integer("small", 8, isSigned: false),
            PrimitiveField.Uuid("uuid"),
            new ListField("tags", PrimitiveField.String("element")),
            new MapField("attrs", PrimitiveField.String("key", Repetition.Required), PrimitiveField.Json("value")));
        var meta = new FileMetaData
        {
            Version = 2,
            Schema = schema.ToElements(),
            NumRows = 12345678901,
            CreatedBy = "Ingestion version 0.1.0",
            KeyValueMetadata = [new("k", "v"), new("nullable", null)],
            ColumnOrderCount = schema.Columns.Count,
            RowGroups =
            [
                new RowGroup
                {
                    NumRows = 5,
                    TotalByteSize = 99,
                    Ordinal = 0,
                    Columns =
                    [
                        new ColumnChunk
                        {
                            FileOffset = 4,
                            MetaData = new ColumnMetaData
                            {
                                Type = PhysicalType.Int64,
                                Encodings = [ParquetEncoding.Plain, ParquetEncoding.RleDictionary],
                                PathInSchema = ["id"],
                                Codec = CompressionCodec.Snappy,
                                NumValues = 5,
                                TotalCompressedSize = 50,
                                TotalUncompressedSize = 60,
                                DataPageOffset = 20,
                                DictionaryPageOffset = 4,
                                Statistics = new Statistics { MinValue = [1, 0, 0, 0, 0, 0, 0, 0], MaxValue = [9, 0, 0, 0, 0, 0, 0, 0], NullCount = 0, IsMaxValueExact = true },
                                EncodingStats = [new PageEncodingStats { PageType = PageType.DataPage, Encoding = ParquetEncoding.RleDictionary, Count = 1 }],
                            },
                        },
                    ],
                },
            ],
        };
        var w = new ThriftCompactWriter();
        meta.Write(w);
        var back = FileMetaData.Read(ReaderOf(w));
        Assert.Equal(2, back.Version);
        Assert.Equal(12345678901, back.NumRows);
        Assert.Equal("Ingestion version 0.1.0", back.CreatedBy);
        Assert.Equal(meta.KeyValueMetadata, back.KeyValueMetadata);
        Assert.Equal(schema.Columns.Count, back.ColumnOrderCount);
        var reparsed = ParquetSchema.FromElements(back.Schema);
        Assert.Equal(schema.ToString(), reparsed.ToString());
        var column = back.RowGroups[0].Columns[0].MetaData!;
        Assert.Equal(CompressionCodec.Snappy, column.Codec);
        Assert.Equal(4, column.DictionaryPageOffset);
        Assert.Equal(new byte[] { 9, 0, 0, 0, 0, 0, 0, 0 }, column.Statistics!.MaxValue);
        Assert.True(column.Statistics.IsMaxValueExact);
        Assert.Equal(PageType.DataPage, column.EncodingStats![0].PageType);
        Assert.Equal((short)0, back.RowGroups[0].Ordinal);
    }

    [Fact]
    public void Page_header_round_trips_including_v2()
    {
        var header = new PageHeader
        {
            Type = PageType.DataPageV2,
            UncompressedPageSize = 100,
            CompressedPageSize = 80,
            Crc = unchecked((int)0xDEADBEEF),
            DataPageHeaderV2 = new DataPageHeaderV2
            {
                NumValues = 10, NumNulls = 2, NumRows = 9, Encoding = ParquetEncoding.RleDictionary,
                DefinitionLevelsByteLength = 3, RepetitionLevelsByteLength = 4, IsCompressed = false,
            },
        };
        var w = new ThriftCompactWriter();
        header.Write(w);
        var back = PageHeader.Read(ReaderOf(w));
        Assert.Equal(unchecked((int)0xDEADBEEF), back.Crc);
        Assert.False(back.DataPageHeaderV2!.IsCompressed);
        Assert.Equal(9, back.DataPageHeaderV2.NumRows);
        Assert.Equal(4, back.DataPageHeaderV2.RepetitionLevelsByteLength);
    }
}
