using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class BatchCreateTests
{
    private const string Batches = "data/foundation/import/batches";

    [Fact]
    public async Task Create_answers_201_with_the_documented_batch_shape()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject
        {
            ["datasetId"] = dataset,
            ["inputFormat"] = new JsonObject { ["format"] = "JSON", ["isMultiLineJson"] = true },
            ["tags"] = new JsonObject { ["source"] = new JsonArray("crm", "nightly") },
            ["externalId"] = "run-17",
        });

        Assert.Equal(HttpStatusCode.Created, status);
        var id = (string)body!["id"]!;
        Assert.Matches(new Regex("^[0-9A-HJKMNP-TV-Z]{26}$"), id);
        Assert.Equal("loading", (string)body["status"]!);
        Assert.Equal("EMULATORORG@AdobeOrg", (string)body["imsOrg"]!);
        Assert.Equal("1.0.0", (string)body["version"]!);
        Assert.Equal("dataSet", (string)body["relatedObjects"]![0]!["type"]!);
        Assert.Equal(dataset, (string)body["relatedObjects"]![0]!["id"]!);
        Assert.Equal("json", (string)body["inputFormat"]!["format"]!);
        Assert.True((bool)body["inputFormat"]!["isMultiLineJson"]!);
        Assert.Equal("nightly", (string)body["tags"]!["source"]![1]!);
        Assert.Equal("run-17", (string)body["externalId"]!);
        var created = (long)body["created"]!;
        Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        Assert.Equal(created, (long)body["updated"]!);
    }

    [Theory]
    [InlineData("parquet")]
    [InlineData("CSV")]
    [InlineData("Json")]
    public async Task Formats_are_case_insensitive_and_reported_lowercase(string format)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject
        {
            ["datasetId"] = dataset,
            ["inputFormat"] = new JsonObject { ["format"] = format },
        });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(format.ToLowerInvariant(), (string)body!["inputFormat"]!["format"]!);
    }

    [Fact]
    public async Task Unknown_dataset_is_404_naming_it()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject
        {
            ["datasetId"] = "5da9452f7de80400007fc52a",
            ["inputFormat"] = new JsonObject { ["format"] = "json" },
        });

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("5da9452f7de80400007fc52a", (string)body!["detail"]!);
        Assert.Equal(404, (int)body["status"]!);
        Assert.StartsWith("https://ns.adobe.com/aep/errors/INGEST-", (string)body["type"]!);
        Assert.NotNull(body["title"]);
    }

    [Theory]
    [InlineData("""{"inputFormat":{"format":"json"}}""", "datasetId")]
    [InlineData("""{"datasetId":"DATASET"}""", "inputFormat")]
    [InlineData("""{"datasetId":"DATASET","inputFormat":{}}""", "inputFormat.format")]
    [InlineData("""{"datasetId":"DATASET","inputFormat":{"format":"xml"}}""", "json, parquet, csv")]
    [InlineData("""{"datasetId":"DATASET","inputFormat":{"format":"json","isMultiLineJson":"yes"}}""", "isMultiLineJson")]
    [InlineData("""{"datasetId":"DATASET","inputFormat":{"format":"json"},"tags":{"a":"b"}}""", "Tag 'a'")]
    [InlineData("""{"datasetId":"DATASET","inputFormat":{"format":"json"},"replay":{"predecessors":["NOPREFIX"],"reason":"replace"}}""", "prefixed with '$'")]
    [InlineData("""{"datasetId":"DATASET","inputFormat":{"format":"json"},"replay":{"predecessors":["$01JD5Z000000000000000000AA"],"reason":"replace"}}""", "not an existing batch")]
    [InlineData("""{"datasetId":"DATASET","inputFormat":{"format":"json"},"replay":{"predecessors":[]}}""", "at least one")]
    [InlineData("""[1,2]""", "JSON object")]
    [InlineData("""{not json""", "not valid JSON")]
    public async Task Invalid_requests_are_400_saying_what_is_wrong(string template, string expected)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, template.Replace("DATASET", dataset));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string)body!["detail"]!);
    }

    [Fact]
    public async Task A_json_body_must_be_declared_as_json()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        using var response = await emulator.SendAsync(HttpMethod.Post, Batches,
            new StringContent($$$"""{"datasetId":"{{{dataset}}}","inputFormat":{"format":"json"}}""", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Replay_accepts_prefixed_predecessors_of_the_same_dataset_and_echoes_them()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var first = await emulator.CreateBatchAsync(dataset);
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject
        {
            ["datasetId"] = dataset,
            ["inputFormat"] = new JsonObject { ["format"] = "json" },
            ["replay"] = new JsonObject { ["predecessors"] = new JsonArray("$" + first), ["reason"] = "replace" },
        });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("$" + first, (string)body!["replay"]!["predecessors"]![0]!);
        Assert.Equal("replace", (string)body["replay"]!["reason"]!);

        var catalog = await emulator.GetBatchAsync((string)body["id"]!);
        Assert.Equal("$" + first, (string)catalog["replay"]!["predecessors"]![0]!);
    }

    [Fact]
    public async Task Replay_refuses_a_predecessor_of_another_dataset()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var other = await emulator.CreateDatasetAsync();
        var foreign = await emulator.CreateBatchAsync(other);
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject
        {
            ["datasetId"] = dataset,
            ["inputFormat"] = new JsonObject { ["format"] = "json" },
            ["replay"] = new JsonObject { ["predecessors"] = new JsonArray("$" + foreign), ["reason"] = "replace" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(other, (string)body!["detail"]!);
    }

    [Fact]
    public async Task Error_diagnostics_show_up_as_acp_tags()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var (_, body) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject
        {
            ["datasetId"] = dataset,
            ["inputFormat"] = new JsonObject { ["format"] = "json" },
            ["enableErrorDiagnostics"] = true,
        });

        Assert.Equal("true", (string)body!["tags"]!["acp_enableErrorDiagnostics"]![0]!);
    }
}
