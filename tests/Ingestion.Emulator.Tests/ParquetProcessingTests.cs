using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Processing;
using Ingestion.Emulator.Schemas;
using Ingestion.Emulator.Tests.Infrastructure;
using Ingestion.Parquet;

namespace Ingestion.Emulator.Tests;

/// <summary>
/// Parquet batches: files written here with the project's own ParquetWriter in the shapes of the built-in
/// schemas are counted row by row and checked against the dataset's schema; files that do not fit, corrupt
/// files and codecs the emulator cannot read fail the batch naming the field or the file.
/// </summary>
public sealed class ParquetProcessingTests
{
    private static readonly DateTime Joined = new(2024, 5, 31, 12, 30, 0, DateTimeKind.Utc);

    // ---- shapes ----

    private static ParquetField[] ProfileFields(ParquetField? points = null, params ParquetField[] extra) =>
    [
        PrimitiveField.String("_id"),
        new StructField("person", Repetition.Optional,
            new StructField("name", Repetition.Optional, PrimitiveField.String("firstName"), PrimitiveField.String("lastName")),
            PrimitiveField.Date("birthDate"),
            PrimitiveField.String("gender")),
        new MapField("identityMap", PrimitiveField.String("key", Repetition.Required),
            new ListField("value", new StructField("element", Repetition.Optional, PrimitiveField.String("id"), PrimitiveField.Boolean("primary")))),
        new StructField("loyalty", Repetition.Optional,
            PrimitiveField.String("tier"),
            points ?? PrimitiveField.Int64("points"),
            PrimitiveField.Timestamp("joined", TimeUnit.Micros)),
        .. extra,
    ];

    private static Dictionary<string, object?> ProfileRow(int i, string gender = "female", object? points = null) => new()
    {
        ["_id"] = $"p{i}",
        ["person"] = new Dictionary<string, object?>
        {
            ["name"] = new Dictionary<string, object?> { ["firstName"] = "Ada" + i, ["lastName"] = i % 3 == 0 ? null : "Lovelace" },
            ["birthDate"] = new DateOnly(1990, 1, 1).AddDays(i),
            ["gender"] = gender,
        },
        ["identityMap"] = new Dictionary<string, object?>
        {
            ["CRMID"] = new List<object?> { new Dictionary<string, object?> { ["id"] = $"crm-{i}", ["primary"] = true } },
            ["ECID"] = i % 2 == 0 ? new List<object?>() : new List<object?> { new Dictionary<string, object?> { ["id"] = $"ecid-{i}", ["primary"] = false } },
        },
        ["loyalty"] = new Dictionary<string, object?>
        {
            ["tier"] = "gold",
            ["points"] = points ?? (long)i * 10,
            ["joined"] = Joined.AddMinutes(i),
        },
    };

    private static ParquetField[] LoyaltyFields() =>
    [
        PrimitiveField.String("customerId"),
        PrimitiveField.String("email"),
        PrimitiveField.String("firstName"),
        PrimitiveField.String("lastName"),
        PrimitiveField.String("tier"),
        PrimitiveField.Int64("points"),
        PrimitiveField.Timestamp("lastPurchase", TimeUnit.Millis),
    ];

    private static Dictionary<string, object?> LoyaltyRow(int i) => new()
    {
        ["customerId"] = $"C{i}",
        ["email"] = $"c{i}@example.com",
        ["firstName"] = "Grace",
        ["lastName"] = "Hopper",
        ["tier"] = i % 2 == 0 ? "silver" : null,
        ["points"] = (long)i,
        ["lastPurchase"] = Joined.AddDays(-i),
    };

    private static byte[] WriteParquet(ParquetField[] fields, IEnumerable<Dictionary<string, object?>> rows, long rowGroupSize = 64L << 20)
    {
        using var stream = new MemoryStream();
        using (var writer = new ParquetWriter(stream, new ParquetSchema(fields), new ParquetWriterOptions { RowGroupSize = rowGroupSize }, leaveOpen: true))
        {
            writer.WriteRows(rows);
        }

        return stream.ToArray();
    }

    // ---- emulator helpers ----

    private static string Errors(JsonObject batch) =>
        string.Join(" | ", (batch["errors"] as JsonArray ?? []).Select(e => $"{e!["code"]}: {e["description"]}"));

