using System.Collections.Concurrent;
using System.Net;
using Ingestion.Core.Campaign;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>
/// Campaign Standard's XDM mapping ingestion: the emulator issues the IMS tokens, the Campaign routes are answered
/// by <see cref="RecordingHandler.Intercept"/> with every answer Adobe documents (and the emulator contract lists).
/// </summary>
public class CampaignTests
{
    private const string Tenant = "acme-mkt-stage";
    private const string Mapping = "xdmMapping12";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string IngestPath = $"/{Tenant}/campaign/dataIngestion/xdmIngestion/{Mapping}/ingest";

    private static readonly WaitOptions FastWait = new()
    {
        InitialInterval = TimeSpan.FromMilliseconds(5),
        MaxInterval = TimeSpan.FromMilliseconds(20),
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static AepConnectionOptions CampaignOptions(TestEmulator emulator, RecordingHandler handler, RetrySettings? retry = null, string? tenant = Tenant) => new()
    {
        Platform = IngestPlatform.Campaign,
        ClientId = emulator.Credentials.ClientId,
        ClientSecret = Secrets.Secure(emulator.Credentials.ClientSecret),
        CampaignTenant = tenant,
        PlatformEndpoint = emulator.Endpoint,
        PrimaryHandler = handler,
        Retry = retry ?? TestEmulator.FastRetry,
    };

    private static Task<IngestSession> ConnectCampaignAsync(TestEmulator emulator, RecordingHandler handler, RetrySettings? retry = null) =>
        IngestSession.ConnectAsync(CampaignOptions(emulator, handler, retry), None);

    private static bool IsCampaign(HttpRequestMessage request) => request.RequestUri!.AbsolutePath.Contains("/campaign/", StringComparison.Ordinal);

    /// <summary>Answers Campaign requests from a script, one answer per request (the last one repeats); everything else goes on to the emulator.</summary>
    private static void Script(RecordingHandler handler, params (HttpStatusCode Status, string Json)[] answers)
    {
        var next = 0;
        handler.Intercept = (request, _) =>
        {
            if (!IsCampaign(request))
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            var index = Math.Min(Interlocked.Increment(ref next) - 1, answers.Length - 1);
            return Task.FromResult<HttpResponseMessage?>(RecordingHandler.Respond(answers[index].Status, answers[index].Json));
        };
    }

    private static IReadOnlyList<RecordedRequest> CampaignRequests(RecordingHandler handler) =>
        handler.Requests.Where(r => r.Path.Contains("/campaign/", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task Trigger_posts_to_the_tenant_and_mapping_with_Campaigns_headers_and_reads_Success_as_submitted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var contentTypes = new ConcurrentQueue<string?>();
        handler.Intercept = (request, _) =>
        {
            if (!IsCampaign(request))
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            contentTypes.Enqueue(request.Content?.Headers.ContentType?.ToString());
            return Task.FromResult<HttpResponseMessage?>(RecordingHandler.Respond(HttpStatusCode.OK, $$"""{"requestId": 12, "info": "Ingestion request submitted successfully for the Mapping ID: {{Mapping}}", "status": "Success"}"""));
        };
        using var session = await ConnectCampaignAsync(emulator, handler);

        var request = await session.Campaign.StartMappingIngestAsync(Mapping, None);

        Assert.Equal(XdmIngestStatus.Submitted, request.Status);
        Assert.False(request.IsTerminal);
        Assert.Equal(12, request.RequestId);
        Assert.Equal(Mapping, request.MappingId);
        Assert.Equal(Tenant, request.Tenant);
        Assert.Contains("submitted successfully", request.Info);
        Assert.Null(request.ErrorCode);

        var sent = Assert.Single(CampaignRequests(handler));
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(IngestPath, sent.Path);
        Assert.Equal(emulator.Endpoint.Authority, sent.Uri.Authority);
        Assert.NotNull(sent.BearerToken);
        Assert.Contains(sent.BearerToken, handler.Tokens);
        Assert.Equal(emulator.Credentials.ClientId, sent.Headers["X-Api-Key"]);
        Assert.Equal("no-cache", sent.Headers["Cache-Control"]);
        Assert.False(sent.Headers.ContainsKey("x-gw-ims-org-id"));
        Assert.False(sent.Headers.ContainsKey("x-sandbox-name"));
        Assert.Equal("application/json", Assert.Single(contentTypes));
    }

    [Fact]
    public async Task Trigger_while_a_request_runs_returns_it_as_in_progress_with_its_id()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.OK, $$"""{"requestId": 7, "info": "Ingestion request already in progress for the Mapping ID: {{Mapping}}", "status": "In Progress"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var request = await session.Campaign.StartMappingIngestAsync(Mapping, None);

        Assert.Equal(XdmIngestStatus.InProgress, request.Status);
        Assert.Equal(7, request.RequestId);
        Assert.Single(CampaignRequests(handler));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "is not stopped", "stop the mapping")]
    [InlineData(HttpStatusCode.BadRequest, "is not stopped", "stop the mapping")]
    [InlineData(HttpStatusCode.OK, "is not published", "publish the XDM mapping")]
    [InlineData(HttpStatusCode.Conflict, "is not published", "publish the XDM mapping")]
    public async Task A_mapping_not_stopped_or_not_published_is_refused_with_what_to_do_in_Campaign(HttpStatusCode status, string reason, string action)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (status, $$"""{"info": "Unable to submit data ingestion request, XDM Mapping ID: {{Mapping}} {{reason}}", "status": "Failed"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.True(CampaignClient.IsMappingNotReady(ex));
        var refused = Assert.IsType<XdmIngestRequest>(ex.Target);
        Assert.Equal(XdmIngestStatus.Failed, refused.Status);
        Assert.Contains(reason, ex.Message);
        Assert.Contains(reason, ex.ServiceMessage);
        Assert.Contains(action, ex.RecommendedAction);
        Assert.Contains("Administration > Development > Platform > Status of data export to platform", ex.RecommendedAction);
        Assert.Contains(Mapping, ex.RecommendedAction);
        Assert.Equal(status, ex.StatusCode);
        // Refused is an answer, not a transient failure: sent once.
        Assert.Single(CampaignRequests(handler));
    }

    [Fact]
    public async Task An_unknown_mapping_is_not_found()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.NotFound, $$"""{"status":"Failed","info":"XDM Mapping ID: {{Mapping}} does not exist"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.False(CampaignClient.IsMappingNotReady(ex));
        Assert.Contains("does not exist", ex.Message);
        Assert.Equal(Mapping, ex.Target);
        Assert.Contains("Data mappings", ex.RecommendedAction);
    }

    [Fact]
    public async Task An_unknown_tenant_is_not_found_and_names_Tenant()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.NotFound, $$"""{"status":"Failed","info":"Unknown Campaign instance '{{Tenant}}'."}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal(Tenant, ex.Target);
        Assert.Contains("-Tenant", ex.RecommendedAction);
    }

    [Fact]
    public async Task Forbidden_names_the_SQL_function_execution_role()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.Forbidden, """{"error_code":"403025","message":"Profile is not valid"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.PermissionDenied, ex.Kind);
        Assert.Equal("403025", ex.ServiceErrorCode);
        Assert.Contains("SQL function execution", ex.RecommendedAction);
    }

    [Fact]
    public async Task A_refused_token_is_renewed_once_then_the_credentials_are_reported()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.Unauthorized, """{"error_code":"401013","message":"Oauth token is not valid"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);
        var imsBefore = handler.ImsCalls;

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.Authentication, ex.Kind);
        Assert.Equal("401013", ex.ServiceErrorCode);
        Assert.Equal(2, CampaignRequests(handler).Count);
        Assert.Equal(imsBefore + 1, handler.ImsCalls);
        var tokens = CampaignRequests(handler).Select(r => r.BearerToken).ToArray();
        Assert.NotEqual(tokens[0], tokens[1]);
    }

    [Fact]
    public async Task One_refused_token_then_an_answer_succeeds()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(
            handler,
            (HttpStatusCode.Unauthorized, """{"error_code":"401013","message":"Oauth token is not valid"}"""),
            (HttpStatusCode.OK, """{"requestId": 3, "info": "Ingestion request submitted successfully for the Mapping ID: m", "status": "Success"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var request = await session.Campaign.StartMappingIngestAsync(Mapping, None);

        Assert.Equal(XdmIngestStatus.Submitted, request.Status);
        Assert.Equal(2, CampaignRequests(handler).Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task A_503_or_429_on_the_trigger_is_retried_because_Campaign_did_nothing(HttpStatusCode status)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(
            handler,
            (status, """{"error_code":"503000","message":"try later"}"""),
            (HttpStatusCode.OK, """{"requestId": 12, "info": "Ingestion request submitted successfully for the Mapping ID: m", "status": "Success"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var request = await session.Campaign.StartMappingIngestAsync(Mapping, None);

        Assert.Equal(XdmIngestStatus.Submitted, request.Status);
        Assert.Equal(2, CampaignRequests(handler).Count(r => r.Method == HttpMethod.Post));
    }

    [Fact]
    public async Task A_trigger_that_could_not_connect_is_retried_because_nothing_was_sent()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var posts = 0;
        handler.Intercept = (request, _) =>
        {
            if (!IsCampaign(request))
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            if (Interlocked.Increment(ref posts) == 1)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused");
            }

            return Task.FromResult<HttpResponseMessage?>(RecordingHandler.Respond(HttpStatusCode.OK, """{"requestId": 12, "info": "Ingestion request submitted successfully for the Mapping ID: m", "status": "Success"}"""));
        };
        using var session = await ConnectCampaignAsync(emulator, handler);

        var request = await session.Campaign.StartMappingIngestAsync(Mapping, None);

        Assert.Equal(XdmIngestStatus.Submitted, request.Status);
        Assert.Equal(2, posts);
    }

    [Fact]
    public async Task A_lost_answer_is_not_sent_again_and_the_error_says_a_request_may_have_started()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var posts = 0;
        handler.Intercept = (request, _) =>
        {
            if (!IsCampaign(request))
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            // The POST reached Campaign and may have started a request, but its answer never came back. A re-POST
            // would answer "In Progress" while that request runs, but start a second ingestion once it has ended.
            Interlocked.Increment(ref posts);
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "connection reset");
        };
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(1, posts);
        Assert.True(CampaignClient.IsTriggerUnconfirmed(ex));
        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal(Mapping, ex.Target);
        Assert.Contains($"XDM mapping '{Mapping}'", ex.Message);
        Assert.Contains("may have started", ex.Message);
        Assert.Contains("not sent again", ex.Message);
        Assert.Contains($"Get-IngestStatus -MappingId {Mapping} -RequestId", ex.RecommendedAction);
        Assert.Contains("Status of data export to platform", ex.RecommendedAction);
        Assert.False(CampaignClient.IsMappingNotReady(ex));
    }

    [Fact]
    public async Task A_trigger_that_timed_out_is_not_sent_again()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var posts = 0;
        handler.Intercept = async (request, token) =>
        {
            if (!IsCampaign(request))
            {
                return null;
            }

            Interlocked.Increment(ref posts);
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return null;
        };
        using var session = await ConnectCampaignAsync(emulator, handler, new RetrySettings { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(1) });

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(1, posts);
        Assert.True(CampaignClient.IsTriggerUnconfirmed(ex));
        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task A_gateway_5xx_on_the_trigger_is_not_sent_again_since_Campaign_may_have_acted(HttpStatusCode status)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (status, """{"error_code":"502000","message":"upstream failed"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Single(CampaignRequests(handler));
        Assert.True(CampaignClient.IsTriggerUnconfirmed(ex));
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains("upstream failed", ex.Message);
    }

    [Fact]
    public async Task Against_the_emulator_a_lost_trigger_answer_starts_exactly_one_request()
    {
        await using var emulator = await TestEmulator.StartAsync(processingDelay: TimeSpan.FromMilliseconds(50));
        using var handler = new RecordingHandler();
        using var session = await IngestSession.ConnectAsync(CampaignOptions(emulator, handler, tenant: "emulator"), None);
        await emulator.SetFaultsAsync(new Ingestion.Emulator.FaultOptions { LostResponseRate = 1.0, PathPrefix = "/emulator/campaign" });

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync("demo-profiles", None));

        Assert.True(CampaignClient.IsTriggerUnconfirmed(ex));
        Assert.Equal(1, (await emulator.FaultCountersAsync())["lostResponse"]);
        Assert.Single(handler.Requests, r => r.Method == HttpMethod.Post && r.Path.Contains("/demo-profiles/ingest", StringComparison.Ordinal));
        var requests = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(emulator.DataDirectory, "campaign", "requests.json")));
        Assert.Equal(1, requests.RootElement.GetProperty("requests").GetArrayLength());
    }

    [Fact]
    public async Task The_emulator_keeps_the_batch_of_a_failure_after_upload_in_Catalog_as_failed_with_the_ACP_code()
    {
        await using var emulator = await TestEmulator.StartAsync(processingDelay: TimeSpan.FromMilliseconds(50));
        using var handler = new RecordingHandler();
        using var session = await IngestSession.ConnectAsync(CampaignOptions(emulator, handler, tenant: "emulator"), None);

        var submitted = await session.Campaign.StartMappingIngestAsync("demo-upload-failure", None);
        var final = await session.Campaign.WaitForMappingIngestAsync("demo-upload-failure", submitted.RequestId!.Value, FastWait, null, None);

        Assert.Equal(XdmIngestStatus.Failed, final.Status);
        Assert.NotNull(final.AepBatchId);
        var batch = await emulator.CatalogBatchAsync(final.AepBatchId!);
        Assert.Equal("failed", batch.GetProperty("status").GetString());
        Assert.Equal("ACP-880096", batch.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_mapping_refused_as_not_ready_is_remembered_for_completion()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await IngestSession.ConnectAsync(CampaignOptions(emulator, handler, tenant: "emulator"), None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync("demo-not-stopped", None));

        Assert.True(CampaignClient.IsMappingNotReady(ex));
        Assert.Contains(session.History.Recent(HistoryKind.Mapping), e => e.Id == "demo-not-stopped");
        Assert.Equal("demo-not-stopped Failed", ex.Target!.ToString());
    }

    [Fact]
    public async Task A_wait_that_ran_out_names_the_mapping_and_request_to_check_later()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.OK, """{"requestId": 12, "info": "running", "status": "In Progress"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.WaitForMappingIngestAsync(Mapping, 12, new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(100) }, null, None));

        Assert.Contains($"Get-IngestStatus -MappingId {Mapping} -RequestId 12", ex.RecommendedAction);
    }

    [Fact]
    public async Task A_5xx_with_Campaigns_body_is_Campaigns_answer_and_is_not_sent_again()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.InternalServerError, """{"status":"Failed","info":"Internal error while submitting"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains("Internal error while submitting", ex.Message);
        Assert.False(CampaignClient.IsTriggerUnconfirmed(ex));
        Assert.Single(CampaignRequests(handler));
    }

    [Fact]
    public async Task An_html_error_page_is_reported_as_the_gateways_error()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        handler.Intercept = (request, _) => Task.FromResult(IsCampaign(request)
            ? RecordingHandler.Respond(HttpStatusCode.BadGateway, null, r => r.Content = new StringContent("<html>bad gateway</html>", System.Text.Encoding.UTF8, "text/html"))
            : null);
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains("HTML", ex.Message);
    }

    [Fact]
    public async Task Problem_JSON_with_a_numeric_status_is_the_gateways_error_not_Campaigns_answer()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.NotFound, """{"type":"/placeholder/type/uri","status":404,"title":"NotFound","detail":"No route"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Contains("No route", ex.Message);
    }

    [Fact]
    public async Task A_trigger_answer_in_a_status_the_API_does_not_document_is_unexpected()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.OK, """{"requestId": 1, "status": "Queued"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));

        Assert.Equal(IngestErrorKind.UnexpectedResponse, ex.Kind);
        Assert.Contains("Queued", ex.Message);
    }

    public static TheoryData<string, XdmIngestStatus, long?, string?, string?> StatusAnswers() => new()
    {
        { """{"batchId": null, "info": "Ingestion in progress", "numRecords": null, "requestId": 12, "status": "In Progress"}""", XdmIngestStatus.InProgress, null, null, null },
        { """{"batchId": "01JABCDEF0123456789XYZ", "info": "Ingestion completed", "numRecords": 14, "requestId": 12, "status": "Success"}""", XdmIngestStatus.Success, 14, "01JABCDEF0123456789XYZ", null },
        { """{"batchId": null, "info": "ACP-880056 Failed to fetch the record from the database.", "numRecords": null, "requestId": 12, "status": "Failed"}""", XdmIngestStatus.Failed, null, null, "ACP-880056" },
        { """{"batchId": "01JFAILEDBATCH", "info": "ACP-880096 Sync Job failed to upload. Please check the error in the Platform UI.", "numRecords": null, "requestId": 12, "status": "Failed"}""", XdmIngestStatus.Failed, null, "01JFAILEDBATCH", "ACP-880096" },
        { """{"batchId": null, "info": "Ingestion request aborted", "numRecords": null, "requestId": "12", "status": "Aborted"}""", XdmIngestStatus.Aborted, null, null, null },
    };

    [Theory]
    [MemberData(nameof(StatusAnswers))]
    public async Task Status_sends_requestId_as_a_query_parameter_and_reads_every_documented_answer(string json, XdmIngestStatus expected, long? records, string? batchId, string? errorCode)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.OK, json));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var status = await session.Campaign.GetMappingIngestAsync(Mapping, 12, None);

        Assert.Equal(expected, status.Status);
        Assert.Equal(expected is XdmIngestStatus.Success or XdmIngestStatus.Failed or XdmIngestStatus.Aborted, status.IsTerminal);
        Assert.Equal(12, status.RequestId);
        Assert.Equal(records, status.NumRecords);
        Assert.Equal(batchId, status.AepBatchId);
        Assert.Equal(errorCode, status.ErrorCode);
        var sent = Assert.Single(CampaignRequests(handler));
        Assert.Equal(HttpMethod.Get, sent.Method);
        Assert.Equal(IngestPath, sent.Path);
        Assert.Equal($"?{CampaignClient.RequestIdQueryParameter}=12", sent.Uri.Query);
        Assert.Equal("requestId", CampaignClient.RequestIdQueryParameter);
        Assert.Equal("no-cache", sent.Headers["Cache-Control"]);
        Assert.False(sent.Headers.ContainsKey("x-gw-ims-org-id"));
    }

    [Fact]
    public async Task An_unknown_request_id_is_not_found()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.NotFound, """{"status":"Failed","info":"No ingestion request 99 for the Mapping ID: xdmMapping12"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.GetMappingIngestAsync(Mapping, 99, None));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Contains("No ingestion request 99", ex.Message);
        Assert.Contains("-RequestId", ex.RecommendedAction);
    }

    [Fact]
    public async Task A_status_GET_is_retried_on_a_5xx()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(
            handler,
            (HttpStatusCode.BadGateway, """{"error_code":"502000","message":"bad gateway"}"""),
            (HttpStatusCode.OK, """{"batchId": null, "info": "done", "numRecords": 14, "requestId": 12, "status": "Success"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);

        var status = await session.Campaign.GetMappingIngestAsync(Mapping, 12, None);

        Assert.Equal(XdmIngestStatus.Success, status.Status);
        Assert.Equal(2, CampaignRequests(handler).Count);
    }

    public static TheoryData<string, XdmIngestStatus> TerminalAnswers() => new()
    {
        { """{"batchId": null, "info": "done", "numRecords": 14, "requestId": 12, "status": "Success"}""", XdmIngestStatus.Success },
        { """{"batchId": "01JFAILEDBATCH", "info": "ACP-880096 Sync Job failed to upload. Please check the error in the Platform UI.", "numRecords": null, "requestId": 12, "status": "Failed"}""", XdmIngestStatus.Failed },
        { """{"batchId": null, "info": "aborted", "numRecords": null, "requestId": 12, "status": "Aborted"}""", XdmIngestStatus.Aborted },
    };

    [Theory]
    [MemberData(nameof(TerminalAnswers))]
    public async Task Waiting_polls_until_each_terminal_state_and_reports_every_look(string terminal, XdmIngestStatus expected)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        const string running = """{"batchId": null, "info": "running", "numRecords": null, "requestId": 12, "status": "In Progress"}""";
        Script(handler, (HttpStatusCode.OK, running), (HttpStatusCode.OK, running), (HttpStatusCode.OK, terminal));
        using var session = await ConnectCampaignAsync(emulator, handler);
        var reports = new List<XdmIngestRequest>();

        var final = await session.Campaign.WaitForMappingIngestAsync(Mapping, 12, FastWait, new SyncProgress<XdmIngestRequest>(reports.Add), None);

        Assert.Equal(expected, final.Status);
        Assert.True(final.IsTerminal);
        Assert.Equal(3, CampaignRequests(handler).Count);
        Assert.All(CampaignRequests(handler), r => Assert.Equal(HttpMethod.Get, r.Method));
        Assert.Equal([XdmIngestStatus.InProgress, XdmIngestStatus.InProgress, expected], reports.Select(r => r.Status));
    }

    [Fact]
    public async Task Waiting_past_the_timeout_names_the_last_status()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.OK, """{"batchId": null, "info": "running", "numRecords": null, "requestId": 12, "status": "In Progress"}"""));
        using var session = await ConnectCampaignAsync(emulator, handler);
        var options = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(200) };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.WaitForMappingIngestAsync(Mapping, 12, options, null, None));

        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
        var last = Assert.IsType<XdmIngestRequest>(ex.Target);
        Assert.Equal(XdmIngestStatus.InProgress, last.Status);
        Assert.Contains(Mapping, ex.Message);
        Assert.Contains("-TimeoutSec", ex.RecommendedAction);
        Assert.True(CampaignRequests(handler).Count >= 2);
    }

    [Fact]
    public async Task A_session_without_a_tenant_says_to_connect_with_Tenant_and_sends_nothing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        var start = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.StartMappingIngestAsync(Mapping, None));
        var get = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.GetMappingIngestAsync(Mapping, 1, None));
        var wait = await Assert.ThrowsAsync<IngestionException>(() => session.Campaign.WaitForMappingIngestAsync(Mapping, 1, FastWait, null, None));

        Assert.All([start, get, wait], ex =>
        {
            Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains("tenant", ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("-Tenant", ex.RecommendedAction);
        });
        Assert.Null(session.CampaignTenant);
        Assert.Null(session.CampaignEndpoint);
        Assert.Empty(CampaignRequests(handler));
    }

    [Fact]
    public async Task A_Campaign_session_needs_a_tenant_but_no_organization_or_sandbox()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();

        var missing = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(CampaignOptions(emulator, handler, tenant: null), None));
        Assert.Equal(IngestErrorKind.InvalidArgument, missing.Kind);
        Assert.Contains("CampaignTenant", missing.Message);

        var invalid = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(CampaignOptions(emulator, handler, tenant: "acme/../other"), None));
        Assert.Equal(IngestErrorKind.InvalidArgument, invalid.Kind);

        using var session = await ConnectCampaignAsync(emulator, handler);
        Assert.Equal(IngestPlatform.Campaign, session.Platform);
        Assert.Equal(Tenant, session.CampaignTenant);
        // Loopback platform endpoint (the emulator): Campaign is served there too.
        Assert.Equal(emulator.Endpoint.AbsoluteUri.TrimEnd('/') + "/", session.CampaignEndpoint!.AbsoluteUri);
        Assert.Contains(Tenant, session.ToString());
    }

    [Fact]
    public async Task Experience_Platform_calls_on_a_Campaign_only_session_fail_clearly_without_a_request()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await ConnectCampaignAsync(emulator, handler);
        var before = handler.PlatformRequests.Count;

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JABC", None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Platform Aep", ex.RecommendedAction);
        Assert.Equal(before, handler.PlatformRequests.Count);
    }

    [Fact]
    public async Task An_Aep_session_with_a_tenant_serves_both_with_each_platforms_headers()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        Script(handler, (HttpStatusCode.OK, """{"requestId": 5, "info": "Ingestion request submitted successfully for the Mapping ID: m", "status": "Success"}"""));
        var aep = emulator.Options(handler);
        using var session = await IngestSession.ConnectAsync(
            new AepConnectionOptions
            {
                ClientId = aep.ClientId,
                ClientSecret = aep.ClientSecret,
                OrganizationId = aep.OrganizationId,
                Sandbox = aep.Sandbox,
                PlatformEndpoint = aep.PlatformEndpoint,
                PrimaryHandler = handler,
                Retry = aep.Retry,
                CampaignTenant = Tenant,
            },
            None);

        var dataset = await session.ProfileDatasetAsync();
        var request = await session.Campaign.StartMappingIngestAsync(Mapping, None);

        Assert.Equal(IngestPlatform.Aep, session.Platform);
        Assert.Equal(XdmIngestStatus.Submitted, request.Status);
        var campaign = Assert.Single(CampaignRequests(handler));
        Assert.False(campaign.Headers.ContainsKey("x-gw-ims-org-id"));
        var platform = handler.PlatformRequests.First(r => r.Path.Contains("/catalog/", StringComparison.Ordinal));
        Assert.Equal(emulator.Credentials.OrganizationId, platform.Headers["x-gw-ims-org-id"]);
        Assert.Equal(campaign.BearerToken, platform.BearerToken);
        Assert.NotNull(dataset.Id);
    }

    [Fact]
    public async Task A_remote_platform_sends_Campaign_calls_to_mc_adobe_io_unless_told_otherwise()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var uris = new ConcurrentQueue<Uri>();
        handler.Intercept = (request, _) =>
        {
            if (request.RequestUri!.Host == "mc.adobe.io")
            {
                uris.Enqueue(request.RequestUri);
                return Task.FromResult<HttpResponseMessage?>(RecordingHandler.Respond(HttpStatusCode.OK, """{"requestId": 1, "info": "ok", "status": "Success"}"""));
            }

            return Task.FromResult<HttpResponseMessage?>(null);
        };
        var options = CampaignOptions(emulator, handler);
        using var session = await IngestSession.ConnectAsync(
            new AepConnectionOptions
            {
                Platform = IngestPlatform.Campaign,
                ClientId = options.ClientId,
                ClientSecret = options.ClientSecret,
                CampaignTenant = Tenant,
                PlatformEndpoint = new Uri("https://platform.adobe.io/"),
                ImsEndpoint = emulator.Endpoint,
                PrimaryHandler = handler,
                Retry = options.Retry,
            },
            None);

        await session.Campaign.StartMappingIngestAsync(Mapping, None);

        Assert.Equal(new Uri("https://mc.adobe.io/"), session.CampaignEndpoint);
        Assert.Equal($"https://mc.adobe.io{IngestPath}", Assert.Single(uris).AbsoluteUri);
    }

    [Theory]
    [InlineData("ACP-880056 Failed to fetch the record from the database.", "ACP-880056")]
    [InlineData("ACP-880096 Sync Job failed to upload. Please check the error in the Platform UI.", "ACP-880096")]
    [InlineData("Sync failed (ACP-880096), then ACP-1", "ACP-880096")]
    [InlineData("No code here", null)]
    [InlineData(null, null)]
    public void The_first_ACP_code_in_info_is_the_error_code(string? info, string? code)
    {
        Assert.Equal(code, XdmIngestRequest.ParseErrorCode(info));
        Assert.Equal(code, new XdmIngestRequest { MappingId = "m", Info = info }.ErrorCode);
    }

    [Fact]
    public void The_request_does_not_carry_properties_that_would_bind_the_batch_parameter_set()
    {
        var names = typeof(XdmIngestRequest).GetProperties().Select(p => p.Name).ToArray();
        Assert.DoesNotContain("BatchId", names);
        Assert.DoesNotContain("Id", names);
        Assert.Contains("MappingId", names);
        Assert.Contains("RequestId", names);
    }
}
