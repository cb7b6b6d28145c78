using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>What happens to the files after COMPLETE: reading, counting, validating against the dataset's schema.</summary>
public sealed class ProcessingTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    private static string Errors(JsonObject batch) =>
        string.Join(" | ", (batch["errors"] as JsonArray ?? []).Select(e => $"{e!["code"]}: {e["description"]}"));

    [Fact]
    public async Task The_profile_sample_ingests_as_multi_line_json()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", true, "profiles.json", Sample("profiles.json"));

        Assert.True((string)batch["status"]! == "active", Errors(batch));
        Assert.Equal(14, (long)batch["recordCount"]!);
        Assert.Equal(14, (long)batch["metrics"]!["outputRecordCount"]!);
    }

    [Fact]
    public async Task The_loyalty_sample_ingests_as_csv()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.LoyaltySchema, "csv", null, "loyalty.csv", Sample("loyalty.csv"));

        Assert.True((string)batch["status"]! == "active", Errors(batch));
        Assert.Equal(40, (long)batch["recordCount"]!);
    }

    [Fact]
    public async Task A_json_array_without_the_multi_line_flag_fails_explaining_the_flag()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", null, "profiles.json", Sample("profiles.json"));

        Assert.Equal("failed", (string)batch["status"]!);
        var error = batch["errors"]!.AsArray().Single()!;
        Assert.Contains("isMultiLineJson", (string)error["description"]!);
        Assert.Contains("profiles.json", (string)error["description"]!);
    }

    [Fact]
    public async Task Pretty_printed_objects_without_the_flag_fail_explaining_the_flag()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", false, "pretty.json", "{\n  \"_id\": \"p1\"\n}\n");

        Assert.Equal("failed", (string)batch["status"]!);
        Assert.Contains("isMultiLineJson", (string)batch["errors"]![0]!["description"]!);
    }

    [Fact]
    public async Task Json_lines_count_one_record_per_non_empty_line()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var content = "\uFEFF{\"_id\":\"1\"}\r\n\r\n{\"_id\":\"2\",\"loyalty\":{\"points\":\"42\"}}\n{\"_id\":\"3\"}";
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", null, "lines.json", content);

        Assert.True((string)batch["status"]! == "active", Errors(batch));
        Assert.Equal(3, (long)batch["recordCount"]!);
    }

    [Fact]
    public async Task Multi_line_json_also_reads_a_single_object_and_concatenated_objects()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var single = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", true, "one.json", "{\n \"_id\": \"1\"\n}");
        var concatenated = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", true, "two.json", "{\n \"_id\": \"1\"\n}\n{\n \"_id\": \"2\"\n}\n");

        Assert.Equal(1, (long)single["recordCount"]!);
        Assert.Equal(2, (long)concatenated["recordCount"]!);
    }

    [Fact]
    public async Task Multi_line_json_handles_records_larger_than_the_read_buffer()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var records = Enumerable.Range(0, 50).Select(i =>
            new JsonObject { ["_id"] = $"p{i}", ["identityMap"] = new JsonObject { ["CRMID"] = new JsonArray(new JsonObject { ["id"] = new string('x', 5000 + i) }) } });
        var content = new JsonArray(records.ToArray<JsonNode?>()).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", true, "big.json", content);
        Assert.True((string)batch["status"]! == "active", Errors(batch));
        Assert.Equal(50, (long)batch["recordCount"]!);
    }

    [Fact]
    public async Task Broken_multi_line_json_fails_with_the_line()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", true, "broken.json", "[\n {\"_id\": \"1\"},\n {\"_id\": 2 3}\n]");

        Assert.Equal("failed", (string)batch["status"]!);
        var description = (string)batch["errors"]![0]!["description"]!;
        Assert.True(description.Contains("line 3"), description);
        Assert.Contains("broken.json", description);
    }

    [Fact]
    public async Task Csv_quotes_commas_and_line_breaks_inside_fields_are_read()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var csv = "customerId,email,firstName,lastName,tier,points,lastPurchase\r\n"
            + "C1,a@example.com,\"Ada, Countess\",\"Love\"\"lace\",gold,10,2025-01-01T00:00:00Z\r\n"
            + "C2,b@example.com,\"Multi\nLine\",Hopper,,,\r\n"
            + "\r\n"
            + "C3,c@example.com,Grace,Hopper,silver,7,2025-02-03\r\n";
        var batch = await emulator.IngestAsync(TestEmulator.LoyaltySchema, "csv", null, "q.csv", csv);

        Assert.True((string)batch["status"]! == "active", Errors(batch));
        Assert.Equal(3, (long)batch["recordCount"]!);
    }

    [Fact]
    public async Task Schema_mismatches_fail_the_batch_naming_file_row_and_field()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var lines = string.Join("\n",
            """{"_id":"ok"}""",
            """{"_id":"p2","loyalty":{"points":12.5}}""",
            """{"_id":"p3","shoeSize":44}""",
            """{"_id":"p4","person":{"birthDate":"1990-13-45"}}""",
            """{"_id":5}""",
            """{"_id":"p6","identityMap":{"ECID":[{"id":"x","primary":"yes"}]}}""",
            """{"_id":"p7","person":{"gender":"robot"}}""",
            """{"_id":"p8","loyalty":{"points":"many"}}""",
            """{"_id":"p9","loyalty":{"points":"17","joined":1700000000000}}""");
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", null, "people.json", lines);

        Assert.Equal("failed", (string)batch["status"]!);
        Assert.Equal(7, (long)batch["failedRecordCount"]!);
        Assert.Equal(7, (long)batch["metrics"]!["failedRecordCount"]!);
        Assert.Equal(9, (long)batch["metrics"]!["inputRecordCount"]!);

        var errors = batch["errors"]!.AsArray().Select(e => (Code: (string)e!["code"]!, Description: (string)e["description"]!, Rows: e["rows"]!.AsArray().Select(r => (string)r!).ToList())).ToList();
        Assert.All(errors, e => Assert.Contains("people.json", e.Description));

        void Has(string row, string field, string words)
        {
            var error = errors.SingleOrDefault(e => e.Rows.Contains(row) && e.Description.Contains($"field '{field}'"));
            Assert.True(error.Description is not null, $"no error for row {row} field {field}: {string.Join(" | ", errors.Select(e => e.Description))}");
            Assert.Contains($"row {row}", error.Description);
            Assert.Contains(words, error.Description);
        }

        Has("2", "loyalty.points", "fraction");
        Has("3", "shoeSize", "not defined in the schema");
        Has("4", "person.birthDate", "ISO 8601");
        Has("5", "_id", "numbers do not convert to strings");
        Has("6", "identityMap.ECID[0].primary", "boolean");
        Has("7", "person.gender", "robot");
        Has("8", "loyalty.points", "not a number");
    }

    [Fact]
    public async Task The_same_problem_in_many_rows_is_one_error_with_a_row_list()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var lines = string.Join("\n", Enumerable.Range(1, 30).Select(i => $$$"""{"_id":"p{{{i}}}","loyalty":{"points":{{{i}}}.5}}"""));
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", null, "points.json", lines);

        var error = batch["errors"]!.AsArray().Single()!;
        Assert.Equal(30, error["rows"]!.AsArray().Count);
        Assert.Equal("1", (string)error["rows"]![0]!);
        Assert.Contains("30", (string)error["description"]!);
    }

    [Fact]
    public async Task Corrupt_json_lines_are_reported_per_row()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", null, "c.json", "{\"_id\":\"1\"}\n{missingQuotes: 'v1'}\n[1,2]\n");

        Assert.Equal("failed", (string)batch["status"]!);
        Assert.Equal(2, (long)batch["failedRecordCount"]!);
        var descriptions = string.Join(" | ", batch["errors"]!.AsArray().Select(e => (string)e!["description"]!));
        Assert.Contains("row 2", descriptions);
        Assert.Contains("row 3", descriptions);
        Assert.Contains("INGEST-1401-400", batch["errors"]!.ToJsonString());
    }

    [Fact]
    public async Task Csv_values_must_convert_and_columns_must_be_schema_fields()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var badValue = await emulator.IngestAsync(TestEmulator.LoyaltySchema, "csv", null, "v.csv",
            "customerId,points,lastPurchase\nC1,12,2025-01-01T00:00:00Z\nC2,1.5,2025-01-01\nC3,3,yesterday\nC4,4\n");
        Assert.Equal("failed", (string)badValue["status"]!);
        Assert.Equal(3, (long)badValue["failedRecordCount"]!);
        var text = Errors(badValue);
        Assert.Contains("row 2", text);
        Assert.Contains("'points'", text);
        Assert.Contains("'lastPurchase'", text);
        Assert.Contains("2 values but the header has 3 columns", text);

        var badColumn = await emulator.IngestAsync(TestEmulator.LoyaltySchema, "csv", null, "c.csv", "customerId,shoeSize\nC1,44\n");
        Assert.Equal("failed", (string)badColumn["status"]!);
        Assert.Contains("'shoeSize'", Errors(badColumn));
    }

    [Fact]
    public async Task An_empty_file_fails_with_code_106()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.ProfileSchema, "json", null, "empty.json", string.Empty);

        Assert.Equal("failed", (string)batch["status"]!);
        Assert.Equal("106", (string)batch["errors"]![0]!["code"]!);
        Assert.Contains("Dataset file is empty", (string)batch["errors"]![0]!["description"]!);
    }

    [Fact]
    public async Task A_csv_with_an_empty_header_row_fails_with_code_118()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var batch = await emulator.IngestAsync(TestEmulator.LoyaltySchema, "csv", null, "h.csv", "\nC1,a@example.com\n");

        Assert.Equal("failed", (string)batch["status"]!);
        Assert.Equal("118", (string)batch["errors"]![0]!["code"]!);
    }

    [Fact]
    public async Task A_batch_without_files_fails()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        await emulator.SignalAsync(batch, "COMPLETE");

        var final = await emulator.WaitForFinalAsync(batch);
        Assert.Equal("failed", (string)final["status"]!);
        Assert.Contains("no files", (string)final["errors"]![0]!["description"]!);
    }

    [Fact]
    public async Task Records_of_all_files_add_up()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        await emulator.UploadOkAsync(batch, dataset, "part1=a/one.json", "{\"_id\":\"1\"}\n{\"_id\":\"2\"}");
        await emulator.UploadOkAsync(batch, dataset, "part1=b/two.json", "{\"_id\":\"3\"}");
        await emulator.SignalAsync(batch, "COMPLETE");

        var final = await emulator.WaitForFinalAsync(batch);
        Assert.Equal(3, (long)final["recordCount"]!);
        Assert.Equal(2, (long)final["metrics"]!["inputFileCount"]!);
    }
}
