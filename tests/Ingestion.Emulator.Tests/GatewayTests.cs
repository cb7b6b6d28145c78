using System.Net;
using System.Text;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>The gateway's header checks, in Adobe's order, with Adobe's bodies.</summary>
public sealed class GatewayTests
{
    private const string Path = "data/foundation/catalog/dataSets";

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(
        TestEmulator emulator, Action<HttpRequestMessage> tweak, HttpMethod? method = null, HttpContent? content = null, string path = Path)
    {
        var request = await emulator.RequestAsync(method ?? HttpMethod.Get, path, content);
        tweak(request);
        var response = await emulator.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Missing_authorization_is_403010_even_when_everything_else_is_missing_too()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await SendAsync(emulator, r => r.Headers.Clear());

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"error_code":"403010","message":"Oauth token is missing."}""", body);
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Basic aW5nZXN0aW9uOnNlY3JldA==")]
    public async Task Unknown_token_is_401013(string authorization)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await SendAsync(emulator, r =>
        {
            r.Headers.Remove("Authorization");
            r.Headers.TryAddWithoutValidation("Authorization", authorization);
        });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""{"error_code":"401013","message":"Oauth token is not valid"}""", body);
    }

    [Fact]
    public async Task Missing_api_key_is_403000()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await SendAsync(emulator, r =>
        {
            r.Headers.Remove("x-api-key");
            r.Headers.Remove("x-gw-ims-org-id");
        });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"error_code":"403000","message":"Api Key is required"}""", body);
    }

    [Fact]
    public async Task Api_key_of_another_client_is_403003()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await SendAsync(emulator, r =>
        {
            r.Headers.Remove("x-api-key");
            r.Headers.Add("x-api-key", "another-client");
        });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"error_code":"403003","message":"Api Key is invalid"}""", body);
    }

    [Fact]
    public async Task Missing_org_is_400003()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await SendAsync(emulator, r => r.Headers.Remove("x-gw-ims-org-id"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"error_code":"400003","message":"Missing header"}""", body);
    }

    [Fact]
    public async Task Another_org_is_403025()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await SendAsync(emulator, r =>
        {
            r.Headers.Remove("x-gw-ims-org-id");
            r.Headers.Add("x-gw-ims-org-id", "OTHER@AdobeOrg");
        });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("""{"error_code":"403025","message":"Profile is not valid"}""", body);
    }

    [Fact]
    public async Task Missing_sandbox_is_a_400_naming_the_header()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, _) = await SendAsync(emulator, r => r.Headers.Remove("x-sandbox-name"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("x-sandbox-name", body);
    }

    [Fact]
    public async Task Unknown_sandbox_is_a_403_problem_naming_both_sandboxes()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body, response) = await SendAsync(emulator, r =>
        {
            r.Headers.Remove("x-sandbox-name");
            r.Headers.Add("x-sandbox-name", "dev");
        });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'dev'", body);
        Assert.Contains("'prod'", body);
    }

    [Fact]
    public async Task Post_with_a_body_but_no_content_type_gets_the_documented_problem()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"x"}"""));
        var (status, body, _) = await SendAsync(emulator, _ => { }, HttpMethod.Post, content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"type":"/placeholder/type/uri","status":400,"title":"BadRequestError","detail":"A valid content-type must be specified"}""", body);
    }

    [Fact]
    public async Task Post_with_an_unparseable_content_type_gets_the_documented_problem()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"x"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", "not a media type");
        var (status, body, _) = await SendAsync(emulator, _ => { }, HttpMethod.Post, content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("A valid content-type must be specified", body);
    }

    [Fact]
    public async Task Put_without_content_type_gets_the_documented_problem()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        var (status, body, _) = await SendAsync(
            emulator, _ => { }, HttpMethod.Put, new ByteArrayContent([1, 2, 3]), TestEmulator.FilePath(batch, dataset, "a.json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("A valid content-type must be specified", body);
    }

    [Fact]
    public async Task Put_of_a_file_with_another_content_type_is_415()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        var content = new StringContent("{}", Encoding.UTF8, "application/json");
        var (status, body, response) = await SendAsync(emulator, _ => { }, HttpMethod.Put, content, TestEmulator.FilePath(batch, dataset, "a.json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("application/octet-stream", body);
        Assert.Contains("\"status\":415", body);
    }

    [Fact]
    public async Task Bodiless_post_needs_no_content_type()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);
        using var response = await emulator.SendAsync(HttpMethod.Post, $"data/foundation/import/batches/{batch}?action=ABORT");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_and_echoes_the_clients()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var (_, _, ok) = await SendAsync(emulator, r => r.Headers.Add("x-request-id", "my-request-42"));
        Assert.Equal("my-request-42", ok.Headers.GetValues("x-request-id").Single());

        var (_, _, refused) = await SendAsync(emulator, r => r.Headers.Clear());
        Assert.False(string.IsNullOrEmpty(refused.Headers.GetValues("x-request-id").Single()));

        using var token = await emulator.Http.PostAsync("ims/token/v3", new FormUrlEncodedContent([]));
        Assert.True(token.Headers.Contains("x-request-id"));

        using var missing = await emulator.SendAsync(HttpMethod.Get, "data/foundation/catalog/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.True(missing.Headers.Contains("x-request-id"));
    }

    [Fact]
    public async Task Health_and_root_need_no_credentials()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var health = await emulator.Http.GetAsync("emulator/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await health.Content.ReadAsStringAsync());

        using var root = await emulator.Http.GetAsync("");
        var text = await root.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains("ingestion-emulator", text);
        Assert.Contains("emulator-secret", text);
        Assert.Contains("EMULATORORG@AdobeOrg", text);
    }

    [Fact]
    public async Task A_dot_segment_cannot_move_a_request_out_of_the_gateway()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);

        var response = await RawHttp.SendAsync(
            emulator.Endpoint,
            "PUT",
            $"/data/foundation/import/batches/{batch}/datasets/{dataset}/files/../../../../../../../emulator/health",
            [new("Content-Type", "application/octet-stream")],
            [1, 2, 3]);

        Assert.Equal(403, response.Status);
        Assert.Contains("403010", response.Body);
    }

    [Fact]
    public async Task Overlong_urls_are_414()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var response = await emulator.SendAsync(HttpMethod.Get, Path + "?name=" + new string('a', 2100));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }
}
