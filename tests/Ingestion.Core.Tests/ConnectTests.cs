using System.Net;
using System.Net.Sockets;
using Ingestion.Core.Errors;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

public class ConnectTests
{
    [Fact]
    public async Task Valid_credentials_connect_with_one_token_request()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await IngestSession.ConnectAsync(emulator.Options(handler), CancellationToken.None);

        Assert.Equal(emulator.Credentials.ClientId, session.ClientId);
        Assert.Equal(emulator.Credentials.OrganizationId, session.OrganizationId);
        Assert.Equal("prod", session.Sandbox);
        Assert.Equal(emulator.Endpoint.AbsoluteUri.TrimEnd('/') + "/", session.Endpoint.AbsoluteUri);
        // A loopback platform endpoint serves IMS too.
        Assert.Equal(session.Endpoint, session.ImsEndpoint);
        Assert.NotNull(session.TokenExpires);
        Assert.True(session.TokenExpires > DateTimeOffset.UtcNow.AddHours(23), $"token expires {session.TokenExpires}");

        var ims = Assert.Single(handler.Requests);
        Assert.True(ims.IsIms);
        Assert.Equal(HttpMethod.Post, ims.Method);
        Assert.Null(ims.Authorization);
        Assert.DoesNotContain("secret", ims.Uri.Query, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Wrong_secret_is_an_authentication_error_naming_the_client_id_but_not_the_secret()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        const string wrong = "Wr0ng-S3cret-Value";

        var ex = await Assert.ThrowsAsync<IngestionException>(() =>
            IngestSession.ConnectAsync(emulator.Options(handler, secret: wrong), CancellationToken.None));

        Assert.Equal(IngestErrorKind.Authentication, ex.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("invalid_client", ex.ServiceErrorCode);
        Assert.Contains(emulator.Credentials.ClientId, ex.Message);
        Assert.DoesNotContain(wrong, ex.Message);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.NotNull(ex.RecommendedAction);
        // Refused credentials are final: no retry.
        Assert.Equal(1, handler.ImsCalls);
    }

    [Fact]
    public async Task Unknown_client_id_is_an_authentication_error_naming_it()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var options = emulator.Options(clientId: "someone-else");

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.Authentication, ex.Kind);
        Assert.Contains("someone-else", ex.Message);
    }

    [Theory]
    [InlineData("http://ingestion.example/", null)]
    [InlineData("http://ingestion.example:8080/api", null)]
    [InlineData("https://ingestion.example/", "http://ims.example/")]
    [InlineData("ftp://127.0.0.1/", null)]
    [InlineData("file:///tmp/x", null)]
    public async Task Plain_http_to_a_remote_host_is_refused_before_any_request(string platform, string? ims)
    {
        using var handler = new RecordingHandler();
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri(platform),
            ImsEndpoint = ims is null ? null : new Uri(ims),
            PrimaryHandler = handler,
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains(ims is null ? new Uri(platform).Host : "ims.example", ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_platform_endpoint_without_trailing_slash_keeps_its_path()
    {
        using var handler = new RecordingHandler
        {
            Intercept = (_, _) => Task.FromResult<HttpResponseMessage?>(
                RecordingHandler.Respond(HttpStatusCode.OK, """{"access_token":"t","token_type":"bearer","expires_in":3600}""")),
        };
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri("http://127.0.0.1:9/gateway"),
            PrimaryHandler = handler,
        };

        using var session = await IngestSession.ConnectAsync(options, CancellationToken.None);

        Assert.Equal("http://127.0.0.1:9/gateway/", session.Endpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9/gateway/ims/token/v3", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_remote_platform_uses_adobe_ims_with_the_form_body()
    {
        string? body = null;
        using var handler = new RecordingHandler
        {
            Intercept = async (request, ct) =>
            {
                body = await request.Content!.ReadAsStringAsync(ct);
                return RecordingHandler.Respond(HttpStatusCode.OK, """{"access_token":"t","token_type":"bearer","expires_in":86399}""");
            },
        };
        var options = new AepConnectionOptions
        {
            ClientId = "my-client",
            ClientSecret = Secrets.Secure("my secret&=?"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "dev-1",
            PrimaryHandler = handler,
        };

        using var session = await IngestSession.ConnectAsync(options, CancellationToken.None);

        Assert.Equal(AepConnectionOptions.DefaultImsEndpoint, session.ImsEndpoint);
        Assert.Equal(AepConnectionOptions.DefaultPlatformEndpoint, session.Endpoint);
        var ims = Assert.Single(handler.Requests);
        Assert.Equal(new Uri(AepConnectionOptions.DefaultImsEndpoint, "ims/token/v3"), ims.Uri);
        Assert.Equal(string.Empty, ims.Uri.Query);
        var form = body!.Split('&').Select(p => p.Split('=')).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("my-client", form["client_id"]);
        Assert.Equal("my secret&=?", form["client_secret"]);
        Assert.Equal(AepConnectionOptions.DefaultScope, form["scope"]);
    }

    public static TheoryData<string, string?, string?, string?, string?> EmptyValues => new()
    {
        { "ClientId", "", null, null, null },
        { "ClientId", "  ", null, null, null },
        { "OrganizationId", null, "", null, null },
        { "Sandbox", null, null, "", null },
        { "Sandbox", null, null, " ", null },
        { "ClientSecret", null, null, null, "" },
    };

    [Theory]
    [MemberData(nameof(EmptyValues))]
    public async Task Empty_values_are_refused_before_any_request(string name, string? clientId, string? org, string? sandbox, string? secret)
    {
        using var handler = new RecordingHandler();
        var options = new AepConnectionOptions
        {
            ClientId = clientId ?? "id",
            ClientSecret = Secrets.Secure(secret ?? "secret"),
            OrganizationId = org ?? "ORG@AdobeOrg",
            Sandbox = sandbox ?? "prod",
            PlatformEndpoint = new Uri("http://127.0.0.1:9/"),
            PrimaryHandler = handler,
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith(name, ex.Message);
        Assert.Empty(handler.Requests);
    }

    public static TheoryData<string, RetrySettings> BadRetrySettings => new()
    {
        { "MaxRetries", new RetrySettings { MaxRetries = -1 } },
        { "MaxRetries", new RetrySettings { MaxRetries = 101 } },
        { "RetryDelay", new RetrySettings { RetryDelay = TimeSpan.FromSeconds(-1) } },
        { "RetryDelay", new RetrySettings { RetryDelay = TimeSpan.FromDays(2) } },
        { "TimeoutSec", new RetrySettings { AttemptTimeout = TimeSpan.Zero } },
        { "TimeoutSec", new RetrySettings { AttemptTimeout = TimeSpan.FromDays(2) } },
    };

    [Theory]
    [MemberData(nameof(BadRetrySettings))]
    public async Task Retry_settings_the_pipeline_cannot_honour_are_refused_by_name(string name, RetrySettings retry)
    {
        using var handler = new RecordingHandler();
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri("http://127.0.0.1:9/"),
            Retry = retry,
            PrimaryHandler = handler,
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith(name, ex.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_null_secret_is_refused()
    {
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = null!,
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri("http://127.0.0.1:9/"),
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));
        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("ClientSecret", ex.Message);
    }

    [Theory]
    [InlineData("Prod")]
    [InlineData("PROD")]
    [InlineData("my_sandbox")]
    [InlineData("-dev")]
    [InlineData("dev sandbox")]
    public async Task Sandbox_names_that_aep_cannot_have_are_refused(string sandbox)
    {
        using var handler = new RecordingHandler();
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = sandbox,
            PlatformEndpoint = new Uri("http://127.0.0.1:9/"),
            PrimaryHandler = handler,
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains($"'{sandbox}'", ex.Message);
        Assert.Equal(sandbox, ex.Target);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Nothing_listening_is_unavailable_after_retries()
    {
        // A port that was free a moment ago: nothing answers there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var handler = new RecordingHandler();
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri($"http://127.0.0.1:{port}/"),
            PrimaryHandler = handler,
            Retry = new RetrySettings { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(1) },
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.NotNull(ex.RecommendedAction);
        // The token request is safe to repeat.
        Assert.Equal(3, handler.ImsCalls);
    }

    [Fact]
    public async Task An_ims_that_never_answers_is_a_timeout()
    {
        using var handler = new RecordingHandler
        {
            Intercept = async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return null;
            },
        };
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri("http://127.0.0.1:9/"),
            PrimaryHandler = handler,
            Retry = new RetrySettings { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromMilliseconds(100) },
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
        Assert.Equal(2, handler.ImsCalls);
    }

    [Fact]
    public async Task A_busy_ims_is_asked_again()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var failures = 0;
        using var handler = new RecordingHandler
        {
            Intercept = (_, _) => Task.FromResult(Interlocked.Increment(ref failures) <= 2
                ? RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", r => r.Content!.Headers.ContentType = new("text/html"))
                : null),
        };

        using var session = await emulator.ConnectAsync(handler);

        Assert.Equal(3, handler.ImsCalls);
        Assert.NotNull(session.TokenExpires);
    }

    [Fact]
    public async Task An_ims_that_stays_busy_is_unavailable()
    {
        using var handler = new RecordingHandler
        {
            Intercept = (_, _) => Task.FromResult<HttpResponseMessage?>(
                RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable, """{"error":"server_error","error_description":"down for maintenance"}""")),
        };
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri("http://127.0.0.1:9/"),
            PrimaryHandler = handler,
            Retry = new RetrySettings { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1) },
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal("server_error", ex.ServiceErrorCode);
        Assert.Contains("down for maintenance", ex.Message);
        Assert.Equal(2, handler.ImsCalls);
    }

    [Theory]
    [InlineData("""{"token_type":"bearer","expires_in":86399}""")]
    [InlineData("""{"access_token":"","expires_in":86399}""")]
    [InlineData("""{"access_token":"t","expires_in":0}""")]
    [InlineData("""{"access_token":42}""")]
    [InlineData("""[]""")]
    [InlineData("""<html>login page</html>""")]
    public async Task An_ims_answer_without_a_usable_token_is_unexpected(string body)
    {
        using var handler = new RecordingHandler
        {
            Intercept = (_, _) => Task.FromResult<HttpResponseMessage?>(RecordingHandler.Respond(HttpStatusCode.OK, body)),
        };
        var options = new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = new Uri("http://127.0.0.1:9/"),
            PrimaryHandler = handler,
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.UnexpectedResponse, ex.Kind);
        Assert.Contains("127.0.0.1:9", ex.Message);
    }

    [Fact]
    public async Task ToString_names_org_sandbox_and_endpoint()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        Assert.Equal($"Aep {emulator.Credentials.OrganizationId}/prod at {session.Endpoint}", session.ToString());
    }

    [Fact]
    public async Task An_ims_outage_is_not_reported_as_refused_credentials()
    {
        using var handler = new RecordingHandler
        {
            Intercept = (_, _) => Task.FromResult<HttpResponseMessage?>(
                RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable, """{"error":"server_error","error_description":"down for maintenance"}""")),
        };
        var options = new AepConnectionOptions
        {
            ClientId = "my-client",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            Retry = new RetrySettings { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1) },
            PrimaryHandler = handler,
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.DoesNotContain("refused", ex.Message);
        Assert.Contains("down for maintenance", ex.Message);
        Assert.Equal(2, handler.Requests.Count);
    }
}
