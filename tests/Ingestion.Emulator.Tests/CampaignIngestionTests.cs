using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>Campaign Standard's XDM mapping ingestion: trigger, status, the documented answers, persistence and config.</summary>
public sealed class CampaignIngestionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string IngestPath(string mappingId, string tenant = "emulator") =>
        $"{tenant}/campaign/dataIngestion/xdmIngestion/{mappingId}/ingest";

    /// <summary>The headers Adobe's Campaign docs show: token, API key, Content-Type and Cache-Control; no org or sandbox.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        TestEmulator emulator, HttpMethod method, string path, string? body = null, Action<HttpRequestMessage>? tweak = null)
    {
        var token = await emulator.GetTokenAsync();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Api-Key", emulator.Host.Credentials.ClientId);
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        tweak?.Invoke(request);
        using var response = await emulator.Http.SendAsync(request);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<(HttpStatusCode Status, string Body)> TriggerAsync(TestEmulator emulator, string mappingId, string tenant = "emulator", string? body = null) =>
        SendAsync(emulator, HttpMethod.Post, IngestPath(mappingId, tenant), body);

    private static Task<(HttpStatusCode Status, string Body)> StatusAsync(TestEmulator emulator, string mappingId, string query, string tenant = "emulator") =>
        SendAsync(emulator, HttpMethod.Get, IngestPath(mappingId, tenant) + query);

    private static async Task<long> SubmitAsync(TestEmulator emulator, string mappingId, string tenant = "emulator")
    {
        var (status, body) = await TriggerAsync(emulator, mappingId, tenant);
        Assert.Equal(HttpStatusCode.OK, status);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("Success", (string)json["status"]!);
        Assert.Equal($"Ingestion request submitted successfully for the Mapping ID: {mappingId}", (string)json["info"]!);
        return (long)json["requestId"]!;
    }

    private static async Task<JsonObject> StatusOkAsync(TestEmulator emulator, string mappingId, long requestId, string tenant = "emulator")
    {
        var (status, body) = await StatusAsync(emulator, mappingId, $"?requestId={requestId}", tenant);
        Assert.Equal(HttpStatusCode.OK, status);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(requestId, (long)json["requestId"]!);
        return json;
    }

    [Fact]
    public async Task A_trigger_is_submitted_then_in_progress_then_succeeds_and_can_be_triggered_again()
    {
        var clock = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: clock);

        // The documented body, exactly; the trigger takes {} or no body at all.
        var (status, body) = await TriggerAsync(emulator, "demo-profiles", body: "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        var first = (long)JsonNode.Parse(body)!["requestId"]!;
        Assert.Equal($$"""{"requestId":{{first}},"info":"Ingestion request submitted successfully for the Mapping ID: demo-profiles","status":"Success"}""", body);

        // While it runs, another trigger gets the same request back, never a second one.
        clock.Advance(TimeSpan.FromSeconds(1));
        (status, body) = await TriggerAsync(emulator, "demo-profiles");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""{"requestId":{{first}},"info":"Ingestion request already in progress for the Mapping ID: demo-profiles","status":"In Progress"}""", body);

        var running = await StatusOkAsync(emulator, "demo-profiles", first);
        Assert.Equal("In Progress", (string)running["status"]!);
        Assert.False(running.ContainsKey("numRecords"));
        Assert.False(running.ContainsKey("batchId"));

        clock.Advance(TimeSpan.FromSeconds(1));
        var done = await StatusOkAsync(emulator, "demo-profiles", first);
        Assert.Equal("Success", (string)done["status"]!);
        Assert.Equal(14, (long)done["numRecords"]!);
        Assert.Contains("Ingestion completed successfully", (string)done["info"]!);
        Assert.False(done.ContainsKey("batchId"));

        // Finished: the next trigger is a new request with the next id; the old one still answers.
        var second = await SubmitAsync(emulator, "demo-profiles");
        Assert.Equal(first + 1, second);
        Assert.Equal("In Progress", (string)(await StatusOkAsync(emulator, "demo-profiles", second))["status"]!);
        Assert.Equal("Success", (string)(await StatusOkAsync(emulator, "demo-profiles", first))["status"]!);
    }

    [Fact]
    public async Task Concurrent_triggers_of_one_mapping_make_one_request()
    {
        var clock = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: clock);
        await emulator.GetTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => TriggerAsync(emulator, "demo-profiles")));
        var bodies = answers.Select(a => JsonNode.Parse(a.Body)!).ToList();
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(bodies, b => (string)b["status"]! == "Success");
        Assert.Equal(11, bodies.Count(b => (string)b["status"]! == "In Progress"));
        Assert.Single(bodies.Select(b => (long)b["requestId"]!).Distinct());
    }

    [Theory]
    [InlineData("demo-not-stopped", "is not stopped")]
    [InlineData("demo-not-published", "is not published")]
    public async Task A_mapping_not_published_and_stopped_is_refused_with_200_and_no_request(string mappingId, string reason)
    {
        await using var emulator = await TestEmulator.StartAsync(time: new ManualTimeProvider(Start));
        var (status, body) = await TriggerAsync(emulator, mappingId);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""{"info":"Unable to submit data ingestion request, XDM Mapping ID: {{mappingId}} {{reason}}","status":"Failed"}""", body);

        // Nothing was submitted: the first real request still gets id 1.
        Assert.Equal(1, await SubmitAsync(emulator, "demo-profiles"));
    }

    [Fact]
    public async Task Unknown_mappings_and_tenants_are_404()
    {
        await using var emulator = await TestEmulator.StartAsync(time: new ManualTimeProvider(Start));

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Get })
        {
            var (status, body) = await SendAsync(emulator, method, IngestPath("no-such-mapping") + "?requestId=1");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("""{"info":"XDM Mapping ID: no-such-mapping does not exist","status":"Failed"}""", body);

            (status, body) = await SendAsync(emulator, method, IngestPath("demo-profiles", "acme") + "?requestId=1");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("""{"info":"Unknown Campaign instance 'acme'.","status":"Failed"}""", body);
        }
    }

    [Fact]
    public async Task The_token_and_api_key_are_checked_like_the_gateway_does_and_nothing_else_is_required()
    {
        await using var emulator = await TestEmulator.StartAsync(time: new ManualTimeProvider(Start));
        var path = IngestPath("demo-profiles");

        var (status, body) = await SendAsync(emulator, HttpMethod.Post, path, tweak: r => r.Headers.Authorization = null);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"error_code":"403010","message":"Oauth token is missing."}""", body);

        (status, body) = await SendAsync(emulator, HttpMethod.Get, path + "?requestId=1", tweak: r => r.Headers.Authorization = new("Bearer", "not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""{"error_code":"401013","message":"Oauth token is not valid"}""", body);

        (status, body) = await SendAsync(emulator, HttpMethod.Post, path, tweak: r => r.Headers.Remove("X-Api-Key"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"error_code":"403000","message":"Api Key is required"}""", body);

        (status, body) = await SendAsync(emulator, HttpMethod.Post, path, tweak: r =>
        {
            r.Headers.Remove("X-Api-Key");
            r.Headers.Add("X-Api-Key", "another-client");
        });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"error_code":"403003","message":"Api Key is invalid"}""", body);

        // Any spelling of the path that routes to Campaign is checked too.
        (status, _) = await SendAsync(emulator, HttpMethod.Post, "emulator/CAMPAIGN/dataIngestion/xdmIngestion/demo-profiles/ingest", tweak: r => r.Headers.Authorization = null);
        Assert.Equal(HttpStatusCode.Forbidden, status);

        // None of the refusals submitted anything; no org, sandbox or Content-Type is needed.
        (status, body) = await SendAsync(emulator, HttpMethod.Post, path, tweak: r => r.Headers.CacheControl = null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, (long)JsonNode.Parse(body)!["requestId"]!);
    }

    [Fact]
    public async Task A_database_failure_has_its_ACP_code_and_no_batch()
    {
        var clock = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: clock);
        var id = await SubmitAsync(emulator, "demo-db-failure");
        Assert.Equal("In Progress", (string)(await StatusOkAsync(emulator, "demo-db-failure", id))["status"]!);

        clock.Advance(TimeSpan.FromSeconds(2));
        var (_, body) = await StatusAsync(emulator, "demo-db-failure", $"?requestId={id}");
        Assert.Equal($$"""{"info":"ACP-880056 Failed to fetch the record from the database.","requestId":{{id}},"status":"Failed"}""", body);
    }

    [Fact]
    public async Task An_upload_failure_names_the_batch_it_prepared()
    {
        var clock = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: clock);
        var id = await SubmitAsync(emulator, "demo-upload-failure");

        clock.Advance(TimeSpan.FromSeconds(2));
        var failed = await StatusOkAsync(emulator, "demo-upload-failure", id);
        Assert.Equal("Failed", (string)failed["status"]!);
        Assert.Equal("ACP-880096 Sync Job failed to upload. Please check the error in the Platform UI.", (string)failed["info"]!);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", (string)failed["batchId"]!);
        Assert.False(failed.ContainsKey("numRecords"));

        // The same batch id on every read.
        Assert.Equal((string)failed["batchId"]!, (string)(await StatusOkAsync(emulator, "demo-upload-failure", id))["batchId"]!);
    }

    [Fact]
    public async Task An_aborted_request_says_so_without_records()
    {
        var clock = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: clock);
        var id = await SubmitAsync(emulator, "demo-aborted");

        clock.Advance(TimeSpan.FromSeconds(2));
        var aborted = await StatusOkAsync(emulator, "demo-aborted", id);
        Assert.Equal("Aborted", (string)aborted["status"]!);
        Assert.Contains("aborted", (string)aborted["info"]!);
        Assert.False(aborted.ContainsKey("numRecords"));
        Assert.False(aborted.ContainsKey("batchId"));

        // An outcome is reached: the mapping can be triggered again.
        Assert.Equal(id + 1, await SubmitAsync(emulator, "demo-aborted"));
    }

    [Theory]
    [InlineData("", 400, "requestId is required")]
    [InlineData("?requestId=", 400, "requestId is required")]
    [InlineData("?requestId=abc", 400, "requestId is required")]
    [InlineData("?requestId=-1", 400, "requestId is required")]
    [InlineData("?requestId=1.5", 400, "requestId is required")]
    [InlineData("?requestId=999", 404, "Request ID: 999 does not exist for the Mapping ID: demo-profiles")]
    [InlineData("?requestId=1", 404, "Request ID: 1 does not exist for the Mapping ID: demo-profiles")]
    public async Task A_status_needs_a_request_id_of_that_mapping(string query, int expected, string info)
    {
        await using var emulator = await TestEmulator.StartAsync(time: new ManualTimeProvider(Start));

        // Request 1 exists, but for another mapping.
        Assert.Equal(1, await SubmitAsync(emulator, "demo-aborted"));

        var (status, body) = await StatusAsync(emulator, "demo-profiles", query);
        Assert.Equal(expected, (int)status);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("Failed", (string)json["status"]!);
        Assert.StartsWith(info, (string)json["info"]!);
    }

    [Fact]
    public async Task Requests_and_their_ids_survive_a_restart()
    {
        using var directory = new TempDirectory();
        var clock = new ManualTimeProvider(Start);
        long done, running;

        await using (var first = await TestEmulator.StartAsync(directory.Path, time: clock))
        {
            done = await SubmitAsync(first, "demo-upload-failure");
            clock.Advance(TimeSpan.FromSeconds(5));
            running = await SubmitAsync(first, "demo-profiles");
        }

        Assert.True(File.Exists(directory.Combine("campaign", "requests.json")));

        await using var second = await TestEmulator.StartAsync(directory.Path, time: clock);
        var failed = await StatusOkAsync(second, "demo-upload-failure", done);
        Assert.Equal("Failed", (string)failed["status"]!);
        Assert.NotNull((string?)failed["batchId"]);

        // Still in progress after the restart, so still not triggered twice.
        var (_, again) = await TriggerAsync(second, "demo-profiles");
        Assert.Equal(running, (long)JsonNode.Parse(again)!["requestId"]!);
        Assert.Equal("In Progress", (string)JsonNode.Parse(again)!["status"]!);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("Success", (string)(await StatusOkAsync(second, "demo-profiles", running))["status"]!);
        Assert.Equal(running + 1, await SubmitAsync(second, "demo-profiles"));
    }

    private const string Config = """
        {
          "campaign": {
            "tenants": ["acme", "acme-mkt-stage"],
            "mappings": [
              { "id": "profiles", "tenant": "acme", "records": 250, "delaySeconds": 0.5 },
              { "id": "profiles", "tenant": "acme-mkt-stage", "outcome": "failure" },
              { "id": "orders", "tenant": "acme", "outcome": "failure", "errorCode": "ACP-880056", "failAfterBatch": true, "delaySeconds": 0 },
              { "id": "custom", "tenant": "acme", "outcome": "failure", "errorCode": "ACP-123456", "errorMessage": "Something broke.", "delaySeconds": 0 },
              { "id": "halted", "tenant": "acme", "outcome": "abort", "abortAfterRecords": 7, "delaySeconds": 0 },
              { "id": "draft", "tenant": "acme", "published": false, "stopped": false },
              { "id": "demo-profiles", "records": 3, "delaySeconds": 0 },
              { "id": "mine" }
            ]
          }
        }
        """;

    [Fact]
    public async Task Config_declares_tenants_and_mappings_and_keeps_the_built_ins()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.Combine("emulator.config.json"), Config);
        var clock = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(directory.Path, time: clock);

        var profiles = await SubmitAsync(emulator, "profiles", "acme");
        var stage = await SubmitAsync(emulator, "profiles", "acme-mkt-stage");
        var orders = await SubmitAsync(emulator, "orders", "acme");
        var custom = await SubmitAsync(emulator, "custom", "acme");
        var halted = await SubmitAsync(emulator, "halted", "acme");
        var overridden = await SubmitAsync(emulator, "demo-profiles");
        var mine = await SubmitAsync(emulator, "mine");
        var builtIn = await SubmitAsync(emulator, "demo-db-failure");

        // A request id belongs to its tenant's mapping.
        var (status, _) = await StatusAsync(emulator, "profiles", $"?requestId={profiles}", "acme-mkt-stage");
        Assert.Equal(HttpStatusCode.NotFound, status);

        Assert.Equal("In Progress", (string)(await StatusOkAsync(emulator, "profiles", profiles, "acme"))["status"]!);
        Assert.Equal("Success", (string)(await StatusOkAsync(emulator, "demo-profiles", overridden))["status"]!);
        Assert.Equal(3, (long)(await StatusOkAsync(emulator, "demo-profiles", overridden))["numRecords"]!);

        var ordersStatus = await StatusOkAsync(emulator, "orders", orders, "acme");
        Assert.Equal("ACP-880056 Failed to fetch the record from the database.", (string)ordersStatus["info"]!);
        Assert.NotNull((string?)ordersStatus["batchId"]);

        var customStatus = await StatusOkAsync(emulator, "custom", custom, "acme");
        Assert.Equal("ACP-123456 Something broke.", (string)customStatus["info"]!);
        Assert.False(customStatus.ContainsKey("batchId"));

        var haltedStatus = await StatusOkAsync(emulator, "halted", halted, "acme");
        Assert.Equal("Aborted", (string)haltedStatus["status"]!);
        Assert.Contains("7", (string)haltedStatus["info"]!);

        var (_, draft) = await TriggerAsync(emulator, "draft", "acme");
        Assert.Contains("is not published", draft);

        clock.Advance(TimeSpan.FromSeconds(2));
        var profilesStatus = await StatusOkAsync(emulator, "profiles", profiles, "acme");
        Assert.Equal(250, (long)profilesStatus["numRecords"]!);

        // Defaults: failure is ACP-880096 after the batch; a bare mapping is a 14-record success on tenant emulator.
        var stageStatus = await StatusOkAsync(emulator, "profiles", stage, "acme-mkt-stage");
        Assert.StartsWith("ACP-880096 Sync Job failed to upload.", (string)stageStatus["info"]!);
        Assert.NotNull((string?)stageStatus["batchId"]);
        Assert.Equal(14, (long)(await StatusOkAsync(emulator, "mine", mine))["numRecords"]!);
        Assert.Equal("Failed", (string)(await StatusOkAsync(emulator, "demo-db-failure", builtIn))["status"]!);

        // The info page lists the endpoints, tenants and mappings.
        var info = await emulator.Http.GetStringAsync("/");
        Assert.Contains("campaign/dataIngestion/xdmIngestion/{mappingId}/ingest", info);
        Assert.Contains("acme-mkt-stage", info);
        Assert.Contains("emulator/demo-upload-failure", info);
        Assert.Contains("acme/halted", info);
    }

    [Theory]
    [InlineData("""{"campaign":[]}""", "'campaign' must be an object")]
    [InlineData("""{"campaign":{"tenant":[]}}""", "campaign has an unknown property 'tenant'")]
    [InlineData("""{"campaign":{"tenants":["a/b"]}}""", "campaign.tenants[0]")]
    [InlineData("""{"campaign":{"mappings":[{}]}}""", "campaign.mappings[0].id")]
    [InlineData("""{"campaign":{"mappings":[{"id":"x","tenant":"acme"}]}}""", "campaign.mappings[0] ('x').tenant")]
    [InlineData("""{"campaign":{"mappings":[{"id":"x","outcome":"ok"}]}}""", "campaign.mappings[0] ('x').outcome")]
    [InlineData("""{"campaign":{"mappings":[{"id":"x","records":-1}]}}""", "campaign.mappings[0] ('x').records")]
    [InlineData("""{"campaign":{"mappings":[{"id":"x","delaySeconds":"2"}]}}""", "campaign.mappings[0] ('x').delaySeconds")]
    [InlineData("""{"campaign":{"mappings":[{"id":"x","stopped":"yes"}]}}""", "campaign.mappings[0] ('x').stopped")]
    [InlineData("""{"campaign":{"mappings":[{"id":"x","delay":2}]}}""", "unknown property 'delay'")]
    [InlineData("""{"campaign":{"mappings":[{"id":"x"},{"id":"x","tenant":"emulator"}]}}""", "repeats mapping 'x'")]
    public async Task An_invalid_campaign_config_names_the_problem(string config, string expected)
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("emulator.config.json");
        await File.WriteAllTextAsync(path, config);

        var error = await Assert.ThrowsAsync<EmulatorStartException>(() => TestEmulator.StartAsync(directory.Path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Campaign_calls_are_faulted_like_any_other_path_though_the_tenant_is_called_emulator()
    {
        await using var emulator = await TestEmulator.StartAsync(time: new ManualTimeProvider(Start));
        await emulator.GetTokenAsync();
        var (setStatus, _) = await emulator.SetFaultsAsync("""{"serverErrorRate":1,"pathPrefix":"/emulator/campaign"}""");
        Assert.Equal(HttpStatusCode.OK, setStatus);

        using var request = new HttpRequestMessage(HttpMethod.Post, IngestPath("demo-profiles"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await emulator.GetTokenAsync());
        request.Headers.Add("X-Api-Key", emulator.Host.Credentials.ClientId);
        using var response = await emulator.Http.SendAsync(request);
        Assert.Contains((int)response.StatusCode, new[] { 500, 502, 503 });
        Assert.Equal("server-error", response.Headers.GetValues("x-emulator-fault").Single());

        // The control routes under /emulator/ stay exempt.
        var faults = await emulator.GetFaultsAsync();
        Assert.Equal(1, (long)faults["counters"]!["serverError"]!);
    }
}
