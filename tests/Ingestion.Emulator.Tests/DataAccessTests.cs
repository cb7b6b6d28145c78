using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>Data Access (<c>/data/foundation/export</c>): failed files and the row-level error diagnostics of rejected batches.</summary>
public sealed class DataAccessTests
{
    private const string Export = "data/foundation/export/batches/";
    private const string Header = "customerId,tier,points";

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    /// <summary>Creates a batch (with or without diagnostics), uploads the files, completes it and waits for the end.</summary>
    private static async Task<(string Dataset, string Batch, JsonObject Final)> IngestAsync(
        TestEmulator emulator, string schema, string format, bool diagnostics, bool? multiLine, params (string Name, string Content)[] files)
    {
        var dataset = await emulator.CreateDatasetAsync(schema);
        var inputFormat = new JsonObject { ["format"] = format };
        if (multiLine is { } flag)
        {
            inputFormat["isMultiLineJson"] = flag;
        }

        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, "data/foundation/import/batches", new JsonObject
        {
            ["datasetId"] = dataset,
            ["inputFormat"] = inputFormat,
            ["enableErrorDiagnostics"] = diagnostics,
        });
        Assert.Equal(HttpStatusCode.Created, status);
        var batch = (string)body!["id"]!;
        foreach (var (name, content) in files)
        {
            await emulator.UploadOkAsync(batch, dataset, Uri.EscapeDataString(name), content);
        }

