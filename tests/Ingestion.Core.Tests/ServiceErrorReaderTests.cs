using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;

namespace Ingestion.Core.Tests;

public class ServiceErrorReaderTests
{
    private const string Operation = "Reading the status of batch 'B1'";

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string? mediaType = "application/json", string? requestId = "resp-id")
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8),
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/data/foundation/catalog/batches/B1"),
        };
        response.Content.Headers.ContentType = mediaType is null ? null : new MediaTypeHeaderValue(mediaType);
        if (requestId is not null)
        {
            response.Headers.TryAddWithoutValidation("x-request-id", requestId);
        }

        return response;
    }

    private static Task<IngestionException> ReadAsync(HttpResponseMessage response, IngestErrorKind? kindFor400 = null) =>
        ServiceErrorReader.ReadAsync(response, Operation, "B1", CancellationToken.None, kindFor400);

    [Fact]
    public async Task Gateway_shape()
    {
        using var response = Response(HttpStatusCode.Forbidden, """{"error_code":"403025","message":"Profile is not valid"}""");
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.PermissionDenied, ex.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal("403025", ex.ServiceErrorCode);
        Assert.Equal("Profile is not valid", ex.ServiceMessage);
        Assert.Equal("resp-id", ex.RequestId);
        Assert.Equal("B1", ex.Target);
        Assert.Equal($"{Operation} failed: HTTP 403 Forbidden [403025]: Profile is not valid", ex.Message);
        Assert.NotNull(ex.RecommendedAction);
    }

    [Fact]
    public async Task Gateway_shape_with_a_numeric_code()
    {
        using var response = Response(HttpStatusCode.Unauthorized, """{"error_code":401013,"message":"Oauth token is not valid"}""");
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.Authentication, ex.Kind);
        Assert.Equal("401013", ex.ServiceErrorCode);
        Assert.Equal("Oauth token is not valid", ex.ServiceMessage);
    }

    [Fact]
    public async Task Problem_shape_takes_the_code_from_the_type_uri()
    {
        using var response = Response(
            HttpStatusCode.NotFound,
            """{"type":"https://ns.adobe.com/aep/errors/INGEST-1004-404","status":404,"title":"Not Found","detail":"Batch 'B1' was not found."}""",
            "application/problem+json");
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("INGEST-1004-404", ex.ServiceErrorCode);
        Assert.Equal("Batch 'B1' was not found.", ex.ServiceMessage);
        Assert.Contains("[INGEST-1004-404]", ex.Message);
    }

    [Fact]
    public async Task Problem_shape_with_the_placeholder_type_falls_back_to_the_title()
    {
        // The gateway's bad Content-Type answer (api-notes §1.3): its type is a placeholder, not a code.
        using var response = Response(
            HttpStatusCode.BadRequest,
            """{"type":"/placeholder/type/uri","status":400,"title":"BadRequestError","detail":"A valid content-type must be specified"}""");
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("A valid content-type must be specified", ex.ServiceMessage);
        Assert.DoesNotContain("placeholder", ex.Message);
        Assert.Equal("BadRequestError", ex.ServiceErrorCode);
    }

    [Fact]
    public async Task Ims_shape()
    {
        using var response = Response(HttpStatusCode.BadRequest, """{"error":"invalid_client","error_description":"invalid client_secret parameter"}""");
        var ex = await ReadAsync(response);

        Assert.Equal("invalid_client", ex.ServiceErrorCode);
        Assert.Equal("invalid client_secret parameter", ex.ServiceMessage);
    }

    [Theory]
    [InlineData("text/html", "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>")]
    [InlineData(null, "\n  <!DOCTYPE html><html><head><title>Oops</title></head></html>")]
    [InlineData("text/plain", "<html>not closed")]
    public async Task Html_body_is_named_not_pasted(string? mediaType, string body)
    {
        using var response = Response(HttpStatusCode.BadGateway, body, mediaType);
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains("HTML", ex.Message);
        Assert.DoesNotContain("<", ex.Message);
        Assert.DoesNotContain("nginx", ex.Message);
        Assert.Null(ex.ServiceErrorCode);
        Assert.Contains("HTML", ex.ServiceMessage);
    }

    [Fact]
    public async Task Empty_body_says_there_was_no_detail()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new ByteArrayContent([]),
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/x"),
        };
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Null(ex.ServiceErrorCode);
        Assert.Null(ex.ServiceMessage);
        Assert.Equal($"{Operation} failed: HTTP 503 Service Unavailable: the service gave no detail", ex.Message);
    }

    [Theory]
    [InlineData("""["error","list"]""")]
    [InlineData("\"just a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task Json_that_is_not_an_object_is_quoted_as_it_is(string body)
    {
        using var response = Response(HttpStatusCode.InternalServerError, body);
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Null(ex.ServiceErrorCode);
        Assert.Equal(body, ex.ServiceMessage);
        Assert.EndsWith(body, ex.Message);
    }

    [Fact]
    public async Task Long_text_is_cut()
    {
        var body = new string('x', 5000);
        using var response = Response(HttpStatusCode.InternalServerError, body, "text/plain");
        var ex = await ReadAsync(response);

        Assert.Equal(new string('x', 300) + "…", ex.ServiceMessage);
        Assert.True(ex.Message.Length < 500, ex.Message);
    }

    [Fact]
    public async Task Request_id_falls_back_to_the_one_sent()
    {
        using var response = Response(HttpStatusCode.NotFound, "{}", requestId: null);
        response.RequestMessage!.Headers.TryAddWithoutValidation("x-request-id", "sent-id");
        var ex = await ReadAsync(response);

        Assert.Equal("sent-id", ex.RequestId);
    }

    [Fact]
    public async Task No_request_id_anywhere_is_null()
    {
        using var response = Response(HttpStatusCode.NotFound, "{}", requestId: null);
        var ex = await ReadAsync(response);

        Assert.Null(ex.RequestId);
    }

    [Fact]
    public async Task Attempts_are_counted_in_the_message_and_the_action_names_the_setting()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable, """{"error_code":"503","message":"busy"}""");
        response.RequestMessage!.Options.Set(IngestRequestAttempts.Key, 5);
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains("Gave up after 5 attempts; connect again with a higher -MaxRetries, -RetryDelay or -TimeoutSec (Connect-IngestService)", ex.Message);
        Assert.Contains("-MaxRetries", ex.RecommendedAction);
    }

    [Fact]
    public async Task A_refusal_after_retries_is_not_reported_as_given_up()
    {
        // Attempts 1 and 2 met a 503; the third got a definite 400, which no retry setting would change.
        using var response = Response(HttpStatusCode.BadRequest, """{"error_code":"400","message":"bad field"}""");
        response.RequestMessage!.Options.Set(IngestRequestAttempts.Key, 3);
        var ex = await ReadAsync(response);

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain("Gave up", ex.Message);
        Assert.DoesNotContain("-MaxRetries", ex.Message);
        Assert.Null(ex.RecommendedAction);
    }

    [Fact]
    public async Task A_single_attempt_does_not_mention_attempts()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable, """{"message":"busy"}""");
        var ex = await ReadAsync(response);

        Assert.DoesNotContain("attempt", ex.Message);
        Assert.Null(ex.RecommendedAction);
    }

    [Fact]
    public async Task A_400_can_mean_a_wrong_state()
    {
        using var response = Response(HttpStatusCode.BadRequest, """{"message":"batch is aborted"}""");
        var ex = await ReadAsync(response, IngestErrorKind.InvalidState);

        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
    }

    [Theory]
    [InlineData(400, IngestErrorKind.InvalidArgument)]
    [InlineData(401, IngestErrorKind.Authentication)]
    [InlineData(403, IngestErrorKind.PermissionDenied)]
    [InlineData(404, IngestErrorKind.NotFound)]
    [InlineData(405, IngestErrorKind.Service)]
    [InlineData(408, IngestErrorKind.Timeout)]
    [InlineData(409, IngestErrorKind.InvalidState)]
    [InlineData(412, IngestErrorKind.InvalidState)]
    [InlineData(413, IngestErrorKind.InvalidArgument)]
    [InlineData(414, IngestErrorKind.InvalidArgument)]
    [InlineData(415, IngestErrorKind.InvalidArgument)]
    [InlineData(422, IngestErrorKind.InvalidArgument)]
    [InlineData(429, IngestErrorKind.RateLimited)]
    [InlineData(500, IngestErrorKind.Unavailable)]
    [InlineData(501, IngestErrorKind.Unavailable)]
    [InlineData(503, IngestErrorKind.Unavailable)]
    [InlineData(504, IngestErrorKind.Timeout)]
    [InlineData(302, IngestErrorKind.Service)]
    public void Status_to_kind(int status, IngestErrorKind kind)
    {
        Assert.Equal(kind, ServiceErrorReader.KindOf((HttpStatusCode)status));
    }

    [Fact]
    public void Transport_failures()
    {
        var timeout = ServiceErrorReader.FromTransport(new Polly.Timeout.TimeoutRejectedException("attempt timed out"), Operation, "B1", attempts: 1);
        Assert.Equal(IngestErrorKind.Timeout, timeout.Kind);
        Assert.Null(timeout.StatusCode);
        Assert.Equal("B1", timeout.Target);
        Assert.Contains("timed out", timeout.Message);

        Assert.DoesNotContain("Gave up", timeout.Message);

        var refused = ServiceErrorReader.FromTransport(new HttpRequestException("Connection refused (127.0.0.1:1)"), Operation, "B1", attempts: 5);
        Assert.Equal(IngestErrorKind.Unavailable, refused.Kind);
        Assert.Contains("Connection refused", refused.Message);
        Assert.Contains("Gave up after 5 attempts", refused.Message);
        Assert.IsType<HttpRequestException>(refused.InnerException);
    }
}
