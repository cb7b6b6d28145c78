using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Tests;

public sealed class FaultInjectionTests
{
    private const string Datasets = "data/foundation/catalog/dataSets";
    private const string Batches = "data/foundation/import/batches";

    [Fact]
    public async Task Server_errors_happen_at_rate_1_and_not_at_rate_0()
    {
        await using var emulator = await StartWithTokenAsync();

        await SetAsync(emulator, """{"serverErrorRate":1}""");
        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await emulator.SendAsync(HttpMethod.Get, Datasets);
            statuses.Add((int)response.StatusCode);
            Assert.Equal("server-error", response.Headers.GetValues("x-emulator-fault").Single());
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal($"{(int)response.StatusCode}050", (string)body["error_code"]!);
        }

        Assert.All(statuses, s => Assert.Contains(s, new[] { 500, 502, 503 }));
        Assert.True(statuses.Distinct().Count() > 1, "the 5xx status is drawn among 500, 502 and 503");

        await SetAsync(emulator, """{"serverErrorRate":0}""");
        using var ok = await emulator.SendAsync(HttpMethod.Get, Datasets);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.False(ok.Headers.Contains("x-emulator-fault"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public async Task Throttling_answers_429_with_Retry_After_at_rate_1_and_not_at_rate_0(int retryAfter)
    {
        await using var emulator = await StartWithTokenAsync();

        await SetAsync(emulator, $$"""{"throttleRate":1,"retryAfterSeconds":{{retryAfter}}}""");
        using (var response = await emulator.SendAsync(HttpMethod.Get, Datasets))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(retryAfter.ToString(), response.Headers.GetValues("Retry-After").Single());
            Assert.Equal("throttle", response.Headers.GetValues("x-emulator-fault").Single());
        }

        await SetAsync(emulator, """{"throttleRate":0}""");
        using var ok = await emulator.SendAsync(HttpMethod.Get, Datasets);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Reset_mid_request_drops_the_connection_with_and_without_a_body_at_rate_1_and_not_at_rate_0()
    {
        await using var emulator = await StartWithTokenAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"a":1}""" + "\n", 30_000)));

        await SetAsync(emulator, """{"resetRequestRate":1}""");
        await Assert.ThrowsAsync<HttpRequestException>(() => SendOnceAsync(emulator, HttpMethod.Put, TestEmulator.FilePath(batch, dataset, "a.json"), Octets(content)));
        await Assert.ThrowsAsync<HttpRequestException>(() => SendOnceAsync(emulator, HttpMethod.Get, Datasets));
        Assert.Equal(2, (long)(await emulator.GetFaultsAsync())["counters"]!["resetRequest"]!);

        // 201, not 200: the reset upload stored nothing.
        await SetAsync(emulator, """{"resetRequestRate":0}""");
        using var ok = await SendOnceAsync(emulator, HttpMethod.Put, TestEmulator.FilePath(batch, dataset, "a.json"), Octets(content));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Fact]
    public async Task Reset_mid_response_sends_the_headers_and_part_of_the_body_after_performing_the_request()
    {
        await using var emulator = await StartWithTokenAsync();
        var dataset = await emulator.CreateDatasetAsync(name: "a-dataset-with-a-long-enough-name");

        await SetAsync(emulator, """{"resetResponseRate":1}""");
        var raw = await RawHttp.SendAsync(emulator.Endpoint, "GET", "/" + Datasets, await PlatformHeadersAsync(emulator));
        Assert.Equal(200, raw.Status);
        Assert.Contains("x-emulator-fault: reset-response", raw.Headers, StringComparison.OrdinalIgnoreCase);
        var declared = int.Parse(raw.Headers.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..]);
        Assert.InRange(raw.Body.Length, 1, declared - 1);

        // Performed in full: the batch exists although its creator saw a broken answer.
        await Assert.ThrowsAsync<HttpRequestException>(() => SendOnceAsync(emulator, HttpMethod.Post, Batches, Json($$$"""{"datasetId":"{{{dataset}}}","inputFormat":{"format":"json"}}""")));
        await SetAsync(emulator, """{"resetResponseRate":0}""");
        Assert.Single(await ListBatchesAsync(emulator, dataset));
        using var ok = await emulator.SendAsync(HttpMethod.Get, Datasets);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Slow_answers_go_past_the_client_timeout_at_rate_1_and_not_at_rate_0()
    {
        await using var emulator = await StartWithTokenAsync();
        using var impatient = new HttpClient { BaseAddress = emulator.Endpoint, Timeout = TimeSpan.FromMilliseconds(500) };

        await SetAsync(emulator, """{"slowRate":1,"slowDelaySeconds":10}""");
        await Assert.ThrowsAsync<TaskCanceledException>(async () =>
        {
            using var request = await emulator.RequestAsync(HttpMethod.Get, Datasets);
            using var response = await impatient.SendAsync(request);
        });

        await SetAsync(emulator, """{"slowRate":1,"slowDelaySeconds":0.3}""");
        var watch = Stopwatch.StartNew();
        using (var response = await emulator.SendAsync(HttpMethod.Get, Datasets))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
        }

        await SetAsync(emulator, """{"slowRate":0,"slowDelaySeconds":10}""");
        using var request2 = await emulator.RequestAsync(HttpMethod.Get, Datasets);
        using var fast = await impatient.SendAsync(request2);
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
    }

    [Fact]
    public async Task A_lost_response_leaves_the_batch_created_although_the_client_saw_a_connection_error()
    {
        await using var emulator = await StartWithTokenAsync();
        var dataset = await emulator.CreateDatasetAsync();

        await SetAsync(emulator, """{"lostResponseRate":1}""");
        await Assert.ThrowsAsync<HttpRequestException>(() => SendOnceAsync(emulator, HttpMethod.Post, Batches, Json($$$"""{"datasetId":"{{{dataset}}}","inputFormat":{"format":"json"}}""")));
        Assert.Equal(1, (long)(await emulator.GetFaultsAsync())["counters"]!["lostResponse"]!);

        await SetAsync(emulator, """{"lostResponseRate":0}""");
        var batches = await ListBatchesAsync(emulator, dataset);
        var batch = Assert.Single(batches);
        Assert.Equal("loading", (string)batch.Value!["status"]!);

        // And a file upload whose answer is lost is stored: sending it again replaces it (200, not 201).
        await SetAsync(emulator, """{"lostResponseRate":1}""");
        await Assert.ThrowsAsync<HttpRequestException>(() => SendOnceAsync(emulator, HttpMethod.Put, TestEmulator.FilePath(batch.Key, dataset, "a.json"), Octets("""{"a":1}"""u8.ToArray())));
        await SetAsync(emulator, "{}");
        using var again = await SendOnceAsync(emulator, HttpMethod.Put, TestEmulator.FilePath(batch.Key, dataset, "a.json"), Octets("""{"a":1}"""u8.ToArray()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Tokens_stop_working_after_the_fault_token_lifetime_though_expires_in_promised_more()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await TestEmulator.StartAsync(time: clock, faults: new FaultOptions { TokenLifetime = TimeSpan.FromSeconds(30) });

        using (var tokenResponse = await emulator.Http.PostAsync("ims/token/v3", TokenForm(emulator)))
        {
            Assert.Equal(86399, (long)JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["expires_in"]!);
        }

        await emulator.GetTokenAsync();
        using (var response = await emulator.SendAsync(HttpMethod.Get, Datasets))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(29));
        using (var response = await emulator.SendAsync(HttpMethod.Get, Datasets))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(2));
        using (var response = await emulator.SendAsync(HttpMethod.Get, Datasets))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("""{"error_code":"401013","message":"Oauth token is not valid"}""", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, (long)(await emulator.GetFaultsAsync())["counters"]!["tokenExpired"]!);

        // Turning the fault off does not revive the token; a new one works for as long as expires_in says.
        await SetAsync(emulator, "{}");
        using (var response = await emulator.SendAsync(HttpMethod.Get, Datasets))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await emulator.GetTokenAsync();
        clock.Advance(TimeSpan.FromHours(1));
        using var ok = await emulator.SendAsync(HttpMethod.Get, Datasets);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_faults_and_another_seed_others()
    {
        await using var emulator = await StartWithTokenAsync();

        async Task<List<int>> RunAsync(int seed)
        {
            await SetAsync(emulator, $$"""{"seed":{{seed}},"serverErrorRate":0.3,"throttleRate":0.2}""");
            var statuses = new List<int>();
            for (var i = 0; i < 50; i++)
            {
                using var response = await emulator.SendAsync(HttpMethod.Get, Datasets);
                statuses.Add((int)response.StatusCode);
            }

            return statuses;
        }

        var first = await RunAsync(42);
        var again = await RunAsync(42);
        var other = await RunAsync(43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains(200, first);
        Assert.Contains(429, first);
        Assert.Contains(first, s => s >= 500);
    }

    [Fact]
    public async Task Each_fault_happens_at_its_own_rate_and_a_request_gets_at_most_one()
    {
        await using var emulator = await StartWithTokenAsync();
        await SetAsync(emulator, """{"seed":11,"serverErrorRate":0.25,"throttleRate":0.25}""");

        var (errors, throttled) = (0, 0);
        for (var i = 0; i < 1000; i++)
        {
            using var response = await emulator.SendAsync(HttpMethod.Get, Datasets);
            errors += (int)response.StatusCode >= 500 ? 1 : 0;
            throttled += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        // 250 each expected (standard deviation about 14); drawn one after the other, throttling would get only
        // 0.25 of the 75% that escaped a server error, about 188.
        Assert.InRange(errors, 210, 290);
        Assert.InRange(throttled, 210, 290);
        var counters = (await emulator.GetFaultsAsync())["counters"]!;
        Assert.Equal(errors, (long)counters["serverError"]!);
        Assert.Equal(throttled, (long)counters["throttle"]!);
    }

    [Fact]
    public async Task A_zero_rate_takes_no_draws_so_it_does_not_change_the_sequence()
    {
        await using var emulator = await StartWithTokenAsync();

        async Task<List<int>> RunAsync(string settings)
        {
            await SetAsync(emulator, settings);
            var statuses = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                using var response = await emulator.SendAsync(HttpMethod.Get, Datasets);
                statuses.Add((int)response.StatusCode);
            }

            return statuses;
        }

        Assert.Equal(
            await RunAsync("""{"seed":7,"throttleRate":0.5}"""),
            await RunAsync("""{"seed":7,"throttleRate":0.5,"serverErrorRate":0,"lostResponseRate":0,"slowDelaySeconds":3}"""));
    }

    [Fact]
    public async Task A_path_prefix_limits_faults_to_that_part_of_the_api()
    {
        await using var emulator = await StartWithTokenAsync();
        var dataset = await emulator.CreateDatasetAsync();

        await SetAsync(emulator, """{"serverErrorRate":1,"pathPrefix":"/data/foundation/import"}""");
        using (var catalog = await emulator.SendAsync(HttpMethod.Get, Datasets))
        {
            Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        }

        var (status, _) = await emulator.SendJsonAsync(HttpMethod.Post, Batches, new JsonObject { ["datasetId"] = dataset, ["inputFormat"] = new JsonObject { ["format"] = "json" } });
        Assert.True((int)status >= 500, $"import answered {(int)status}");

        var counters = (await emulator.GetFaultsAsync())["counters"]!;
        Assert.Equal(1, (long)counters["requests"]!);
        Assert.Equal(1, (long)counters["serverError"]!);
    }

    [Fact]
    public async Task The_control_endpoint_reads_and_replaces_settings_and_is_never_faulted()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var initial = await emulator.GetFaultsAsync();
        Assert.Equal(
            """{"serverErrorRate":0,"throttleRate":0,"retryAfterSeconds":1,"resetRequestRate":0,"resetResponseRate":0,"slowRate":0,"slowDelaySeconds":15,"lostResponseRate":0,"tokenLifetimeSeconds":null,"pathPrefix":null,"seed":0}""",
            initial["settings"]!.ToJsonString());
        Assert.Equal(
            """{"requests":0,"serverError":0,"throttle":0,"resetRequest":0,"resetResponse":0,"slow":0,"lostResponse":0,"tokenExpired":0}""",
            initial["counters"]!.ToJsonString());

        var (status, body) = await emulator.SetFaultsAsync("""{"seed":5,"serverErrorRate":1,"tokenLifetimeSeconds":30,"slowDelaySeconds":2.5}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, (int)body!["settings"]!["seed"]!);
        Assert.Equal(30, (double)body["settings"]!["tokenLifetimeSeconds"]!);
        Assert.Equal(2.5, (double)body["settings"]!["slowDelaySeconds"]!);
        Assert.Equal(1, (double)(await emulator.GetFaultsAsync())["settings"]!["serverErrorRate"]!);

        // Control, health and the page at / keep working; IMS is faulted like the platform.
        using (var health = await emulator.Http.GetAsync("emulator/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var root = await emulator.Http.GetAsync(""))
        {
            Assert.Equal(HttpStatusCode.OK, root.StatusCode);
            Assert.Contains("server-error=1", await root.Content.ReadAsStringAsync());
        }

        using (var token = await emulator.Http.PostAsync("ims/token/v3", TokenForm(emulator)))
        {
            Assert.True((int)token.StatusCode >= 500);
        }

        Assert.Equal(1, (long)(await emulator.GetFaultsAsync())["counters"]!["requests"]!);
    }

    [Theory]
    [InlineData("""{"serverErrorRate":1.5}""", "faults.serverErrorRate")]
    [InlineData("""{"throttleRate":-0.1}""", "faults.throttleRate")]
    [InlineData("""{"slowDelaySeconds":-1}""", "faults.slowDelaySeconds")]
    [InlineData("""{"retryAfterSeconds":1.5}""", "faults.retryAfterSeconds")]
    [InlineData("""{"tokenLifetimeSeconds":0}""", "faults.tokenLifetimeSeconds")]
    [InlineData("""{"seed":"x"}""", "faults.seed")]
    [InlineData("""{"pathPrefix":"data"}""", "PathPrefix")]
    [InlineData("""{"serverErrors":0.1}""", "serverErrors")]
    [InlineData("""{"serverErrorRate":0.6,"throttleRate":0.3,"lostResponseRate":0.2}""", "add up to 1.1")]
    public async Task Bad_settings_are_refused_with_the_setting_named_and_nothing_changes(string json, string named)
    {
        await using var emulator = await TestEmulator.StartAsync();
        await SetAsync(emulator, """{"throttleRate":0.5}""");

        var (status, body) = await emulator.SetFaultsAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(named, (string)body!["detail"]!);
        Assert.Equal(0.5, (double)(await emulator.GetFaultsAsync())["settings"]!["throttleRate"]!);
    }

    [Fact]
    public async Task Counters_count_requests_and_faults_by_kind_and_faults_are_logged()
    {
        using var directory = new TempDirectory();
        using var log = new StringWriter();
        using var sink = new LogSink(log);
        sink.Release(null);
        await using var host = await EmulatorHost.StartAsync(
            new EmulatorOptions { DataDirectory = directory.Path, Faults = new FaultOptions { ThrottleRate = 1, PathPrefix = "/data/foundation" } },
            logging => logging.AddProvider(new LogSinkProvider(sink, TimeProvider.System)),
            CancellationToken.None);
        using var http = new HttpClient { BaseAddress = host.Endpoint };

        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(Datasets);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        using (var token = await http.PostAsync("ims/token/v3", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = host.Credentials.ClientId,
            ["client_secret"] = host.Credentials.ClientSecret,
            ["grant_type"] = "client_credentials",
        })))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }

