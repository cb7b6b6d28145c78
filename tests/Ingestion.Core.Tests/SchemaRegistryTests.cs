using System.Net;
using System.Text.Json.Nodes;
using Ingestion.Core.Aep;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>The Schema Registry client against the emulator's registry.</summary>
public class SchemaRegistryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static JsonObject Orders(string title = "Orders") => new()
    {
        ["title"] = title,
        ["type"] = "object",
        ["description"] = "One order per record.",
        ["properties"] = new JsonObject
        {
            ["orderId"] = new JsonObject { ["type"] = "string" },
            ["amount"] = new JsonObject { ["type"] = "number" },
        },
    };

    [Fact]
    public async Task A_schema_is_read_by_its_url_encoded_id_as_the_full_document()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        var schema = await session.Schemas.GetSchemaAsync(Samples.LoyaltySchema, None);

        Assert.Equal(Samples.LoyaltySchema, schema.Id);
        Assert.Equal("_emulator.schemas.demo-loyalty-csv", schema.AltId);
        Assert.Equal("Ingestion demo loyalty (CSV, ad-hoc)", schema.Title);
        Assert.Equal("1.0", schema.Version);
        Assert.NotNull(schema.Description);
        Assert.Equal("integer", (string)schema.Document["properties"]!["points"]!["type"]!);
        Assert.Contains("\"customerId\"", schema.ToJson());
        Assert.Contains("\n", schema.ToJson(indented: true));

        var request = handler.PlatformRequests.Single();
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.EndsWith("/tenant/schemas/https%3A%2F%2Fns.adobe.com%2Femulator%2Fschemas%2Fdemo-loyalty-csv", request.Uri.AbsoluteUri);
        Assert.Equal(SchemaRegistryClient.FullSchemaContentType, request.Headers["Accept"].Replace(" ", string.Empty));
    }

    [Fact]
    public async Task A_schema_is_read_by_its_alt_id_too()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var schema = await session.Schemas.GetSchemaAsync("_emulator.schemas.demo-profile", None);

        Assert.Equal(Samples.ProfileSchema, schema.Id);
        Assert.IsType<JsonObject>(schema.Document["properties"]!["person"]);
    }

    [Fact]
    public async Task An_unknown_schema_is_not_found()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        const string id = "https://ns.adobe.com/emulator/schemas/nothing-here";

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Schemas.GetSchemaAsync(id, None));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal(id, ex.Target);
        Assert.Contains(id, ex.ServiceMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(" https://ns.adobe.com/x")]
    [InlineData("https://ns.adobe.com/x\n")]
    public async Task A_schema_id_that_cannot_be_sent_is_refused_before_any_request(string id)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Schemas.GetSchemaAsync(id, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("SchemaId", ex.Message);
        Assert.Empty(handler.PlatformRequests);
    }

    [Fact]
    public async Task A_created_schema_gets_its_id_from_the_registry_and_reads_back()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var created = await session.Schemas.CreateSchemaAsync(Orders(), None);
        var read = await session.Schemas.GetSchemaAsync(created.Id, None);

        Assert.StartsWith("https://ns.adobe.com/emulator/schemas/", created.Id);
        Assert.StartsWith("_emulator.schemas.", created.AltId);
        Assert.Equal("Orders", created.Title);
        Assert.Equal(created.Id, read.Id);
        Assert.Equal("number", (string)read.Document["properties"]!["amount"]!["type"]!);
        Assert.Equal("One order per record.", read.Description);
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_says_the_schema_may_exist_instead_of_advising_a_retry()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = async (request, ct) =>
        {
            if (request.Method != HttpMethod.Post || !request.RequestUri!.AbsolutePath.EndsWith("/tenant/schemas", StringComparison.Ordinal))
            {
                return null;
            }

            using var response = await handler.PassOnAsync(request, ct);
            throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"));
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Schemas.CreateSchemaAsync(Orders(), None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal("Orders", ex.Target);
        Assert.Contains("Schema 'Orders' may have been created", ex.Message);
        Assert.Contains("duplicate", ex.RecommendedAction);
        Assert.DoesNotContain("-MaxRetries", ex.RecommendedAction);
        Assert.Equal(1, handler.Count(HttpMethod.Post, "/tenant/schemas"));
    }

    [Fact]
    public async Task A_schema_the_registry_refuses_is_an_invalid_argument()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Schemas.CreateSchemaAsync(new JsonObject { ["type"] = "object" }, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("title", ex.ServiceMessage);
    }

    [Fact]
    public async Task Listing_follows_the_registrys_next_page()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            await session.Schemas.CreateSchemaAsync(Orders($"Orders {i:000}"), ct));
        var before = handler.Requests.Count;

        var listed = new List<XdmSchemaSummary>();
        await foreach (var schema in session.Schemas.ListSchemasAsync(None))
        {
            listed.Add(schema);
        }

        Assert.Equal(102, listed.Count);
        Assert.Equal(102, listed.Select(s => s.Id).Distinct().Count());
        Assert.Contains(listed, s => s.Id == Samples.ProfileSchema && s.AltId == "_emulator.schemas.demo-profile" && s.Version == "1.0");
        var pages = handler.Requests.Skip(before).ToArray();
        Assert.Equal(2, pages.Length);
        Assert.Equal("?limit=100", pages[0].Uri.Query);
        Assert.Equal("?limit=100&start=100", pages[1].Uri.Query);
        Assert.All(pages, p => Assert.Equal(SchemaRegistryClient.IdListContentType, p.Headers["Accept"]));
    }

    [Fact]
    public async Task A_datasets_schema_is_found_through_catalog()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.LoyaltyDatasetAsync();

        var schema = await session.Schemas.GetDatasetSchemaAsync(dataset.Id, None);

        Assert.Equal(Samples.LoyaltySchema, schema.Id);
        Assert.Equal(dataset.SchemaId, schema.Id);
    }

    [Fact]
    public async Task Reading_a_schema_is_retried_like_any_read()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var failures = 0;
        handler.Intercept = (request, _) => Task.FromResult(
            request.RequestUri!.AbsolutePath.Contains("/schemaregistry/") && Interlocked.Increment(ref failures) <= 2
                ? RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable)
                : null);

        var schema = await session.Schemas.GetSchemaAsync(Samples.ProfileSchema, None);

        Assert.Equal(Samples.ProfileSchema, schema.Id);
        Assert.Equal(3, handler.Count(HttpMethod.Get, "/schemaregistry/"));
    }
}
