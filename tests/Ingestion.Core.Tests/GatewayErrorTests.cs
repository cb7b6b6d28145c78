using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>The gateway's header checks (api-notes §1.3) as the engine reports them.</summary>
public class GatewayErrorTests
{
    [Fact]
    public async Task Wrong_organization_is_permission_denied()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await Ingestion.Core.Sessions.IngestSession.ConnectAsync(emulator.Options(organizationId: "OTHERORG@AdobeOrg"), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.ProfileDatasetAsync());

        Assert.Equal(IngestErrorKind.PermissionDenied, ex.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal("403025", ex.ServiceErrorCode);
        Assert.Equal("Profile is not valid", ex.ServiceMessage);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.NotNull(ex.RecommendedAction);
    }

    [Fact]
    public async Task Wrong_sandbox_is_permission_denied()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await Ingestion.Core.Sessions.IngestSession.ConnectAsync(emulator.Options(sandbox: "no-such-sandbox"), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH000000000000000000", CancellationToken.None));

        Assert.Equal(IngestErrorKind.PermissionDenied, ex.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal("EMULATOR-0403-403", ex.ServiceErrorCode);
        Assert.Contains("no-such-sandbox", ex.ServiceMessage);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
    }

    [Fact]
    public async Task The_request_id_is_the_one_the_engine_sent()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await Ingestion.Core.Sessions.IngestSession.ConnectAsync(emulator.Options(handler, organizationId: "OTHERORG@AdobeOrg"), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH000000000000000000", CancellationToken.None));

        Assert.Equal(handler.PlatformRequests.Single().Headers["x-request-id"], ex.RequestId);
    }

    public enum Fault
    {
        NoAuthorization,
        InvalidToken,
        NotBearer,
        NoApiKey,
        WrongApiKey,
        NoOrganization,
        NoSandbox,
    }

    [Theory]
    [InlineData(Fault.NoAuthorization, 403, "403010", IngestErrorKind.PermissionDenied, "Oauth token is missing.")]
    [InlineData(Fault.InvalidToken, 401, "401013", IngestErrorKind.Authentication, "Oauth token is not valid")]
    [InlineData(Fault.NotBearer, 401, "401013", IngestErrorKind.Authentication, "Oauth token is not valid")]
    [InlineData(Fault.NoApiKey, 403, "403000", IngestErrorKind.PermissionDenied, "Api Key is required")]
    [InlineData(Fault.WrongApiKey, 403, "403003", IngestErrorKind.PermissionDenied, "Api Key is invalid")]
    [InlineData(Fault.NoOrganization, 400, "400003", IngestErrorKind.InvalidArgument, "Missing header")]
    [InlineData(Fault.NoSandbox, 400, "400003", IngestErrorKind.InvalidArgument, null)]
    public async Task Header_errors_read_through_the_engines_reader(Fault fault, int status, string code, IngestErrorKind kind, string? message)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.Endpoint };
        var token = await TokenAsync(http, emulator);

        using var request = new HttpRequestMessage(HttpMethod.Get, "data/foundation/catalog/dataSets?limit=1");
        if (fault != Fault.NoAuthorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", fault switch
            {
                Fault.InvalidToken => "Bearer not-a-token",
                Fault.NotBearer => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b")),
                _ => "Bearer " + token,
            });
        }

        if (fault != Fault.NoApiKey)
        {
            request.Headers.Add("x-api-key", fault == Fault.WrongApiKey ? "another-client" : emulator.Credentials.ClientId);
        }

        if (fault != Fault.NoOrganization)
        {
            request.Headers.Add("x-gw-ims-org-id", emulator.Credentials.OrganizationId);
        }

        if (fault != Fault.NoSandbox)
        {
            request.Headers.Add("x-sandbox-name", emulator.Credentials.Sandbox);
        }

        using var response = await http.SendAsync(request);
        var ex = await ServiceErrorReader.ReadAsync(response, "Listing datasets", null, CancellationToken.None);

        Assert.Equal(kind, ex.Kind);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(code, ex.ServiceErrorCode);
        if (message is not null)
        {
            Assert.Equal(message, ex.ServiceMessage);
        }

        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.StartsWith($"Listing datasets failed: HTTP {status} ", ex.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nonsense")]
    public async Task A_body_without_a_valid_content_type_is_problem_json(string? contentType)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.Endpoint };
        var token = await TokenAsync(http, emulator);

        using var request = new HttpRequestMessage(HttpMethod.Post, "data/foundation/import/batches")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"datasetId":"x"}""")),
        };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.Add("x-api-key", emulator.Credentials.ClientId);
        request.Headers.Add("x-gw-ims-org-id", emulator.Credentials.OrganizationId);
        request.Headers.Add("x-sandbox-name", emulator.Credentials.Sandbox);

        using var response = await http.SendAsync(request);
        var ex = await ServiceErrorReader.ReadAsync(response, "Creating a batch", null, CancellationToken.None);

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("A valid content-type must be specified", ex.ServiceMessage);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.DoesNotContain("placeholder", ex.Message);
        Assert.Equal("BadRequestError", ex.ServiceErrorCode);
    }

    private static async Task<string> TokenAsync(HttpClient http, TestEmulator emulator)
    {
        using var response = await http.PostAsync("ims/token/v3", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = emulator.Credentials.ClientId,
            ["client_secret"] = emulator.Credentials.ClientSecret,
        }));
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("access_token").GetString()!;
    }
}
