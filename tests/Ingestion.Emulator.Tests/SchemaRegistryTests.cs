using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class SchemaRegistryTests
{
    private const string Schemas = "data/foundation/schemaregistry/tenant/schemas";

    private static JsonObject OrderSchema() => new()
    {
        ["title"] = "Orders",
        ["type"] = "object",
        ["description"] = "One row per order",
        ["properties"] = new JsonObject
        {
            ["orderId"] = new JsonObject { ["type"] = "string" },
            ["amount"] = new JsonObject { ["type"] = "number" },
            ["placed"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        },
    };

    private static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> GetAsync(TestEmulator emulator, string path, string? accept = null)
    {
        using var request = await emulator.RequestAsync(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await emulator.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_built_in_schemas_are_listed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await GetAsync(emulator, Schemas, "application/vnd.adobe.xed-id+json");

        Assert.Equal(HttpStatusCode.OK, status);
        var ids = body!["results"]!.AsArray().Select(r => (string)r!["$id"]!).ToList();
        Assert.Contains(TestEmulator.ProfileSchema, ids);
        Assert.Contains(TestEmulator.LoyaltySchema, ids);
        var profile = body["results"]!.AsArray().Single(r => (string)r!["$id"]! == TestEmulator.ProfileSchema)!;
        Assert.Equal("_emulator.schemas.demo-profile", (string)profile["meta:altId"]!);
        Assert.Equal("1.0", (string)profile["version"]!);
        Assert.Equal("Ingestion demo profile", (string)profile["title"]!);
        Assert.Equal(2, (int)body["_page"]!["count"]!);
    }

    [Theory]
    [InlineData("https%3A%2F%2Fns.adobe.com%2Femulator%2Fschemas%2Fdemo-profile")]
    [InlineData("_emulator.schemas.demo-profile")]
    public async Task A_schema_is_found_by_encoded_id_or_alt_id_in_full_form(string id)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, contentType) = await GetAsync(emulator, $"{Schemas}/{id}", "application/vnd.adobe.xed-full+json;version=1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/vnd.adobe.xed-full+json", contentType);
        Assert.Equal(TestEmulator.ProfileSchema, (string)body!["$id"]!);
        Assert.Equal("object", (string)body["properties"]!["person"]!["type"]!);
    }

    [Fact]
    public async Task Unknown_schema_is_404()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await GetAsync(emulator, $"{Schemas}/_emulator.schemas.nope");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("_emulator.schemas.nope", (string)body!["detail"]!);
    }

    [Fact]
    public async Task A_created_schema_gets_ids_and_can_back_a_dataset_that_ingests()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, created) = await emulator.SendJsonAsync(HttpMethod.Post, Schemas, OrderSchema());

        Assert.Equal(HttpStatusCode.Created, status);
        var id = (string)created!["$id"]!;
        Assert.Matches(new Regex("^https://ns.adobe.com/emulator/schemas/[0-9a-f]{32}$"), id);
        Assert.Equal("_emulator.schemas." + id[(id.LastIndexOf('/') + 1)..], (string)created["meta:altId"]!);
        Assert.Equal("1.0", (string)created["version"]!);
        Assert.Equal("Orders", (string)created["title"]!);

        var (getStatus, fetched, _) = await GetAsync(emulator, $"{Schemas}/{Uri.EscapeDataString(id)}", "application/vnd.adobe.xed-full+json;version=1");
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal("One row per order", (string)fetched!["description"]!);

        var final = await emulator.IngestAsync(id, "json", null, "orders.json",
            """{"orderId":"o-1","amount":"12.50","placed":"2025-03-01T10:00:00Z"}""");
        Assert.Equal("active", (string)final["status"]!);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{}}""", "title")]
    [InlineData("""{"title":"T","type":"array"}""", "type")]
    [InlineData("""{"title":"T","type":"object","allOf":[{"$ref":"https://ns.adobe.com/xdm/context/profile"}]}""", "$ref/allOf")]
    [InlineData("""{"title":"T","type":"object","properties":{"a":{"type":"text"}}}""", "'a'")]
    [InlineData("""{"title":"T","type":"object","properties":{"a":{"type":"integer","meta:xdmType":"date"}}}""", "meta:xdmType")]
    public async Task Schemas_the_emulator_cannot_use_are_400(string body, string expected)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, problem) = await emulator.SendJsonAsync(HttpMethod.Post, Schemas, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string)problem!["detail"]!);
    }

    [Fact]
    public async Task Listing_pages_with_limit_and_start()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await emulator.SendJsonAsync(HttpMethod.Post, Schemas, OrderSchema());

        var (_, first, _) = await GetAsync(emulator, Schemas + "?limit=2");
        Assert.Equal(2, first!["results"]!.AsArray().Count);
        Assert.Equal("2", (string)first["_page"]!["next"]!);

        var (_, rest, _) = await GetAsync(emulator, Schemas + "?limit=2&start=2");
        Assert.Single(rest!["results"]!.AsArray());
        Assert.Null(rest["_page"]!["next"]);
    }
}