        Assert.Equal(HttpStatusCode.OK, (await emulator.SignalAsync(batch, "COMPLETE")).Status);
        return (dataset, batch, await emulator.WaitForFinalAsync(batch));
    }

    private static async Task<string> GetTextAsync(TestEmulator emulator, string path)
    {
        using var response = await emulator.SendAsync(HttpMethod.Get, path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static async Task<List<JsonObject>> RowErrorsAsync(TestEmulator emulator, string batch, string file)
    {
        var text = await GetTextAsync(emulator, $"{Export}{batch}/meta?path={Uri.EscapeDataString("row_errors/" + file)}");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
    }

    [Fact]
    public async Task A_csv_value_that_is_not_an_integer_is_a_conversion_error_in_the_documented_shape()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, batch, final) = await IngestAsync(emulator, TestEmulator.LoyaltySchema, "csv", diagnostics: true, null,
            ("points.csv", $"{Header}\nC1,gold,1200\nC2,silver,lots\nC3,\"gold, plus\",12.5\n"));
        Assert.Equal("failed", (string)final["status"]!);

        var (status, listing) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/meta?path=row_errors");
        Assert.Equal(HttpStatusCode.OK, status);
        var file = listing!["data"]!.AsArray().Single()!;
        Assert.Equal("conversion_errors_0.json", (string)file["name"]!);
        Assert.True(long.Parse((string)file["length"]!) > 0, "length is a number sent as a string");
        Assert.EndsWith($"/data/foundation/export/batches/{batch}/meta?path=row_errors%2Fconversion_errors_0.json", (string)file["_links"]!["self"]!["href"]!);
        Assert.Equal(100, (int)listing["_page"]!["limit"]!);
        Assert.Equal(1, (int)listing["_page"]!["count"]!);

        var rows = await RowErrorsAsync(emulator, batch, "conversion_errors_0.json");
        Assert.Equal(2, rows.Count);
        Assert.Equal("C2,silver,lots", (string)rows[0]["_corrupt_record"]!);
        Assert.Equal("points.csv", (string)rows[0]["_filename"]!);
        Assert.Equal(2, (long)rows[0]["_row"]!);
        var error = rows[0]["_errors"]!.AsArray().Single()!;
        Assert.Equal("1402", (string)error["code"]!);
        Assert.Contains("'points'", (string)error["message"]!);
        Assert.Contains("lots", (string)error["message"]!);
        Assert.Equal("C3,\"gold, plus\",12.5", (string)rows[1]["_corrupt_record"]!);
        Assert.Equal(3, (long)rows[1]["_row"]!);
    }

    [Fact]
    public async Task A_json_array_sent_as_json_lines_is_a_parsing_error_naming_the_flag()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, batch, final) = await IngestAsync(emulator, TestEmulator.ProfileSchema, "json", diagnostics: true, null, ("profiles.json", Sample("profiles.json")));
        Assert.Equal("failed", (string)final["status"]!);

        var (_, listing) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/meta?path=row_errors");
        Assert.Equal("parsing_errors_0.json", (string)listing!["data"]![0]!["name"]!);
        var row = Assert.Single(await RowErrorsAsync(emulator, batch, "parsing_errors_0.json"));
        Assert.Equal("1403", (string)row["_errors"]![0]!["code"]!);
        Assert.Contains("isMultiLineJson", (string)row["_errors"]![0]!["message"]!);
        Assert.Equal("profiles.json", (string)row["_filename"]!);
        Assert.Equal("[", (string)row["_corrupt_record"]!);
    }

    [Fact]
    public async Task Parsing_and_conversion_errors_go_to_their_own_files()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var lines = "{\"_id\":\"1\"}\n{\"_id\": oops}\n{\"_id\":\"3\",\"shoeSize\":44,\"loyalty\":{\"points\":\"many\"}}\n";
        var (_, batch, _) = await IngestAsync(emulator, TestEmulator.ProfileSchema, "json", diagnostics: true, false, ("lines.json", lines));

        var (_, listing) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/meta?path=row_errors/");
        Assert.Equal(["conversion_errors_0.json", "parsing_errors_0.json"], listing!["data"]!.AsArray().Select(f => (string)f!["name"]!));

        var parsing = Assert.Single(await RowErrorsAsync(emulator, batch, "parsing_errors_0.json"));
        Assert.Equal("{\"_id\": oops}", (string)parsing["_corrupt_record"]!);
        Assert.Equal("1401", (string)parsing["_errors"]![0]!["code"]!);
        Assert.Equal(2, (long)parsing["_row"]!);

        var conversion = Assert.Single(await RowErrorsAsync(emulator, batch, "conversion_errors_0.json"));
        Assert.Equal(3, (long)conversion["_row"]!);
        var messages = conversion["_errors"]!.AsArray().Select(e => (string)e!["message"]!).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains("'shoeSize'"));
        Assert.Contains(messages, m => m.Contains("'loyalty.points'"));
    }

    [Fact]
    public async Task Without_diagnostics_row_errors_answer_INGEST_1211_and_failed_files_are_still_listed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var content = $"{Header}\nC1,gold,lots\n";
        var (_, batch, final) = await IngestAsync(emulator, TestEmulator.LoyaltySchema, "csv", diagnostics: false, null, ("bad.csv", content));
        Assert.Equal("failed", (string)final["status"]!);

        foreach (var path in new[] { "row_errors", "row_errors/conversion_errors_0.json" })
        {
            var (status, problem) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/meta?path={Uri.EscapeDataString(path)}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("https://ns.adobe.com/aep/errors/INGEST-1211-400", (string)problem!["type"]!);
            Assert.Contains("enableErrorDiagnostics", (string)problem["detail"]!);
        }

        var (_, failed) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/failed");
        var file = failed!["data"]!.AsArray().Single()!;
        Assert.Equal("bad.csv", (string)file["name"]!);
        Assert.Equal(Encoding.UTF8.GetByteCount(content).ToString(), (string)file["length"]!);
        Assert.EndsWith($"/failed?path=bad.csv", (string)file["_links"]!["self"]!["href"]!);

        // The failed file comes back as it was sent.
        Assert.Equal(content, await GetTextAsync(emulator, $"{Export}{batch}/failed?path=bad.csv"));
    }

    [Fact]
    public async Task Failed_files_are_only_those_with_problems_and_page_with_start_and_limit()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, batch, _) = await IngestAsync(emulator, TestEmulator.LoyaltySchema, "csv", diagnostics: true, null,
            ("a.csv", $"{Header}\nC1,gold,x\n"), ("good.csv", $"{Header}\nC2,gold,1\n"), ("dir/empty.csv", string.Empty), ("z.csv", "nope,points\nC1,2\n"));

        var (_, all) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/failed");
        Assert.Equal(["a.csv", "dir/empty.csv", "z.csv"], all!["data"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.Null(all["_links"]!["next"]);

        var (_, first) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/failed?limit=2");
        Assert.Equal(2, (int)first!["_page"]!["count"]!);
        var next = (string)first["_links"]!["next"]!["href"]!;
        Assert.Contains("start=2", next);
        var (_, second) = await emulator.SendJsonAsync(HttpMethod.Get, new Uri(next).PathAndQuery.TrimStart('/'));
        Assert.Equal("z.csv", (string)second!["data"]![0]!["name"]!);
        Assert.Null(second["_links"]!["next"]);

        Assert.Equal(string.Empty, await GetTextAsync(emulator, $"{Export}{batch}/failed?path={Uri.EscapeDataString("dir/empty.csv")}"));
        var (status, _) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/failed?path=good.csv");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_successful_batch_has_no_failed_files_and_no_row_errors()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, batch, final) = await IngestAsync(emulator, TestEmulator.LoyaltySchema, "csv", diagnostics: true, null, ("loyalty.csv", Sample("loyalty.csv")));
        Assert.Equal("active", (string)final["status"]!);

        var (_, failed) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/failed");
        Assert.Empty(failed!["data"]!.AsArray());
        var (_, rows) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/meta?path=row_errors");
        Assert.Empty(rows!["data"]!.AsArray());
        Assert.Equal(0, (int)rows["_page"]!["count"]!);
    }

    [Fact]
    public async Task Many_bad_rows_are_split_into_files_of_ten_thousand()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var csv = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 10_001; i++)
        {
            csv.Append("C").Append(i).Append(",gold,x").Append(i).Append('\n');
        }

        var (_, batch, _) = await IngestAsync(emulator, TestEmulator.LoyaltySchema, "csv", diagnostics: true, null, ("big.csv", csv.ToString()));

        var (_, listing) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/meta?path=row_errors");
        Assert.Equal(["conversion_errors_0.json", "conversion_errors_1.json"], listing!["data"]!.AsArray().Select(f => (string)f!["name"]!));
        var last = Assert.Single(await RowErrorsAsync(emulator, batch, "conversion_errors_1.json"));
        Assert.Equal(10_001, (long)last["_row"]!);
    }

    [Theory]
    [InlineData("meta", HttpStatusCode.BadRequest, "EXPORT-4001-400")]
    [InlineData("meta?path=input_files", HttpStatusCode.NotFound, "EXPORT-4002-404")]
    [InlineData("meta?path=row_errors/..%2Fbatch.json", HttpStatusCode.NotFound, "EXPORT-4002-404")]
    [InlineData("meta?path=row_errors/nothing.json", HttpStatusCode.NotFound, "EXPORT-4002-404")]
    [InlineData("failed?limit=101", HttpStatusCode.BadRequest, "EXPORT-4001-400")]
    [InlineData("failed?path=nothing.csv", HttpStatusCode.NotFound, "EXPORT-4002-404")]
    public async Task Wrong_requests_are_refused_naming_the_problem(string resource, HttpStatusCode expected, string code)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, batch, _) = await IngestAsync(emulator, TestEmulator.LoyaltySchema, "csv", diagnostics: true, null, ("a.csv", $"{Header}\nC1,gold,x\n"));

        var (status, problem) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/{resource}");

        Assert.Equal(expected, status);
        Assert.EndsWith(code, (string)problem!["type"]!);
    }

    [Fact]
    public async Task An_unknown_batch_is_404_and_the_gateway_checks_apply()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, problem) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Export}NOSUCHBATCH/failed");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("NOSUCHBATCH", (string)problem!["detail"]!);

        using var anonymous = await emulator.Http.GetAsync($"{Export}NOSUCHBATCH/meta?path=row_errors");
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Contains("403010", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Diagnostics_survive_a_restart()
    {
        using var directory = new TempDirectory();
        string batch;
        await using (var first = await TestEmulator.StartAsync(directory.Path))
        {
            (_, batch, _) = await IngestAsync(first, TestEmulator.LoyaltySchema, "csv", diagnostics: true, null, ("a.csv", $"{Header}\nC1,gold,x\n"));
        }

        await using var second = await TestEmulator.StartAsync(directory.Path);
        var row = Assert.Single(await RowErrorsAsync(second, batch, "conversion_errors_0.json"));
        Assert.Equal("a.csv", (string)row["_filename"]!);
        var (_, failed) = await second.SendJsonAsync(HttpMethod.Get, $"{Export}{batch}/failed");
        Assert.Equal("a.csv", (string)failed!["data"]![0]!["name"]!);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "batches", batch, "diagnostics.work")));
    }
}
