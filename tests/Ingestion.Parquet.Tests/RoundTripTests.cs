namespace Ingestion.Parquet.Tests;

/// <summary>Seeded property tests: random schemas and values written with random options must read back identically.</summary>
public class RoundTripTests
{
    private static ParquetWriterOptions RandomOptions(Random r) => new()
    {
        Compression = new[] { CompressionCodec.Snappy, CompressionCodec.Gzip, CompressionCodec.Uncompressed }[r.Next(3)],
        PageSize = new[] { 64, 1024, 1 << 20 }[r.Next(3)],
        RowGroupSize = new[] { 2_000L, 100_000L, 64L << 20 }[r.Next(3)],
        EnableDictionary = r.Next(4) != 0,
        DictionaryPageSizeLimit = new[] { 64, 4096, 1 << 20 }[r.Next(3)],
        DataPageVersion = r.Next(2) + 1,
        WritePageChecksums = r.Next(2) == 0,
        MaxDegreeOfParallelism = r.Next(1, 3),
        CreatedBy = "Ingestion round-trip test",
    };

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 60));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_schema_and_rows_round_trip(int seed)
    {
        var data = new RandomData(seed);
        var schema = data.Schema(data.Random.Next(1, 6), maxDepth: seed % 5);
        var options = RandomOptions(data.Random);
        int rowCount = data.Random.Next(0, 400);
        var rows = Enumerable.Range(0, rowCount).Select(_ => data.Row(schema)).ToList();

        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, options, leaveOpen: true))
        {
            foreach (var row in rows) writer.WriteRow(row);
        }
        stream.Position = 0;
        using var reader = new ParquetReader(stream);
        Assert.Equal(schema.ToString(), reader.Schema.ToString());
        Assert.Equal(rowCount, reader.Metadata.RowCount);
        var back = reader.ReadRows().ToList();
        Assert.Equal(rowCount, back.Count);
        for (int i = 0; i < rowCount; i++)
        {
            RandomData.AssertEquivalent(rows[i], back[i], $"seed {seed} ({options.Compression}, v{options.DataPageVersion}) row {i}");
        }
    }

    [Fact]
    public void Deep_nesting_round_trips()
    {
        ParquetField element = PrimitiveField.String("element");
        for (int depth = 0; depth < 12; depth++)
        {
            element = depth % 3 == 2
                ? new StructField("s" + depth, Repetition.Optional, element is ListField ? element : Rename(element, "inner"))
                : new ListField(depth == 11 ? "deep" : "element", element);
        }
        var schema = new ParquetSchema(element);
        var data = new RandomData(77);
        var rows = Enumerable.Range(0, 200).Select(_ => data.Row(schema)).ToList();
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, new ParquetWriterOptions { PageSize = 256 }, leaveOpen: true))
        {
            foreach (var row in rows) writer.WriteRow(row);
        }
        stream.Position = 0;
        using var reader = new ParquetReader(stream);
        Assert.True(reader.Schema.Columns[0].MaxRepetitionLevel >= 8);
        var back = reader.ReadRows().ToList();
        for (int i = 0; i < rows.Count; i++) RandomData.AssertEquivalent(rows[i], back[i], $"row {i}");
    }

    private static ParquetField Rename(ParquetField f, string name) => f switch
    {
        PrimitiveField p => new PrimitiveField(name, p.PhysicalType, p.Repetition, p.LogicalType, p.TypeLength),
        StructField s => new StructField(name, s.Fields, s.Repetition),
        _ => f,
    };

    [Fact]
    public void Empty_and_null_lists_stay_distinct_at_every_level()
    {
        var schema = new ParquetSchema(
            new ListField("outer", new ListField("element", PrimitiveField.Int32("element"))),
            new ListField("required_outer", PrimitiveField.Int32("element", Repetition.Required), Repetition.Required));
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["outer"] = null, ["required_outer"] = new List<object?>() },
            new() { ["outer"] = new List<object?>(), ["required_outer"] = new List<object?> { 1 } },
            new() { ["outer"] = new List<object?> { null }, ["required_outer"] = new List<object?> { 1, 2 } },
            new() { ["outer"] = new List<object?> { new List<object?>() }, ["required_outer"] = new List<object?>() },
            new() { ["outer"] = new List<object?> { new List<object?> { null } }, ["required_outer"] = new List<object?>() },
            new() { ["outer"] = new List<object?> { new List<object?> { null, 3 }, null, new List<object?>() }, ["required_outer"] = new List<object?>() },
        };
        var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, schema, leaveOpen: true))
        {
            foreach (var row in rows) writer.WriteRow(row);
        }
        stream.Position = 0;
        var back = new ParquetReader(stream).ReadRows().ToList();
        for (int i = 0; i < rows.Count; i++) RandomData.AssertEquivalent(rows[i], back[i], $"row {i}");
    }
}
