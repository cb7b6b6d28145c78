using System.Globalization;

namespace Ingestion.Parquet.Tests;

/// <summary>
/// Interoperability with DuckDB: files we write are read by DuckDB and rewritten, and the rewrite must hold
/// every value we wrote; files DuckDB writes (several codecs, page versions and encodings) are read by us.
/// </summary>
public sealed class DuckDbInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ingestion-parquet-interop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    public static TheoryData<int> Seeds => new(Enumerable.Range(100, 12));

    [InteropTheory]
    [MemberData(nameof(Seeds))]
    public void DuckDB_reads_every_value_we_write(int seed)
    {
        var data = new RandomData(seed) { PortableShapesOnly = true };
        var schema = data.Schema(data.Random.Next(2, 7), maxDepth: 3);
        var rows = Enumerable.Range(0, 300).Select(_ => data.Row(schema)).ToList();
        var ours = PathOf("ours.parquet");
        using (var writer = ParquetWriter.Create(ours, schema, new ParquetWriterOptions
        {
            Compression = (seed % 3) switch { 0 => CompressionCodec.Snappy, 1 => CompressionCodec.Gzip, _ => CompressionCodec.Uncompressed },
            DataPageVersion = seed % 2 + 1,
            PageSize = 1024,
            DictionaryPageSizeLimit = 2048,
            CreatedBy = "Ingestion interop test",
        }))
        {
            foreach (var row in rows) writer.WriteRow(row);
        }
        var rewritten = PathOf("duckdb.parquet");
        var count = DuckDb.Run(
            $"SELECT count(*)::INTEGER FROM read_parquet({DuckDb.Quote(ours)})",
            $"COPY (SELECT * FROM read_parquet({DuckDb.Quote(ours)})) TO {DuckDb.Quote(rewritten)} (FORMAT parquet, COMPRESSION snappy)");
        Assert.Equal("[[300]]", count.Split('\n')[0].Trim());
        var back = ParquetReader.ReadAllRows(rewritten);
        Assert.Equal(rows.Count, back.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            RandomData.AssertEquivalent(Normalize(rows[i]), Normalize(back[i]), $"seed {seed} row {i}");
        }
    }

    /// <summary>DuckDB folds -0.0 into 0.0 and canonicalises NaN payloads; compare those by value class.</summary>
    private static object? Normalize(object? value) => value switch
    {
        double d => double.IsNaN(d) ? double.NaN : d == 0 ? 0.0 : d,
        float f => float.IsNaN(f) ? float.NaN : f == 0 ? 0.0f : f,
        Dictionary<string, object?> s => s.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value)),
        Dictionary<object, object?> m => m.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value)),
        List<object?> l => l.Select(Normalize).ToList(),
        _ => value,
    };

    public static TheoryData<string, string> DuckDbWriterSettings => new()
    {
        { "snappy", "V1" },
        { "gzip", "V1" },
        { "uncompressed", "V1" },
        { "snappy", "V2" },
        { "gzip", "V2" },
    };

    [InteropTheory]
    [MemberData(nameof(DuckDbWriterSettings))]
    public void We_read_every_value_DuckDB_writes(string compression, string version)
    {
        var file = PathOf($"duck-{compression}-{version}.parquet");
        DuckDb.Run($$"""
            COPY (
              SELECT
                i::INTEGER AS i,
                (i * 1000000007)::BIGINT AS big,
                (i % 100)::TINYINT AS tiny,
                i::UBIGINT * 3 AS ubig,
                (i / 8)::DOUBLE AS dbl,
                (i / 4)::FLOAT AS flt,
                i % 2 = 0 AS flag,
                CASE WHEN i % 5 = 0 THEN NULL ELSE 'text ' || (i % 37) END AS s,
                'unique-' || i AS u,
                DATE '2020-01-01' + i::INTEGER AS d,
                TIMESTAMP '2021-06-01 12:00:00' + to_microseconds(i * 1234567) AS ts,
                TIMESTAMPTZ '2021-06-01 12:00:00+00' + to_milliseconds(i) AS tstz,
                (i / 3)::DECIMAL(10, 2) AS dec10,
                (i * 7)::DECIMAL(30, 4) AS dec30,
                CASE WHEN i % 7 = 0 THEN NULL ELSE [i, i + 1, NULL] END AS list,
                CASE WHEN i % 3 = 0 THEN [] ELSE [['a' || i], []] END AS nested,
                {'a': i, 'b': CASE WHEN i % 4 = 0 THEN NULL ELSE 'b' || i END} AS st,
                MAP {'k' || i: i, 'z': NULL} AS m,
                ('\x00\xFF'::BLOB || i::VARCHAR::BLOB) AS blob
              FROM range(10000) t(i)
            ) TO {{DuckDb.Quote(file)}} (FORMAT parquet, COMPRESSION {{compression}}, ROW_GROUP_SIZE 2048, PARQUET_VERSION {{version}})
            """);
        using var reader = ParquetReader.Open(file);
        Assert.True(reader.RowGroups.Count >= 2);
        Assert.Contains("DuckDB", reader.Metadata.CreatedBy ?? "", StringComparison.OrdinalIgnoreCase);
        var encodings = reader.RowGroups.SelectMany(g => g.Columns).SelectMany(c => c.Encodings).ToHashSet();
        if (version == "V2")
        {
            // DuckDB's version 2 files exercise the delta and byte-stream-split decoders.
            Assert.Contains(ParquetEncoding.DeltaBinaryPacked, encodings);
            Assert.Contains(ParquetEncoding.DeltaLengthByteArray, encodings);
            Assert.Contains(ParquetEncoding.ByteStreamSplit, encodings);
        }
        var rows = reader.ReadRows().ToList();
        Assert.Equal(10000, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Assert.Equal(i, r["i"]);
            Assert.Equal(i * 1000000007L, r["big"]);
            Assert.Equal((sbyte)(i % 100), r["tiny"]);
            Assert.Equal((ulong)i * 3, r["ubig"]);
            Assert.Equal(i / 8.0, r["dbl"]);
            Assert.Equal((float)(i / 4.0), r["flt"]);
            Assert.Equal(i % 2 == 0, r["flag"]);
            Assert.Equal(i % 5 == 0 ? null : "text " + (i % 37), r["s"]);
            Assert.Equal("unique-" + i, r["u"]);
            Assert.Equal(new DateOnly(2020, 1, 1).AddDays(i), r["d"]);
            Assert.Equal(new DateTime(2021, 6, 1, 12, 0, 0).AddTicks(i * 12345670L), r["ts"]);
            Assert.Equal(new DateTime(2021, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddMilliseconds(i), r["tstz"]);
            Assert.Equal(Math.Round(i / 3m, 2, MidpointRounding.AwayFromZero), r["dec10"]);
            Assert.Equal(i * 7m, (decimal)r["dec30"]!);
            if (i % 7 == 0) Assert.Null(r["list"]);
            else Assert.Equal(new object?[] { (long)i, i + 1L, null }, (List<object?>)r["list"]!);
            var nested = (List<object?>)r["nested"]!;
            if (i % 3 == 0) Assert.Empty(nested);
            else
            {
                Assert.Equal(new object?[] { "a" + i }, (List<object?>)nested[0]!);
                Assert.Empty((List<object?>)nested[1]!);
            }
            var st = (Dictionary<string, object?>)r["st"]!;
            Assert.Equal((long)i, st["a"]);
            Assert.Equal(i % 4 == 0 ? null : "b" + i, st["b"]);
            var m = (Dictionary<object, object?>)r["m"]!;
            Assert.Equal((long)i, m["k" + i]);
            Assert.Null(m["z"]);
            Assert.Equal([0x00, 0xFF, .. System.Text.Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))], (byte[])r["blob"]!);
        }
    }

    [InteropFact]
    public void DuckDB_reads_the_reference_shapes_we_write()
    {
        var file = PathOf("shapes.parquet");
        var schema = new ParquetSchema(
            PrimitiveField.Int64("id", Repetition.Required),
            PrimitiveField.Uuid("uuid"),
            PrimitiveField.Json("json"),
            PrimitiveField.Timestamp("ts", TimeUnit.Millis),
            PrimitiveField.Decimal("amount", 12, 2),
            new MapField("identityMap", PrimitiveField.String("key", Repetition.Required),
                new ListField("value", new StructField("element", Repetition.Optional, PrimitiveField.String("id"), PrimitiveField.Boolean("primary")))));
        var guid = Guid.Parse("12345678-9abc-def0-1234-56789abcdef0");
        using (var writer = ParquetWriter.Create(file, schema))
        {
            writer.WriteRow(new Dictionary<string, object?>
            {
                ["id"] = 1L,
                ["uuid"] = guid,
                ["json"] = "{\"a\":1}",
                ["ts"] = new DateTime(2024, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc),
                ["amount"] = 1234.5m,
                ["identityMap"] = new Dictionary<string, object?>
                {
                    ["ECID"] = new List<object?> { new Dictionary<string, object?> { ["id"] = "e1", ["primary"] = true } },
                },
            });
        }
        var json = DuckDb.Run($"""
            SELECT id, uuid::VARCHAR, json::VARCHAR, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%g'), amount::VARCHAR,
                   identityMap['ECID'][1].id, identityMap['ECID'][1].primary
            FROM read_parquet({DuckDb.Quote(file)})
            """);
        Assert.Equal("""[["1","12345678-9abc-def0-1234-56789abcdef0","{\"a\":1}","2024-02-03 04:05:06.789","1234.50","e1",true]]""", json.Trim());
    }
}
