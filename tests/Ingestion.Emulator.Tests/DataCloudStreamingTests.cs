using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>Data Cloud streaming ingestion: upsert, delete, the test action, limits and the records view.</summary>
public sealed class DataCloudStreamingTests
{
    private const string Orders = "api/v1/ingest/sources/emulator_connector/orders";

    private static JsonObject Order(string id, int amount = 1) => new()
    {
        ["order_id"] = id,
        ["customer_id"] = "c-1",
        ["amount"] = amount,
        ["currency"] = "EUR",
        ["created"] = "2026-01-31T13:45:00.000Z",
    };

    private static JsonObject Data(params JsonObject[] records) => new() { ["data"] = new JsonArray([.. records.Select(r => r.DeepClone())]) };

    [Fact]
    public async Task Records_are_upserted_and_deleted_and_visible()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync();

        var (status, body) = await session.JsonAsync(HttpMethod.Post, Orders, Data(Order("o-1"), Order("o-2"), Order("o-3")));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True((bool)body!["accepted"]!);
        Assert.Equal(3, (await session.RecordsAsync("orders")).Count);

        // Full replace.
        var replacement = Order("o-1", 99);
        replacement["currency"] = "";
        await session.JsonAsync(HttpMethod.Post, Orders, Data(replacement));
        var first = (await session.RecordsAsync("orders"))[0]!;
        Assert.Equal(99, (int)first["amount"]!);
        Assert.Equal("", (string)first["currency"]!);

        var (deleteStatus, deleted) = await session.JsonAsync(HttpMethod.Delete, Orders + "?ids=o-1,o-2");
        Assert.Equal(HttpStatusCode.Accepted, deleteStatus);
        Assert.True((bool)deleted!["accepted"]!);
        var (bodyDelete, _) = await session.JsonAsync(HttpMethod.Delete, Orders, new JsonObject { ["ids"] = new JsonArray("o-3") });
        Assert.Equal(HttpStatusCode.Accepted, bodyDelete);
        Assert.Empty(await session.RecordsAsync("orders"));
    }

    [Fact]
    public async Task Records_missing_a_field_or_with_bad_values_are_refused()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync();

        var missing = Order("o-1");
        missing.Remove("currency");
        var (status, body) = await session.JsonAsync(HttpMethod.Post, Orders, Data(Order("o-0"), missing));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        DataCloudSession.AssertError(body, "INVALID_INPUT", "'currency'");

        var bad = Order("o-1");
        bad["amount"] = "lots";
        Assert.Equal(HttpStatusCode.BadRequest, (await session.JsonAsync(HttpMethod.Post, Orders, Data(bad))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.JsonAsync(HttpMethod.Post, Orders, new JsonObject { ["data"] = new JsonArray() })).Status);
        Assert.Empty(await session.RecordsAsync("orders"));

        var (unknown, unknownBody) = await session.JsonAsync(HttpMethod.Post, "api/v1/ingest/sources/emulator_connector/nope", Data(Order("o-1")));
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        DataCloudSession.AssertError(unknownBody, "NOT_FOUND");
    }

    [Fact]
    public async Task Payloads_over_200_KB_and_deletes_over_200_ids_are_refused()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync();

        static string Padded(int size)
        {
            var record = Order("o-1");
            record["customer_id"] = "";
            var empty = Data(record).ToJsonString().Length;
            record["customer_id"] = new string('x', size - empty);
            var json = Data(record).ToJsonString();
            Assert.Equal(size, Encoding.UTF8.GetByteCount(json));
            return json;
        }

        var (ok, _, okResponse) = await session.SendAsync(HttpMethod.Post, Orders, new StringContent(Padded(204800), Encoding.UTF8, "application/json"));
        okResponse.Dispose();
        Assert.Equal(HttpStatusCode.Accepted, ok);
        var (tooLarge, tooLargeBody, tooLargeResponse) = await session.SendAsync(HttpMethod.Post, Orders, new StringContent(Padded(204801), Encoding.UTF8, "application/json"));
        tooLargeResponse.Dispose();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
        DataCloudSession.AssertError(JsonNode.Parse(tooLargeBody), "PAYLOAD_TOO_LARGE", "204800");

        var ids = string.Join(',', Enumerable.Range(0, 200).Select(i => $"o-{i}"));
        Assert.Equal(HttpStatusCode.Accepted, (await session.JsonAsync(HttpMethod.Delete, Orders + "?ids=" + ids)).Status);
        var (tooMany, tooManyBody) = await session.JsonAsync(HttpMethod.Delete, Orders + "?ids=" + ids + ",o-200");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        DataCloudSession.AssertError(tooManyBody, "INVALID_INPUT", "200");
        var body = new JsonObject { ["ids"] = new JsonArray([.. Enumerable.Range(0, 201).Select(i => (JsonNode)$"o-{i}")]) };
        Assert.Equal(HttpStatusCode.BadRequest, (await session.JsonAsync(HttpMethod.Delete, Orders, body)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.JsonAsync(HttpMethod.Delete, Orders)).Status);
    }

    [Fact]
    public async Task The_test_action_reports_failing_records_and_stores_nothing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync();

        var (validStatus, valid) = await session.JsonAsync(HttpMethod.Post, Orders + "/actions/test", Data(Order("o-1")));
        Assert.Equal(HttpStatusCode.OK, validStatus);
        Assert.Empty((JsonArray)valid!["validationReport"]!);

        var missing = Order("o-2");
        missing.Remove("created");
        var badDate = Order("o-3");
        badDate["created"] = "31/01/2026";
        var (status, report) = await session.JsonAsync(HttpMethod.Post, Orders + "/actions/test", Data(Order("o-1"), missing, badDate));
        Assert.Equal(HttpStatusCode.OK, status);
        var entries = (JsonArray)report!["validationReport"]!;
        Assert.Equal([1, 2], entries.Select(e => (int)e!["recordIndex"]!));
        Assert.Contains("'created' is missing", (string)entries[0]!["errors"]![0]!);
        Assert.Contains("31/01/2026", (string)entries[1]!["errors"]![0]!);
        Assert.Empty(await session.RecordsAsync("orders"));
    }

    [Fact]
    public async Task More_than_250_requests_a_second_are_throttled()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var emulator = await TestEmulator.StartAsync(time: time);
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync(time.GetUtcNow());

        for (var i = 0; i < 250; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await session.JsonAsync(HttpMethod.Post, Orders + "/actions/test", Data(Order("o-1")))).Status);
        }

        var (status, body, response) = await session.SendAsync(HttpMethod.Post, Orders, new StringContent(Data(Order("o-1")).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        response.Dispose();
        DataCloudSession.AssertError(JsonNode.Parse(body), "LIMIT_EXCEEDED", "250");

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Accepted, (await session.JsonAsync(HttpMethod.Post, Orders, Data(Order("o-1")))).Status);
    }

    [Fact]
    public async Task Streamed_records_survive_a_restart()
    {
        using var directory = new TempDirectory();
        await using (var first = await TestEmulator.StartAsync(dataDirectory: directory.Path))
        {
            var session = new DataCloudSession(first);
            await session.ConnectAsync();
            Assert.Equal(HttpStatusCode.Accepted, (await session.JsonAsync(HttpMethod.Post, Orders, Data(Order("o-1"), Order("o-2")))).Status);
        }

        await using var second = await TestEmulator.StartAsync(dataDirectory: directory.Path);
        var again = new DataCloudSession(second);
        Assert.Equal(2, (await again.RecordsAsync("orders")).Count);
    }
}