    private static async Task<JsonObject> IngestAsync(TestEmulator emulator, string schemaId, string fileName, byte[] content, string? datasetId = null)
    {
        var dataset = datasetId ?? await emulator.CreateDatasetAsync(schemaId);
        var batch = await emulator.CreateBatchAsync(dataset, "parquet");
        using (var upload = await emulator.UploadAsync(batch, dataset, fileName, content))
        {
            Assert.True(upload.IsSuccessStatusCode, $"upload answered {(int)upload.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "COMPLETE")).Status);
        return await emulator.WaitForFinalAsync(batch);
    }

    private static void AssertActive(JsonObject batch, long records)
    {
        Assert.True((string)batch["status"]! == "active", Errors(batch));
        Assert.Equal(records, (long)batch["recordCount"]!);
        Assert.Equal(records, (long)batch["metrics"]!["inputRecordCount"]!);
    }

    // ---- ingesting ----

    [Fact]
    public async Task A_profile_shaped_file_ingests_counting_every_row_of_every_row_group()
    {
        const int rows = 3000;
        var content = WriteParquet(ProfileFields(), Enumerable.Range(1, rows).Select(i => ProfileRow(i)), rowGroupSize: 32 * 1024);
        using (var check = new ParquetReader(new MemoryStream(content)))
        {
            Assert.True(check.RowGroups.Count > 2, $"expected several row groups, got {check.RowGroups.Count}");
        }

        await using var emulator = await TestEmulator.StartAsync();
        var batch = await IngestAsync(emulator, TestEmulator.ProfileSchema, "profiles.parquet", content);

        AssertActive(batch, rows);
        Assert.Equal(rows, (long)batch["metrics"]!["outputRecordCount"]!);
    }

    [Fact]
    public async Task A_flat_file_ingests_into_the_csv_shaped_schema()
    {
        var content = WriteParquet(LoyaltyFields(), Enumerable.Range(1, 40).Select(LoyaltyRow));

        await using var emulator = await TestEmulator.StartAsync();
        AssertActive(await IngestAsync(emulator, TestEmulator.LoyaltySchema, "loyalty.parquet", content), 40);
    }

    [Fact]
    public async Task Files_of_a_batch_add_up_and_columns_may_be_a_subset_of_the_schema()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync(TestEmulator.LoyaltySchema);
        var batch = await emulator.CreateBatchAsync(dataset, "parquet");
        using (await emulator.UploadAsync(batch, dataset, "part=1/a.parquet", WriteParquet(LoyaltyFields(), Enumerable.Range(1, 5).Select(LoyaltyRow)))) { }
        using (await emulator.UploadAsync(batch, dataset, "part=2/b.parquet",
            WriteParquet([PrimitiveField.String("customerId"), PrimitiveField.String("points")], [new() { ["customerId"] = "C9", ["points"] = "17" }]))) { }
        await emulator.SignalAsync(batch, "COMPLETE");

        AssertActive(await emulator.WaitForFinalAsync(batch), 6);
    }

    [Fact]
    public async Task An_upsert_dataset_processes_parquet_batches_as_usual()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, "data/foundation/catalog/dataSets", new JsonObject
        {
            ["name"] = "upserts",
            ["schemaRef"] = new JsonObject { ["id"] = TestEmulator.ProfileSchema, ["contentType"] = "application/vnd.adobe.xed+json;version=1" },
            ["tags"] = new JsonObject { ["unifiedProfile"] = new JsonArray("enabled:true", "isUpsert:true") },
        });
        Assert.Equal(HttpStatusCode.Created, status);
        var dataset = ((string)body![0]!)["@/dataSets/".Length..];

