using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>Data Cloud bulk jobs: the documented shapes, every state transition, CSV rules, limits and persistence.</summary>
public sealed class DataCloudBulkTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private const string OrdersCsv = "order_id,customer_id,amount,currency,created,ignored_column\r\n"
        + "o-1,c-1,12.50,EUR,2026-01-31T13:45:00.000Z,x\r\n"
        + "\"o-2\",c-2,\"7\",\"US,D\",,y\n";

    private static async Task<(TestEmulator Emulator, DataCloudSession Session)> StartAsync(ManualTimeProvider? time = null, string? dataDirectory = null)
    {
        var emulator = await TestEmulator.StartAsync(time: time, dataDirectory: dataDirectory);
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync(time?.GetUtcNow());
        return (emulator, session);
    }

    [Fact]
    public async Task An_upsert_job_goes_from_open_to_job_complete_and_its_records_are_stored()
    {
        var (emulator, session) = await StartAsync();
        await using var _ = emulator;

        var job = await session.CreateJobAsync();
        var id = (string)job["id"]!;
        Assert.True(Guid.TryParse(id, out var _));
        Assert.Equal("upsert", (string)job["operation"]!);
        Assert.Equal("orders", (string)job["object"]!);
        Assert.Equal("emulator_connector", (string)job["sourceName"]!);
        Assert.StartsWith("005", (string)job["createdById"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)job["createdDate"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)job["systemModstamp"]!);
        Assert.Equal("Open", (string)job["state"]!);
        Assert.Equal("CSV", (string)job["contentType"]!);
        Assert.Equal("v1", (string)job["apiVersion"]!);
        Assert.Equal($"api/v1/ingest/jobs/{id}/batches", (string)job["contentUrl"]!);

        var (uploadStatus, uploadBody) = await session.UploadAsync(id, OrdersCsv);
        Assert.Equal(HttpStatusCode.Accepted, uploadStatus);
        Assert.Empty(uploadBody);

        var (closeStatus, closed) = await session.SetStateAsync(id, "UploadComplete");
        Assert.Equal(HttpStatusCode.OK, closeStatus);
        Assert.Equal("UploadComplete", (string)closed!["state"]!);

        // Not uploadable, not closable twice, not abortable once closed.
        var (late, lateBody) = await session.UploadAsync(id, OrdersCsv);
        Assert.Equal(HttpStatusCode.Conflict, late);
        DataCloudSession.AssertError(JsonNode.Parse(lateBody), "JOB_NOT_OPEN");
        var (again, againBody) = await session.SetStateAsync(id, "UploadComplete");
        Assert.Equal(HttpStatusCode.Conflict, again);
        DataCloudSession.AssertError(againBody, "INVALID_JOB_STATE");

        var done = await session.WaitForJobAsync(id);
        Assert.Equal("JobComplete", (string)done["state"]!);
        Assert.Equal(2, (int)done["numberRecordsProcessed"]!);
        Assert.Equal(0, (int)done["numberRecordsFailed"]!);

        var (abort, abortBody) = await session.SetStateAsync(id, "Aborted");
        Assert.Equal(HttpStatusCode.Conflict, abort);
        DataCloudSession.AssertError(abortBody, "INVALID_JOB_STATE", "JobComplete");

        var records = await session.RecordsAsync("orders");
        Assert.Equal(2, records.Count);
        Assert.Equal("o-1", (string)records[0]!["order_id"]!);
        Assert.Equal(12.50m, (decimal)records[0]!["amount"]!);
        Assert.Equal("US,D", (string)records[1]!["currency"]!);
        Assert.Null(records[1]!["created"]);
        Assert.False(((JsonObject)records[0]!).ContainsKey("ignored_column"));

        var (deleteStatus, deleteBody, deleteResponse) = await session.SendAsync(HttpMethod.Delete, $"api/v1/ingest/jobs/{id}");
        deleteResponse.Dispose();
        Assert.Equal(HttpStatusCode.NoContent, deleteStatus);
        Assert.Empty(deleteBody);
        var (gone, goneBody) = await session.JsonAsync(HttpMethod.Get, $"api/v1/ingest/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        DataCloudSession.AssertError(goneBody, "NOT_FOUND");
    }

    [Fact]
    public async Task Open_jobs_cannot_be_deleted_aborted_jobs_can_and_lose_their_data()
    {
        var (emulator, session) = await StartAsync();
        await using var _ = emulator;
        var id = (string)(await session.CreateJobAsync())["id"]!;
        Assert.Equal(HttpStatusCode.Accepted, (await session.UploadAsync(id, OrdersCsv)).Status);

        var (deleteStatus, deleteBody, response) = await session.SendAsync(HttpMethod.Delete, $"api/v1/ingest/jobs/{id}");
        response.Dispose();
        Assert.Equal(HttpStatusCode.Conflict, deleteStatus);
        DataCloudSession.AssertError(JsonNode.Parse(deleteBody), "INVALID_JOB_STATE", "Open");

        var (abortStatus, aborted) = await session.SetStateAsync(id, "Aborted");
        Assert.Equal(HttpStatusCode.OK, abortStatus);
        Assert.Equal("Aborted", (string)aborted!["state"]!);
        Assert.False(Directory.Exists(Path.Combine(emulator.DataDirectory, "datacloud", "jobs", id, "files")));
        Assert.Equal(HttpStatusCode.Conflict, (await session.UploadAsync(id, OrdersCsv)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await session.SetStateAsync(id, "UploadComplete")).Status);
        Assert.Empty(await session.RecordsAsync("orders"));

        var (badState, badStateBody) = await session.SetStateAsync(id, "JobComplete");
        Assert.Equal(HttpStatusCode.BadRequest, badState);
        DataCloudSession.AssertError(badStateBody, "INVALID_INPUT");

        var (finalDelete, _, finalResponse) = await session.SendAsync(HttpMethod.Delete, $"api/v1/ingest/jobs/{id}");
        finalResponse.Dispose();
        Assert.Equal(HttpStatusCode.NoContent, finalDelete);
    }

    [Fact]
    public async Task A_row_with_a_bad_value_fails_the_job_and_nothing_is_applied()
    {
        var (emulator, session) = await StartAsync();
        await using var _ = emulator;
        var id = (string)(await session.CreateJobAsync())["id"]!;
        Assert.Equal(HttpStatusCode.Accepted, (await session.UploadAsync(id, "order_id,amount,created\no-1,1,\no-2,lots,\no-3,3,yesterday\n")).Status);
        Assert.Equal(HttpStatusCode.OK, (await session.SetStateAsync(id, "UploadComplete")).Status);

        var job = await session.WaitForJobAsync(id);
        Assert.Equal("Failed", (string)job["state"]!);
        Assert.Equal(3, (int)job["numberRecordsProcessed"]!);
        Assert.Equal(2, (int)job["numberRecordsFailed"]!);
        Assert.Contains("'lots' is not a number", (string)job["errorMessage"]!);
        Assert.Empty(await session.RecordsAsync("orders"));
    }

    [Fact]
    public async Task Delete_jobs_take_headerless_csv_with_an_optional_datetime()
    {
        var (emulator, session) = await StartAsync();
        await using var _ = emulator;
        var upsert = (string)(await session.CreateJobAsync("customers"))["id"]!;
        Assert.Equal(HttpStatusCode.Accepted, (await session.UploadAsync(upsert, "customer_id,email\nc-1,a@x.invalid\nc-2,b@x.invalid\nc-3,c@x.invalid\n")).Status);
        await session.SetStateAsync(upsert, "UploadComplete");
        Assert.Equal("JobComplete", (string)(await session.WaitForJobAsync(upsert))["state"]!);
        Assert.Equal(3, (await session.RecordsAsync("customers")).Count);

        var delete = (string)(await session.CreateJobAsync("customers", "delete"))["id"]!;
        Assert.Equal("delete", (string)(await session.JsonAsync(HttpMethod.Get, $"api/v1/ingest/jobs/{delete}")).Body!["operation"]!);

        var (header, headerBody) = await session.UploadAsync(delete, "customer_id\nc-1\n");
        Assert.Equal(HttpStatusCode.BadRequest, header);
        DataCloudSession.AssertError(JsonNode.Parse(headerBody), "INVALID_INPUT", "no header");
        Assert.Equal(HttpStatusCode.BadRequest, (await session.UploadAsync(delete, "c-1,2026-01-01T00:00:00.000Z,extra\n")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.UploadAsync(delete, "c-1,not-a-date\n")).Status);

        Assert.Equal(HttpStatusCode.Accepted, (await session.UploadAsync(delete, "c-1,2026-01-01T00:00:00.000Z\nc-2\n")).Status);
        await session.SetStateAsync(delete, "UploadComplete");
        var job = await session.WaitForJobAsync(delete);
        Assert.Equal("JobComplete", (string)job["state"]!);
        var left = Assert.Single(await session.RecordsAsync("customers"));
        Assert.Equal("c-3", (string)left!["customer_id"]!);
    }

    [Fact]
    public async Task Uploads_must_be_utf8_csv_with_the_primary_key_column_within_the_limits()
    {
        var (emulator, session) = await StartAsync();
        await using var _ = emulator;
        var id = (string)(await session.CreateJobAsync())["id"]!;

        var (latin1, latin1Body) = await session.UploadAsync(id, Encoding.Latin1.GetBytes("order_id,currency\no-1,\u00e9\n"));
        Assert.Equal(HttpStatusCode.BadRequest, latin1);
        DataCloudSession.AssertError(JsonNode.Parse(latin1Body), "INVALID_INPUT", "UTF-8");

        var (noKey, noKeyBody) = await session.UploadAsync(id, "customer_id,amount\nc-1,1\n");
        Assert.Equal(HttpStatusCode.BadRequest, noKey);
        DataCloudSession.AssertError(JsonNode.Parse(noKeyBody), "INVALID_INPUT", "'order_id'");

        Assert.Equal(HttpStatusCode.BadRequest, (await session.UploadAsync(id, "order_id,amount\no-1,1,2\n")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.UploadAsync(id, "order_id;amount\no-1;1\n")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.UploadAsync(id, "order_id,amount\n\"o-1,1\n")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await session.UploadAsync(id, Encoding.UTF8.GetBytes(OrdersCsv), "application/json")).Status);

        // A BOM is fine.
        Assert.Equal(HttpStatusCode.Accepted, (await session.UploadAsync(id, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(OrdersCsv)])).Status);

        // Above 150 MB: refused from Content-Length before any byte of the body is read.
        var tooLarge = await RawHttp.SendHeadOnlyAsync(emulator.Endpoint, "PUT", $"/api/v1/ingest/jobs/{id}/batches",
        [
            new("Authorization", "Bearer " + session.Token),
            new("Content-Type", "text/csv"),
            new("Content-Length", (150L * 1024 * 1024 + 1).ToString()),
        ]);
        Assert.Equal(413, tooLarge.Status);
        DataCloudSession.AssertError(JsonNode.Parse(tooLarge.Body), "PAYLOAD_TOO_LARGE", "157286400");

        for (var i = 1; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await session.UploadAsync(id, $"order_id\no-{i}\n")).Status);
        }

        var (tooMany, tooManyBody) = await session.UploadAsync(id, "order_id\no-101\n");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        DataCloudSession.AssertError(JsonNode.Parse(tooManyBody), "LIMIT_EXCEEDED", "100 files");
    }

    [Fact]
    public async Task Unknown_sources_objects_and_operations_are_refused()
    {
        var (emulator, session) = await StartAsync();
        await using var _ = emulator;
        async Task<(HttpStatusCode, JsonNode?)> Create(string source, string obj, string operation) =>
            await session.JsonAsync(HttpMethod.Post, "api/v1/ingest/jobs", new JsonObject { ["object"] = obj, ["sourceName"] = source, ["operation"] = operation });

        var (source, sourceBody) = await Create("nope", "orders", "upsert");
        Assert.Equal(HttpStatusCode.NotFound, source);
        DataCloudSession.AssertError(sourceBody, "NOT_FOUND", "'nope'");
        Assert.Equal(HttpStatusCode.NotFound, (await Create("emulator_connector", "nope", "upsert")).Item1);
        Assert.Equal(HttpStatusCode.BadRequest, (await Create("emulator_connector", "orders", "insert")).Item1);
        Assert.Equal(HttpStatusCode.NotFound, (await session.JsonAsync(HttpMethod.Get, $"api/v1/ingest/jobs/{Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task Jobs_are_listed_with_paging_order_and_state_filters()
    {
        var time = new ManualTimeProvider(Start);
        var (emulator, session) = await StartAsync(time);
        await using var _ = emulator;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((string)(await session.CreateJobAsync())["id"]!);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await session.SetStateAsync(ids[0], "Aborted");

        var (status, page) = await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs?limit=2&orderBy=createdDate");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([ids[0], ids[1]], ((JsonArray)page!["data"]!).Select(j => (string)j!["id"]!));
        Assert.False((bool)page["done"]!);
        var next = (string)page["nextRecordsUrl"]!;
        Assert.Contains("offset=2", next);
        var (_, rest) = await session.JsonAsync(HttpMethod.Get, next.TrimStart('/'));
        Assert.Equal([ids[2]], ((JsonArray)rest!["data"]!).Select(j => (string)j!["id"]!));
        Assert.True((bool)rest["done"]!);

        var (_, open) = await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs?states=Open,UploadComplete");
        Assert.Equal(2, ((JsonArray)open!["data"]!).Count);
        var (_, aborted) = await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs?states=Aborted");
        Assert.Equal(ids[0], (string)((JsonArray)aborted!["data"]!).Single()!["id"]!);

        Assert.Equal(HttpStatusCode.BadRequest, (await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs?limit=101")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs?states=Done")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs?orderBy=color")).Status);
    }

    [Fact]
    public async Task At_most_five_jobs_run_at_once_and_twenty_are_created_per_hour()
    {
        var time = new ManualTimeProvider(Start);
        var (emulator, session) = await StartAsync(time);
        await using var _ = emulator;
        var open = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            open.Add((string)(await session.CreateJobAsync())["id"]!);
        }

        var (status, body, response) = await session.SendAsync(HttpMethod.Post, "api/v1/ingest/jobs",
            new StringContent("""{"object":"orders","sourceName":"emulator_connector","operation":"upsert"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        response.Dispose();
        DataCloudSession.AssertError(JsonNode.Parse(body), "LIMIT_EXCEEDED", "5");

        foreach (var id in open)
        {
            await session.SetStateAsync(id, "Aborted");
        }

        // 5 created at Start; 15 more ten minutes later; the 21st waits for the first five to leave the hour.
        time.Advance(TimeSpan.FromMinutes(10));
        for (var i = 0; i < 15; i++)
        {
            await session.SetStateAsync((string)(await session.CreateJobAsync())["id"]!, "Aborted");
        }

        var (hourStatus, hourBody, hourResponse) = await session.SendAsync(HttpMethod.Post, "api/v1/ingest/jobs",
            new StringContent("""{"object":"orders","sourceName":"emulator_connector","operation":"upsert"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, hourStatus);
        Assert.Equal(TimeSpan.FromMinutes(50), hourResponse.Headers.RetryAfter?.Delta);
        hourResponse.Dispose();
        DataCloudSession.AssertError(JsonNode.Parse(hourBody), "LIMIT_EXCEEDED", "20");

        time.Advance(TimeSpan.FromMinutes(50));
        await session.ConnectAsync(time.GetUtcNow());
        await session.CreateJobAsync();
    }

    [Fact]
    public async Task Jobs_and_records_survive_a_restart_and_stale_open_jobs_are_purged()
    {
        using var directory = new TempDirectory();
        var time = new ManualTimeProvider(Start);
        string done, open, closed;
        var (first, session) = await StartAsync(time, directory.Path);
        await using (first)
        {
            done = (string)(await session.CreateJobAsync())["id"]!;
            await session.UploadAsync(done, OrdersCsv);
            await session.SetStateAsync(done, "UploadComplete");
            await session.WaitForJobAsync(done);
            open = (string)(await session.CreateJobAsync())["id"]!;
            await session.UploadAsync(open, OrdersCsv);
            closed = (string)(await session.CreateJobAsync("customers"))["id"]!;
            await session.UploadAsync(closed, "customer_id\nc-9\n");
        }

        (first, session) = await StartAsync(time, directory.Path);
        await using (first)
        {
            Assert.Equal("JobComplete", (string)(await session.JsonAsync(HttpMethod.Get, $"api/v1/ingest/jobs/{done}")).Body!["state"]!);
            Assert.Equal(2, (await session.RecordsAsync("orders")).Count);
            Assert.Equal(HttpStatusCode.Accepted, (await session.UploadAsync(open, "order_id\no-3\n")).Status);
            await session.SetStateAsync(closed, "UploadComplete");
            Assert.Equal("JobComplete", (string)(await session.WaitForJobAsync(closed))["state"]!);

            time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
            await session.ConnectAsync(time.GetUtcNow());
            Assert.Equal(HttpStatusCode.NotFound, (await session.JsonAsync(HttpMethod.Get, $"api/v1/ingest/jobs/{open}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await session.JsonAsync(HttpMethod.Get, $"api/v1/ingest/jobs/{done}")).Status);
            Assert.False(Directory.Exists(directory.Combine("datacloud", "jobs", open)));
        }
    }

    [Fact]
    public async Task Configured_sources_and_objects_take_jobs()
    {
        using var directory = new TempDirectory();
        var config = directory.Combine("config.json");
        await File.WriteAllTextAsync(config, """
            { "dataCloud": { "sources": [ { "name": "my_api_connector", "objects": [ { "name": "events", "fields": [
                { "name": "event_id", "type": "text", "primaryKey": true }, { "name": "day", "type": "date" }, { "name": "ok", "type": "boolean" } ] } ] } ] } }
            """);
        await using var emulator = await TestEmulator.StartAsync(dataDirectory: directory.Combine("data"), configPath: config);
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync();
        var id = (string)(await session.CreateJobAsync("events", source: "my_api_connector"))["id"]!;
        await session.UploadAsync(id, "event_id,day,ok\ne-1,2026-02-03,true\n");
        await session.SetStateAsync(id, "UploadComplete");
        Assert.Equal("JobComplete", (string)(await session.WaitForJobAsync(id))["state"]!);
        var record = Assert.Single(await session.RecordsAsync("events", "my_api_connector"))!;
        Assert.True((bool)record["ok"]!);
        await session.CreateJobAsync("orders");
    }

    [Fact]
    public async Task A_bad_data_cloud_config_stops_the_start()
    {
        using var directory = new TempDirectory();
        var config = directory.Combine("config.json");
        await File.WriteAllTextAsync(config, """{ "dataCloud": { "sources": [ { "name": "s", "objects": [ { "name": "o", "fields": [ { "name": "a" } ] } ] } ] } }""");
        var error = await Assert.ThrowsAsync<EmulatorStartException>(() => TestEmulator.StartAsync(dataDirectory: directory.Combine("data"), configPath: config));
        Assert.Contains("primaryKey", error.Message);
    }
}
