using System.Net;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>Profile upserts (batch ingestion guide): a dataset tagged <c>unifiedProfile: isUpsert:true</c> takes Parquet batches only.</summary>
public sealed class UpsertTests
{
    private const string Batches = "data/foundation/import/batches";

    private static async Task<string> CreateDatasetAsync(TestEmulator emulator, params string[] unifiedProfile)
    {
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, "data/foundation/catalog/dataSets", new JsonObject
        {
            ["name"] = "upserts",
            ["schemaRef"] = new JsonObject { ["id"] = TestEmulator.ProfileSchema, ["contentType"] = "application/vnd.adobe.xed+json;version=1" },
            ["tags"] = new JsonObject { ["unifiedProfile"] = new JsonArray(unifiedProfile.Select(v => (JsonNode)v).ToArray()) },
        });
        Assert.Equal(HttpStatusCode.Created, status);
        return ((string)body![0]!)["@/dataSets/".Length..];
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body)> CreateBatchAsync(TestEmulator emulator, string dataset, string format) =>
        emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject
        {
            ["datasetId"] = dataset,
            ["inputFormat"] = new JsonObject { ["format"] = format },
        });

    [Theory]
    [InlineData("json")]
    [InlineData("CSV")]
    public async Task An_upsert_dataset_refuses_other_formats_naming_the_rule(string format)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await CreateDatasetAsync(emulator, "enabled:true", "isUpsert:true");

        var (status, problem) = await CreateBatchAsync(emulator, dataset, format);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("https://ns.adobe.com/aep/errors/INGEST-1016-400", (string)problem!["type"]!);
        var detail = (string)problem["detail"]!;
        Assert.Contains("isUpsert:true", detail);
        Assert.Contains("Parquet", detail);
        Assert.Contains($"'{format.ToLowerInvariant()}'", detail);
    }

    [Fact]
    public async Task An_upsert_dataset_takes_parquet_and_other_datasets_take_anything()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var upsert = await CreateDatasetAsync(emulator, "isUpsert:TRUE");
        var profileOnly = await CreateDatasetAsync(emulator, "enabled:true");

        Assert.Equal(HttpStatusCode.Created, (await CreateBatchAsync(emulator, upsert, "parquet")).Status);
        Assert.Equal(HttpStatusCode.Created, (await CreateBatchAsync(emulator, profileOnly, "json")).Status);
    }

    [Fact]
    public async Task An_upsert_dataset_from_the_config_file_follows_the_same_rule()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.Combine("emulator.config.json"), """
            { "datasets": [ { "id": "0123456789abcdef0123abcd", "name": "Upserts", "schemaId": "_emulator.schemas.demo-profile",
                              "tags": { "unifiedProfile": ["enabled:true", "isUpsert:true"] } } ] }
            """);
        await using var emulator = await TestEmulator.StartAsync(directory.Path);

        Assert.Equal(HttpStatusCode.BadRequest, (await CreateBatchAsync(emulator, "0123456789abcdef0123abcd", "json")).Status);
        Assert.Equal(HttpStatusCode.Created, (await CreateBatchAsync(emulator, "0123456789abcdef0123abcd", "parquet")).Status);
    }
}