        var counters = JsonNode.Parse(await http.GetStringAsync("emulator/faults"))!["counters"]!;
        Assert.Equal(3, (long)counters["requests"]!);
        Assert.Equal(3, (long)counters["throttle"]!);
        Assert.Equal(0, (long)counters["serverError"]!);

        var text = log.ToString();
        Assert.Contains("Fault injection: throttle=1,path=/data/foundation.", text);
        Assert.Contains("Fault injected: throttle on GET /data/foundation/catalog/dataSets", text);
    }

    [Fact]
    public void The_command_line_takes_a_fault_spec()
    {
        var parsed = CommandLine.Parse(["--faults", "server-error=0.1, throttle=0.05,retry-after=0,reset-request=0.01,reset-response=0.02,slow=0.03,slow-delay=1500ms,lost=0.04,token-lifetime=2m,path=/data/foundation/import,seed=42"]);

        Assert.Equal(
            new FaultOptions
            {
                ServerErrorRate = 0.1,
                ThrottleRate = 0.05,
                RetryAfterSeconds = 0,
                ResetRequestRate = 0.01,
                ResetResponseRate = 0.02,
                SlowRate = 0.03,
                SlowDelay = TimeSpan.FromMilliseconds(1500),
                LostResponseRate = 0.04,
                TokenLifetime = TimeSpan.FromMinutes(2),
                PathPrefix = "/data/foundation/import",
                Seed = 42,
            },
            parsed.Options.Faults);
        Assert.Equal(parsed.Options.Faults, FaultOptions.Parse(parsed.Options.Faults!.ToString()));
        Assert.Equal("slow-delay=20s", FaultOptions.Parse("slow-delay=20").ToString());
        Assert.Equal(FaultOptions.None, FaultOptions.Parse(""));
        Assert.Null(CommandLine.Parse([]).Options.Faults);
        Assert.Null(FaultOptions.Parse("token-lifetime=off").TokenLifetime);
        Assert.Contains("--faults", CommandLine.Usage);
    }

    [Theory]
    [InlineData("server-error=2", "server-error")]
    [InlineData("server-error=-0.1", "server-error")]
    [InlineData("throttle=lots", "throttle")]
    [InlineData("retry-after=1.5", "retry-after")]
    [InlineData("retry-after=-1", "retry-after")]
    [InlineData("reset-request=1.01", "reset-request")]
    [InlineData("reset-response=x", "reset-response")]
    [InlineData("slow=NaN", "slow")]
    [InlineData("slow-delay=-5s", "slow-delay")]
    [InlineData("slow-delay=soon", "slow-delay")]
    [InlineData("lost=1e3", "lost")]
    [InlineData("token-lifetime=0", "token-lifetime")]
    [InlineData("path=data", "path")]
    [InlineData("seed=1.5", "seed")]
    [InlineData("chaos=0.5", "chaos")]
    [InlineData("throttle", "throttle")]
    [InlineData("seed=1,seed=2", "seed")]
    public void A_bad_fault_spec_is_an_error_naming_the_key(string spec, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--faults", spec]));
        Assert.Contains("--faults", error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task The_config_file_sets_faults_and_options_override_it()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.Combine("emulator.config.json"), """
            { "faults": { "seed": 9, "throttleRate": 0.25, "retryAfterSeconds": 0, "tokenLifetimeSeconds": 60, "pathPrefix": "/data/foundation/import" } }
            """);

        await using (var emulator = await TestEmulator.StartAsync(directory.Path))
        {
            var settings = (await emulator.GetFaultsAsync())["settings"]!;
            Assert.Equal(9, (int)settings["seed"]!);
            Assert.Equal(0.25, (double)settings["throttleRate"]!);
            Assert.Equal(0, (int)settings["retryAfterSeconds"]!);
            Assert.Equal(60, (double)settings["tokenLifetimeSeconds"]!);
            Assert.Equal("/data/foundation/import", (string)settings["pathPrefix"]!);
        }

        await using (var emulator = await TestEmulator.StartAsync(directory.Path, faults: new FaultOptions { LostResponseRate = 0.5 }))
        {
            var settings = (await emulator.GetFaultsAsync())["settings"]!;
            Assert.Equal(0, (double)settings["throttleRate"]!);
            Assert.Equal(0.5, (double)settings["lostResponseRate"]!);
        }

        await File.WriteAllTextAsync(directory.Combine("emulator.config.json"), """{ "faults": { "throttleRate": 3 } }""");
        var error = await Assert.ThrowsAsync<EmulatorStartException>(() => TestEmulator.StartAsync(directory.Path));
        Assert.Contains("faults.throttleRate", error.Message);

        await File.WriteAllTextAsync(directory.Combine("emulator.config.json"), """{ "faults": { "throttle": 0.1 } }""");
        error = await Assert.ThrowsAsync<EmulatorStartException>(() => TestEmulator.StartAsync(directory.Path));
        Assert.Contains("'throttle'", error.Message);
    }

    [Fact]
    public async Task Fault_options_are_checked_at_start_with_the_setting_named()
    {
        using var directory = new TempDirectory();
        var rate = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            EmulatorHost.StartAsync(new EmulatorOptions { DataDirectory = directory.Path, Faults = new FaultOptions { ServerErrorRate = 2 } }));
        Assert.Contains("Faults.ServerErrorRate", rate.Message);

        var delay = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            EmulatorHost.StartAsync(new EmulatorOptions { DataDirectory = directory.Path, Faults = new FaultOptions { SlowDelay = TimeSpan.FromSeconds(-1) } }));
        Assert.Contains("Faults.SlowDelay", delay.Message);

        var retry = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            EmulatorHost.StartAsync(new EmulatorOptions { DataDirectory = directory.Path, Faults = new FaultOptions { RetryAfterSeconds = -1 } }));
        Assert.Contains("Faults.RetryAfterSeconds", retry.Message);
    }

    private static async Task<TestEmulator> StartWithTokenAsync()
    {
        var emulator = await TestEmulator.StartAsync();
        await emulator.GetTokenAsync();
        return emulator;
    }

    private static async Task SetAsync(TestEmulator emulator, string json)
    {
        var (status, body) = await emulator.SetFaultsAsync(json);
        Assert.True(status == HttpStatusCode.OK, $"PUT /emulator/faults answered {(int)status}: {body}");
    }

    /// <summary>
    /// On a connection of its own: SocketsHttpHandler silently retries a request whose pooled connection breaks before
    /// any answer, which would hide the fault and take a second draw.
    /// </summary>
    private static async Task<HttpResponseMessage> SendOnceAsync(TestEmulator emulator, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = await emulator.RequestAsync(method, path, content);
        request.Headers.ConnectionClose = true;
        return await emulator.Http.SendAsync(request);
    }

    private static async Task<List<KeyValuePair<string, string>>> PlatformHeadersAsync(TestEmulator emulator)
    {
        using var request = await emulator.RequestAsync(HttpMethod.Get, Datasets);
        return request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(",", h.Value))).ToList();
    }

    private static async Task<List<KeyValuePair<string, JsonNode?>>> ListBatchesAsync(TestEmulator emulator, string dataset)
    {
        var (status, body) = await emulator.SendJsonAsync(HttpMethod.Get, $"data/foundation/catalog/batches?dataSet={dataset}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!.AsObject().ToList();
    }

    private static ByteArrayContent Octets(byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return body;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static FormUrlEncodedContent TokenForm(TestEmulator emulator) => new(new Dictionary<string, string>
    {
        ["client_id"] = emulator.Host.Credentials.ClientId,
        ["client_secret"] = emulator.Host.Credentials.ClientSecret,
        ["grant_type"] = "client_credentials",
    });
}
