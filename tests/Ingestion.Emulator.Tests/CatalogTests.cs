using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class CatalogTests
{
    private const string DataSets = "data/foundation/catalog/dataSets";
    private const string Batches = "data/foundation/catalog/batches";

    [Fact]
    public async Task Creating_a_dataset_answers_its_path_in_an_array()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Post, DataSets, new JsonObject
        {
            ["name"] = "Profiles",
            ["description"] = "CRM export",
            ["schemaRef"] = new JsonObject { ["id"] = TestEmulator.ProfileSchema, ["contentType"] = "application/vnd.adobe.xed+json;version=1" },
            ["tags"] = new JsonObject { ["team"] = new JsonArray("crm") },
        });

        Assert.Equal(HttpStatusCode.Created, status);
        var path = (string)body!.AsArray().Single()!;
        Assert.Matches(new Regex("^@/dataSets/[0-9a-f]{24}$"), path);

        var id = path["@/dataSets/".Length..];
        var (getStatus, map) = await emulator.SendJsonAsync(HttpMethod.Get, $"{DataSets}/{id}");
        Assert.Equal(HttpStatusCode.OK, getStatus);
        var dataset = map![id]!;
        Assert.Equal("Profiles", (string)dataset["name"]!);
        Assert.Equal("CRM export", (string)dataset["description"]!);
        Assert.Equal(TestEmulator.ProfileSchema, (string)dataset["schemaRef"]!["id"]!);
        Assert.Equal("EMULATORORG@AdobeOrg", (string)dataset["imsOrg"]!);
        Assert.Equal("crm", (string)dataset["tags"]!["team"]![0]!);
        Assert.Equal("1.0.0", (string)dataset["version"]!);
        Assert.True((long)dataset["created"]! > 0);
        Assert.Equal((long)dataset["created"]!, (long)dataset["updated"]!);
    }

    [Fact]
    public async Task A_dataset_can_name_its_schema_by_alt_id()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var id = await emulator.CreateDatasetAsync("_emulator.schemas.demo-loyalty-csv");
        var (_, map) = await emulator.SendJsonAsync(HttpMethod.Get, $"{DataSets}/{id}");
        Assert.Equal(TestEmulator.LoyaltySchema, (string)map![id]!["schemaRef"]!["id"]!);
    }

    [Theory]
    [InlineData("""{"schemaRef":{"id":"https://ns.adobe.com/emulator/schemas/demo-profile"}}""", "'name'")]
    [InlineData("""{"name":"x"}""", "'schemaRef'")]
    [InlineData("""{"name":"x","schemaRef":{"id":"https://ns.adobe.com/acme/schemas/nope"}}""", "https://ns.adobe.com/acme/schemas/nope")]
    [InlineData("""{"name":"x","schemaRef":{"id":"https://ns.adobe.com/emulator/schemas/demo-profile"},"tags":["a"]}""", "tags")]
    public async Task Invalid_datasets_are_400(string body, string expected)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, problem) = await emulator.SendJsonAsync(HttpMethod.Post, DataSets, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string)problem!["detail"]!);
    }

    [Fact]
    public async Task Unknown_dataset_is_404()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, problem) = await emulator.SendJsonAsync(HttpMethod.Get, $"{DataSets}/000000000000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("000000000000000000000000", (string)problem!["detail"]!);
    }

    [Fact]
    public async Task Dataset_list_is_keyed_by_id_and_honours_name_limit_start_and_properties()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await emulator.CreateDatasetAsync(name: $"set-{i}"));
        }

        var (_, all) = await emulator.SendJsonAsync(HttpMethod.Get, DataSets);
        Assert.Equal(ids.Order(), all!.AsObject().Select(p => p.Key).Order());

        var (_, named) = await emulator.SendJsonAsync(HttpMethod.Get, DataSets + "?name=set-3");
        Assert.Equal(ids[3], named!.AsObject().Single().Key);

        var (_, page) = await emulator.SendJsonAsync(HttpMethod.Get, DataSets + "?limit=2&start=2&orderBy=asc:name");
        Assert.Equal(ids.Skip(2).Take(2), page!.AsObject().Select(p => p.Key));

        var (_, trimmed) = await emulator.SendJsonAsync(HttpMethod.Get, DataSets + "?properties=name,schemaRef&limit=1");
        var only = trimmed!.AsObject().Single().Value!.AsObject();
        Assert.Equal(new[] { "name", "schemaRef" }, only.Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData(DataSets + "?limit=101")]
    [InlineData(DataSets + "?limit=0")]
    [InlineData(DataSets + "?start=-1")]
    [InlineData(Batches + "?limit=500")]
    [InlineData(Batches + "?orderBy=sideways:created")]
    public async Task Out_of_range_list_parameters_are_400(string path)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, _) = await emulator.SendJsonAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Batch_is_returned_in_a_map_keyed_by_its_id_with_catalog_fields()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        await emulator.UploadOkAsync(batch, dataset, "a.json", """{"_id":"1"}""" + "\n" + """{"_id":"2"}""");
        await emulator.SignalAsync(batch, "COMPLETE");
        await emulator.WaitForFinalAsync(batch);

        var (status, map) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}/{batch}");
        Assert.Equal(HttpStatusCode.OK, status);
        var body = map!.AsObject();
        Assert.Equal(batch, body.Single().Key);
        var catalog = body[batch]!;
        Assert.Equal("active", (string)catalog["status"]!);
        Assert.Equal(2, (long)catalog["recordCount"]!);
        Assert.Equal(0, (long)catalog["failedRecordCount"]!);
        Assert.Equal(1, (long)catalog["metrics"]!["inputFileCount"]!);
        Assert.Equal(23, (long)catalog["metrics"]!["inputByteSize"]!);
        Assert.Equal(2, (long)catalog["metrics"]!["inputRecordCount"]!);
        Assert.Equal(2, (long)catalog["metrics"]!["outputRecordCount"]!);
        Assert.Equal(0, (long)catalog["metrics"]!["failedRecordCount"]!);
        Assert.Equal(23, (long)catalog["size"]!);
        Assert.Equal("json", (string)catalog["inputFormat"]!["format"]!);
        Assert.Equal(dataset, (string)catalog["relatedObjects"]![0]!["id"]!);
        Assert.NotNull(catalog["started"]);
        Assert.NotNull(catalog["completed"]);
        Assert.Equal("1.0.0", (string)catalog["version"]!);
    }

    [Fact]
    public async Task Unknown_batch_is_404()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, problem) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}/01JD5Z0000000000000000000X");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("01JD5Z0000000000000000000X", (string)problem!["detail"]!);
    }

    [Fact]
    public async Task Batch_list_filters_by_dataset_and_status_newest_first()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var other = await emulator.CreateDatasetAsync();
        var first = await emulator.CreateBatchAsync(dataset);
        await Task.Delay(5);
        var second = await emulator.CreateBatchAsync(dataset);
        await Task.Delay(5);
        var foreign = await emulator.CreateBatchAsync(other);
        await emulator.SignalAsync(second, "ABORT");

        var (_, forDataset) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?dataSet={dataset}");
        Assert.Equal(new[] { second, first }, forDataset!.AsObject().Select(p => p.Key));

        var (_, aborted) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?status=aborted");
        Assert.Equal(second, aborted!.AsObject().Single().Key);

        var (_, limited) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?limit=1");
        Assert.Equal(foreign, limited!.AsObject().Single().Key);

        var (_, ascending) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?orderBy=asc:created&limit=1");
        Assert.Equal(first, ascending!.AsObject().Single().Key);
    }

    [Fact]
    public async Task Batch_list_filters_by_externalId_so_a_client_can_find_a_create_whose_answer_was_lost()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        async Task<string> CreateAsync(string? externalId)
        {
            var body = new JsonObject { ["datasetId"] = dataset, ["inputFormat"] = new JsonObject { ["format"] = "json" } };
            if (externalId is not null)
            {
                body["externalId"] = externalId;
            }

            var (status, created) = await emulator.SendJsonAsync(HttpMethod.Post, "data/foundation/import/batches", body);
            Assert.Equal(HttpStatusCode.Created, status);
            return (string)created!["id"]!;
        }

        var wanted = await CreateAsync("run-42");
        await CreateAsync("run-43");
        var defaulted = await CreateAsync(null);

        var (status, found) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?externalId=run-42");
        Assert.Equal(HttpStatusCode.OK, status);
        var single = found!.AsObject().Single();
        Assert.Equal(wanted, single.Key);
        Assert.Equal("run-42", (string)single.Value!["externalId"]!);

        var (_, combined) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?externalId=run-42&dataSet={dataset}");
        Assert.Equal(wanted, combined!.AsObject().Single().Key);

        var (_, none) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?externalId=run-99");
        Assert.Empty(none!.AsObject());

        // Without an externalId of its own, a batch's externalId is its id.
        var (_, byId) = await emulator.SendJsonAsync(HttpMethod.Get, $"{Batches}?externalId={defaulted}");
        Assert.Equal(defaulted, byId!.AsObject().Single().Key);
    }
}