        var content = WriteParquet(ProfileFields(), Enumerable.Range(1, 12).Select(i => ProfileRow(i)));
        AssertActive(await IngestAsync(emulator, TestEmulator.ProfileSchema, "upsert.parquet", content, dataset), 12);
    }

    // ---- the file's schema against the dataset's ----

    public static TheoryData<string, string, string> Mismatches => new()
    {
        { "extra-column", "shoeSize", "not defined in the schema" },
        { "extra-nested", "person.name.middleName", "not defined in the schema" },
        { "double-points", "loyalty.points", "DOUBLE" },
        { "number-id", "_id", "INT64" },
        { "list-tier", "loyalty.tier", "LIST" },
        { "int-map-keys", "identityMap", "keys" },
        { "string-primary", "identityMap{}[].primary", "BYTE_ARRAY (STRING)" },
    };

    private static ParquetField[] MismatchFields(string kind) => kind switch
    {
        "extra-column" => ProfileFields(null, PrimitiveField.Int32("shoeSize")),
        "extra-nested" => [PrimitiveField.String("_id"),
            new StructField("person", Repetition.Optional, new StructField("name", Repetition.Optional, PrimitiveField.String("firstName"), PrimitiveField.String("middleName")))],
        "double-points" => ProfileFields(PrimitiveField.Double("points")),
        "number-id" => [PrimitiveField.Int64("_id")],
        "list-tier" => [new StructField("loyalty", Repetition.Optional, new ListField("tier", PrimitiveField.String("element")))],
        "int-map-keys" => [new MapField("identityMap", PrimitiveField.Int32("key", Repetition.Required), PrimitiveField.String("value"))],
        "string-primary" => [new MapField("identityMap", PrimitiveField.String("key", Repetition.Required),
            new ListField("value", new StructField("element", Repetition.Optional, PrimitiveField.String("primary"))))],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task A_file_whose_schema_does_not_fit_fails_naming_the_field_and_the_file(string kind, string field, string words)
    {
        var fields = MismatchFields(kind);
        var content = WriteParquet(fields, [new Dictionary<string, object?>(), new Dictionary<string, object?>()]);

        await using var emulator = await TestEmulator.StartAsync();
        var batch = await IngestAsync(emulator, TestEmulator.ProfileSchema, $"{kind}.parquet", content);

        Assert.Equal("failed", (string)batch["status"]!);
        var error = batch["errors"]!.AsArray().Single(e => ((string)e!["description"]!).Contains($"field '{field}'"))!;
        var description = (string)error["description"]!;
        Assert.Equal("INGEST-1402-400", (string)error["code"]!);
        Assert.Contains($"'{kind}.parquet'", description);
        Assert.Contains(words, description);
        Assert.Equal(2, (long)batch["failedRecordCount"]!);
    }

    [Fact]
    public void Types_convert_the_way_aep_documents_and_no_further()
    {
        var profile = BuiltInSchema("demo-profile");
        List<FieldProblem> Match(params ParquetField[] fields) => ParquetSchemaMatcher.Match(fields, profile);
        ParquetField[] Loyalty(ParquetField field) => [new StructField("loyalty", Repetition.Optional, field)];
        ParquetField[] Person(ParquetField field) => [new StructField("person", Repetition.Optional, field)];

        // date-time: TIMESTAMP in any unit, INT96, ISO text, epoch milliseconds.
        Assert.Empty(Match(Loyalty(PrimitiveField.Timestamp("joined", TimeUnit.Millis, isAdjustedToUtc: false))));
        Assert.Empty(Match(Loyalty(new PrimitiveField("joined", PhysicalType.Int96))));
        Assert.Empty(Match(Loyalty(PrimitiveField.String("joined"))));
        Assert.Empty(Match(Loyalty(PrimitiveField.Int64("joined"))));
        Assert.Single(Match(Loyalty(PrimitiveField.Date("joined"))));
        Assert.Single(Match(Loyalty(PrimitiveField.Boolean("joined"))));

        // date: DATE, text, epoch milliseconds; not a timestamp.
        Assert.Empty(Match(Person(PrimitiveField.Date("birthDate"))));
        Assert.Empty(Match(Person(PrimitiveField.String("birthDate"))));
        Assert.Single(Match(Person(PrimitiveField.Timestamp("birthDate"))));

        // long: any integer column (values are range-checked per row) or text; no fractions, no booleans.
        Assert.Empty(Match(Loyalty(PrimitiveField.Int32("points"))));
        Assert.Empty(Match(Loyalty(PrimitiveField.Integer("points", 16))));
        Assert.Empty(Match(Loyalty(PrimitiveField.String("points"))));
        Assert.Contains("fractional", Match(Loyalty(PrimitiveField.Float("points"))).Single().Problem);
        Assert.Single(Match(Loyalty(PrimitiveField.Decimal("points", 10, 2))));
        Assert.Single(Match(Loyalty(PrimitiveField.Boolean("points"))));

        // string: STRING/ENUM/JSON text only; raw binary, numbers and booleans do not convert.
        Assert.Empty(Match(new PrimitiveField("_id", PhysicalType.ByteArray, Repetition.Optional, LogicalType.Enum)));
        Assert.Empty(Match(PrimitiveField.Uuid("_id")));
        Assert.Contains("binary", Match(PrimitiveField.Binary("_id")).Single().Problem);
        Assert.Contains("numbers do not convert", Match(PrimitiveField.Int32("_id")).Single().Problem);

        // object: group or map; the map's values follow additionalProperties, a struct for a map works too.
        Assert.Contains("not a group", Match(PrimitiveField.String("person")).Single().Problem);
        Assert.Empty(Match(new StructField("identityMap", Repetition.Optional,
            new ListField("ECID", new StructField("element", Repetition.Optional, PrimitiveField.String("id"))))));
        Assert.Single(Match(new MapField("identityMap", PrimitiveField.String("key", Repetition.Required), PrimitiveField.String("value"))));
        Assert.Empty(Match(new MapField("loyalty", PrimitiveField.String("key", Repetition.Required), PrimitiveField.String("value"))));

        // a bare repeated field is a list.
        Assert.Empty(Match(new StructField("identityMap", Repetition.Optional,
            new StructField("ECID", Repetition.Repeated, PrimitiveField.String("id"), PrimitiveField.Boolean("primary")))));
        Assert.Contains("repeated", Match(PrimitiveField.String("_id", Repetition.Repeated)).Single().Problem);
    }

    // ---- values ----

    [Fact]
    public async Task Values_the_schema_does_not_allow_fail_their_rows_like_json_records()
    {
        var rows = Enumerable.Range(1, 6).Select(i => ProfileRow(i, gender: i == 2 ? "robot" : "male")).ToList();
        var content = WriteParquet(ProfileFields(), rows);
        var dates = WriteParquet([PrimitiveField.String("_id"), new StructField("person", Repetition.Optional, PrimitiveField.String("birthDate"))],
        [
            new() { ["_id"] = "d1", ["person"] = new Dictionary<string, object?> { ["birthDate"] = "1990-02-03" } },
            new() { ["_id"] = "d2", ["person"] = new Dictionary<string, object?> { ["birthDate"] = "1990-13-45" } },
        ]);

        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset, "parquet");
        using (await emulator.UploadAsync(batch, dataset, "people.parquet", content)) { }
        using (await emulator.UploadAsync(batch, dataset, "dates.parquet", dates)) { }
        await emulator.SignalAsync(batch, "COMPLETE");
        var final = await emulator.WaitForFinalAsync(batch);

        Assert.Equal("failed", (string)final["status"]!);
        Assert.Equal(8, (long)final["metrics"]!["inputRecordCount"]!);
        Assert.Equal(2, (long)final["failedRecordCount"]!);
        var errors = final["errors"]!.AsArray().Select(e => (Description: (string)e!["description"]!, Rows: e["rows"]!.AsArray().Select(r => (string)r!).ToList())).ToList();
        var gender = errors.Single(e => e.Description.Contains("field 'person.gender'"));
        Assert.Contains("'people.parquet', row 2", gender.Description);
        Assert.Contains("robot", gender.Description);
        Assert.Equal(["2"], gender.Rows);
        var birth = errors.Single(e => e.Description.Contains("field 'person.birthDate'"));
        Assert.Contains("'dates.parquet', row 2", birth.Description);
        Assert.Contains("ISO 8601", birth.Description);
    }

    [Fact]
    public async Task An_integer_too_wide_for_its_field_fails_the_row()
    {
        var schema = SchemaRegistry.Compile(JsonNode.Parse("""
            { "$id": "https://ns.adobe.com/emulator/schemas/narrow", "title": "narrow", "type": "object",
              "properties": { "n": { "type": "integer", "meta:xdmType": "short" } } }
            """)!.AsObject(), builtIn: false).Root;
        var content = WriteParquet([PrimitiveField.Int64("n")], [new() { ["n"] = 12L }, new() { ["n"] = 70000L }]);

        var (records, errors) = ReadDirect(content, schema, "n.parquet");

        Assert.Equal(2, records);
        Assert.Equal(1, errors.FailedRecords);
        Assert.Contains("between -32768 and 32767", errors.ToEntries().Single().Description);
    }

    [Fact]
    public void A_row_becomes_the_json_record_the_validator_reads()
    {
        var content = WriteParquet(ProfileFields(), [ProfileRow(1)]);
        using var reader = new ParquetReader(new MemoryStream(content));
        var json = JsonNode.Parse(new ParquetRowJson().Write(reader.First()!).Span)!;

        Assert.Equal("1990-01-02", (string)json["person"]!["birthDate"]!);
        Assert.Equal("2024-05-31T12:31:00Z", (string)json["loyalty"]!["joined"]!);
        Assert.Equal(10, (long)json["loyalty"]!["points"]!);
        Assert.Equal("crm-1", (string)json["identityMap"]!["CRMID"]![0]!["id"]!);
        Assert.False((bool)json["identityMap"]!["ECID"]![0]!["primary"]!);
    }

    // ---- corrupt and unsupported files ----

    [Fact]
    public async Task Truncated_and_foreign_files_fail_naming_the_file()
    {
        var good = WriteParquet(LoyaltyFields(), Enumerable.Range(1, 20).Select(LoyaltyRow));
        var truncated = good[..(good.Length - 40)];
        var badMagic = good.ToArray();
        "PAR0"u8.CopyTo(badMagic);

        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync(TestEmulator.LoyaltySchema);
        var batch = await emulator.CreateBatchAsync(dataset, "parquet");
        using (await emulator.UploadAsync(batch, dataset, "good.parquet", good)) { }
        using (await emulator.UploadAsync(batch, dataset, "truncated.parquet", truncated)) { }
        using (await emulator.UploadAsync(batch, dataset, "bad-magic.parquet", badMagic)) { }
        using (await emulator.UploadAsync(batch, dataset, "text.parquet", "customerId\nC1\n"u8.ToArray())) { }
        await emulator.SignalAsync(batch, "COMPLETE");
        var final = await emulator.WaitForFinalAsync(batch);

        Assert.Equal("failed", (string)final["status"]!);
        var errors = final["errors"]!.AsArray().Select(e => (Code: (string)e!["code"]!, Description: (string)e["description"]!)).ToList();
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Equal("INGEST-1405-400", e.Code));
        Assert.Contains(errors, e => e.Description.StartsWith("File 'truncated.parquet' is not a valid Parquet file", StringComparison.Ordinal) && e.Description.Contains("PAR1"));
        Assert.Contains(errors, e => e.Description.StartsWith("File 'bad-magic.parquet' is not a valid Parquet file", StringComparison.Ordinal) && e.Description.Contains("magic"));
        Assert.Contains(errors, e => e.Description.StartsWith("File 'text.parquet' is not a valid Parquet file", StringComparison.Ordinal));
        Assert.Equal(20, (long)final["metrics"]!["inputRecordCount"]!);
    }

    [Fact]
    public void A_damaged_page_fails_the_file_with_the_readers_message()
    {
        var content = WriteParquet(LoyaltyFields(), Enumerable.Range(1, 200).Select(LoyaltyRow));
        using (var reader = new ParquetReader(new MemoryStream(content)))
        {
            // Flip a byte in the middle of the last column's data page: its CRC no longer matches.
            var chunk = reader.RowGroups[0].Columns[^1];
            content[chunk.DataPageOffset + chunk.TotalCompressedSize - 3] ^= 0x5A;
        }

        var (records, errors) = ReadDirect(content, BuiltInSchema("demo-loyalty-csv"), "damaged.parquet");

        var error = errors.ToEntries().Single();
        Assert.Equal("INGEST-1405-400", error.Code);
        Assert.StartsWith("File 'damaged.parquet' is not a valid Parquet file:", error.Description);
        Assert.Contains("lastPurchase", error.Description);
        Assert.Equal(200, records);
        Assert.Equal(200, errors.FailedRecords);
    }

    [Fact]
    public async Task A_zstd_file_fails_naming_the_codec_and_the_file()
    {
        var path = SharedParquet("data", "byte_stream_split.zstd.parquet");
        if (path is null)
        {
            return; // parquet-testing data is not next to this checkout
        }

        await using var emulator = await TestEmulator.StartAsync();
        var batch = await IngestAsync(emulator, TestEmulator.ProfileSchema, "floats.zstd.parquet", await File.ReadAllBytesAsync(path!));

        Assert.Equal("failed", (string)batch["status"]!);
        var codec = batch["errors"]!.AsArray().Select(e => (string)e!["description"]!).First(d => d.Contains("ZSTD"));
        Assert.StartsWith("File 'floats.zstd.parquet': columns 'f32', 'f64' are compressed with ZSTD", codec);
        Assert.Contains("SNAPPY", codec);
    }

    [Fact]
    public void An_encrypted_file_fails_saying_encryption_is_not_supported()
    {
        var path = SharedParquet("data", "uniform_encryption.parquet.encrypted");
        if (path is null)
        {
            return; // parquet-testing data is not next to this checkout
        }

        var (_, errors) = ReadDirect(File.ReadAllBytes(path!), OpenSchema(), "secret.parquet");

        var error = errors.ToEntries().Single().Description;
        Assert.StartsWith("File 'secret.parquet' uses a Parquet feature the emulator cannot read", error);
        Assert.Contains("encrypt", error);
    }

    /// <summary>The reference corpus: readable files give their rows, the rest a clear file error, and nothing escapes as an exception.</summary>
    [Fact]
    public void Every_reference_file_reads_or_fails_with_a_clear_error()
    {
        var directory = SharedParquet("data", null);
        if (directory is null)
        {
            return; // parquet-testing data is not next to this checkout
        }
        var files = Directory.GetFiles(directory!).Concat(Directory.GetFiles(Path.Combine(directory!, "..", "bad_data")))
            .Where(f => f.EndsWith(".parquet", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var read = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var (records, errors) = ReadDirect(File.ReadAllBytes(file), OpenSchema(), name);
            var entries = errors.ToEntries();
            if (entries.Count == 0)
            {
                using var reader = ParquetReader.Open(file);
                var declared = reader.RowGroups.Sum(g => g.RowCount);
                Assert.True(declared == records, $"{name}: {records} records, the row groups hold {declared}");
                read++;
                continue;
            }

            foreach (var entry in entries)
            {
                Assert.True(entry.Code is "INGEST-1405-400" or "106", $"{name}: {entry.Code} {entry.Description}");
                Assert.Contains($"'{name}'", entry.Description);
                Assert.DoesNotContain("the reader failed", entry.Description);
            }
        }

        Assert.True(read > files.Count / 2, $"only {read} of {files.Count} reference files were read");
    }

    // ---- support ----

    private static (long Records, BatchErrorCollector Errors) ReadDirect(byte[] content, XdmField schema, string name)
    {
        var errors = new BatchErrorCollector();
        var records = new ParquetFileReader(schema, errors, null).Read(name, new MemoryStream(content), (row, record) =>
        {
            var problems = RecordValidator.Validate(record, schema);
            if (problems.Count > 0)
            {
                errors.RecordFailed();
                foreach (var problem in problems)
                {
                    errors.Add("INGEST-1402-400", $"field|{name}|{problem.Path}", $"File '{name}', row {row}: field '{problem.Path}' {problem.Problem}.", row);
                }
            }
        }, CancellationToken.None);
        return (records, errors);
    }

    private static XdmField BuiltInSchema(string name)
    {
        using var stream = typeof(EmulatorHost).Assembly.GetManifestResourceStream($"Ingestion.Emulator.BuiltIn.{name}.schema.json")!;
        return SchemaRegistry.Compile(JsonNode.Parse(stream)!.AsObject(), builtIn: true).Root;
    }

    /// <summary>An object that takes any field: only the reading is under test.</summary>
    private static XdmField OpenSchema() => XdmField.Parse(JsonDocument.Parse("""{"type":"object","additionalProperties":true}""").RootElement, string.Empty);

    /// <summary>apache/parquet-testing beside the repository (../shared/data), or null when this checkout has none.</summary>
    private static string? SharedParquet(string folder, string? file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ingestion.slnx")))
            {
                var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "parquet-testing", folder, file ?? string.Empty));
                return file is null ? (Directory.Exists(path) ? path : null) : (File.Exists(path) ? path : null);
            }
        }

        return null;
    }
}
