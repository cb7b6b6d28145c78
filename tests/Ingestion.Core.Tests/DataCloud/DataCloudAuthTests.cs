using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests.DataCloud;

/// <summary>Data Cloud's two-step login: the RS256 assertion, the exchange, renewal before expiry and after a 401, errors that name the step.</summary>
public class DataCloudAuthTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_assertion_carries_the_claims_and_a_signature_the_public_key_verifies()
    {
        using var dc = new FakeDataCloud();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var session = await dc.ConnectAsync(time);

        var form = Assert.Single(dc.LoginForms);
        Assert.Equal(DataCloudTokenProvider.JwtBearerGrant, form["grant_type"]);
        var parts = form["assertion"].Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal("{\"alg\":\"RS256\"}", Encoding.UTF8.GetString(DataCloudTokenProvider.FromBase64Url(parts[0])));
        var claims = JsonNode.Parse(DataCloudTokenProvider.FromBase64Url(parts[1]))!.AsObject();
        Assert.Equal(FakeDataCloud.ConsumerKey, claims["iss"]!.GetValue<string>());
        Assert.Equal(FakeDataCloud.User, claims["sub"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:9", claims["aud"]!.GetValue<string>());
        Assert.Equal(time.GetUtcNow().AddMinutes(3).ToUnixTimeSeconds(), claims["exp"]!.GetValue<long>());

        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(dc.Key.ExportSubjectPublicKeyInfo(), out _);
        Assert.True(publicKey.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            DataCloudTokenProvider.FromBase64Url(parts[2]),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task A_certificate_with_its_private_key_signs_the_assertion_instead_of_a_key_file()
    {
        using var dc = new FakeDataCloud();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ingest", dc.Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var options = dc.Options();
        using var session = await IngestSession.ConnectAsync(
            new DataCloudConnectionOptions
            {
                ClientId = options.ClientId,
                UserName = options.UserName,
                Certificate = certificate,
                LoginUrl = options.LoginUrl,
                PrimaryHandler = options.PrimaryHandler,
                Retry = options.Retry,
            },
            None);

        Assert.Equal(IngestPlatform.DataCloud, session.Platform);
        var parts = Assert.Single(dc.LoginForms)["assertion"].Split('.');
        using var publicKey = certificate.GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            DataCloudTokenProvider.FromBase64Url(parts[2]),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1));
        Assert.Equal(1, dc.Exchanges);
    }

    [Fact]
    public async Task A_certificate_without_a_private_key_and_a_key_file_with_a_certificate_are_refused_before_any_request()
    {
        using var dc = new FakeDataCloud();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ingest", dc.Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(withKey.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Cert));
        var options = dc.Options();

        var noKey = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(
            new DataCloudConnectionOptions { ClientId = options.ClientId, UserName = options.UserName, Certificate = publicOnly, LoginUrl = options.LoginUrl, PrimaryHandler = options.PrimaryHandler, Retry = options.Retry },
            None));
        Assert.Equal(IngestErrorKind.InvalidArgument, noKey.Kind);
        Assert.Contains("no RSA private key", noKey.Message);

        var both = await Assert.ThrowsAsync<IngestionException>(() => IngestSession.ConnectAsync(
            new DataCloudConnectionOptions { ClientId = options.ClientId, UserName = options.UserName, Certificate = withKey, PrivateKeyPath = options.PrivateKeyPath, LoginUrl = options.LoginUrl, PrimaryHandler = options.PrimaryHandler, Retry = options.Retry },
            None));
        Assert.Contains("not both", both.Message);
        Assert.Empty(dc.LoginForms);
    }

    [Fact]
    public async Task The_core_token_is_exchanged_and_the_bare_instance_host_normalised()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync(dataspace: "sales");

        var form = Assert.Single(dc.ExchangeForms);
        Assert.Equal(DataCloudTokenProvider.ExchangeGrant, form["grant_type"]);
        Assert.Equal("core-token-1", form["subject_token"]);
        Assert.Equal(DataCloudTokenProvider.AccessTokenType, form["subject_token_type"]);
        Assert.Equal("sales", form["dataspace"]);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), session.InstanceUrl);
        Assert.Equal(IngestPlatform.DataCloud, session.Platform);

        await session.DataCloud.GetJobAsync("missing", None).ContinueWith(_ => { });
        var api = dc.Handler.Requests.Single(r => r.Path.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Equal(dc.CurrentDataCloudToken, api.BearerToken);
    }

    [Theory]
    [InlineData("abc.c360a.salesforce.com", "https://abc.c360a.salesforce.com/")]
    [InlineData("https://abc.c360a.salesforce.com", "https://abc.c360a.salesforce.com/")]
    [InlineData("127.0.0.1:5123", "http://127.0.0.1:5123/")]
    [InlineData("localhost:5123/", "http://localhost:5123/")]
    [InlineData("http://127.0.0.1:5123", "http://127.0.0.1:5123/")]
    public void Instance_urls_get_a_scheme_when_they_have_none(string given, string expected) =>
        Assert.Equal(new Uri(expected), DataCloudTokenProvider.NormaliseInstanceUrl(given));

    [Fact]
    public async Task A_refused_login_names_the_step_and_the_servers_error_but_no_secret()
    {
        using var dc = new FakeDataCloud();
        dc.Override = (request, _) => request.RequestUri!.AbsolutePath == "/services/oauth2/token"
            ? RecordingHandler.Respond(HttpStatusCode.BadRequest, "{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}")
            : null;

        var ex = await Assert.ThrowsAsync<IngestionException>(() => dc.ConnectAsync());
        Assert.Equal(IngestErrorKind.Authentication, ex.Kind);
        Assert.StartsWith("Salesforce login failed", ex.Message);
        Assert.Contains("invalid_grant", ex.Message);
        Assert.Contains("user hasn't approved this consumer", ex.Message);
        Assert.Equal("invalid_grant", ex.ServiceErrorCode);
        Assert.DoesNotContain("eyJ", ex.Message);
        Assert.Equal(0, dc.Exchanges);
    }

    [Fact]
    public async Task A_refused_exchange_names_the_exchange()
    {
        using var dc = new FakeDataCloud();
        dc.Override = (request, _) => request.RequestUri!.AbsolutePath == "/services/a360/token"
            ? RecordingHandler.Respond(HttpStatusCode.BadRequest, "{\"error\":\"invalid_request\",\"error_description\":\"unknown dataspace\"}")
            : null;

        var ex = await Assert.ThrowsAsync<IngestionException>(() => dc.ConnectAsync(dataspace: "nope"));
        Assert.StartsWith("Data Cloud token exchange failed", ex.Message);
        Assert.Contains("unknown dataspace", ex.Message);
        Assert.DoesNotContain("core-token", ex.Message);
    }

    [Fact]
    public async Task The_flow_runs_again_five_minutes_before_expires_in()
    {
        using var dc = new FakeDataCloud { ExpiresIn = 3600 };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var session = await dc.ConnectAsync(time);
        await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        Assert.Equal(1, dc.Logins);

        time.Advance(TimeSpan.FromMinutes(54));
        await session.DataCloud.GetJobAsync("job-1", None);
        Assert.Equal(1, dc.Logins);

        time.Advance(TimeSpan.FromMinutes(2));
        await session.DataCloud.GetJobAsync("job-1", None);
        Assert.Equal(2, dc.Logins);
        Assert.Equal(2, dc.Exchanges);
    }

    [Fact]
    public async Task Without_expires_in_the_tokens_own_exp_decides()
    {
        var now = DateTimeOffset.UtcNow;
        using var dc = new FakeDataCloud { SendExpiresIn = false, TokenExp = now.AddMinutes(30) };
        var time = new FakeTimeProvider(now);
        using var session = await dc.ConnectAsync(time);
        Assert.NotNull(session.TokenExpires);
        Assert.InRange(session.TokenExpires!.Value, now.AddMinutes(24), now.AddMinutes(26));
    }

    [Fact]
    public async Task A_401_logs_in_again_once_and_sends_the_request_again()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);

        var refused = 0;
        dc.Override = (request, _) => request.Method == HttpMethod.Get && Interlocked.Increment(ref refused) == 1
            ? RecordingHandler.Respond(HttpStatusCode.Unauthorized, "[{\"errorCode\":\"INVALID_SESSION_ID\",\"message\":\"expired\"}]")
            : null;
        var again = await session.DataCloud.GetJobAsync(job.Id, None);
        Assert.Equal("Open", again.State);
        Assert.Equal(2, dc.Logins);
    }

    [Fact]
    public async Task A_second_401_with_a_new_token_is_an_authentication_error()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        dc.Override = (request, _) => request.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)
            ? RecordingHandler.Respond(HttpStatusCode.Unauthorized, "[{\"errorCode\":\"INVALID_SESSION_ID\",\"message\":\"nope\"}]")
            : null;
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.GetJobAsync("job-1", None));
        Assert.Equal(IngestErrorKind.Authentication, ex.Kind);
        Assert.Equal(2, dc.Logins);
    }

    [Fact]
    public void Keys_load_from_pkcs8_and_pkcs1_and_encrypted_ones_are_refused()
    {
        using var rsa = RSA.Create(2048);
        using var pkcs8 = DataCloudSigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem(), "a.pem");
        using var pkcs1 = DataCloudSigningKey.FromPem(rsa.ExportRSAPrivateKeyPem(), "b.pem");
        Assert.Equal(rsa.ExportRSAPublicKeyPem(), pkcs1.ExportRSAPublicKeyPem());
        Assert.Equal(rsa.ExportRSAPublicKeyPem(), pkcs8.ExportRSAPublicKeyPem());

        var encrypted = rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        var ex = Assert.Throws<IngestionException>(() => DataCloudSigningKey.FromPem(encrypted, "c.pem"));
        Assert.Contains("encrypted", ex.Message);
        Assert.Throws<IngestionException>(() => DataCloudSigningKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem(), "d.pem"));
        Assert.Throws<IngestionException>(() => DataCloudSigningKey.Load(null, null));
    }

    [Fact]
    public async Task Adobe_clients_of_a_data_cloud_session_fail_clearly_and_an_adobe_session_has_no_data_cloud()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("b1", None));
        Assert.Contains("Data Cloud", ex.Message);
        Assert.DoesNotContain(dc.Handler.Requests, r => r.Path.Contains("catalog", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_adobe_session_says_it_has_no_data_cloud()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await IngestSession.ConnectAsync(emulator.Options(new RecordingHandler()), None);
        var ex = Assert.Throws<IngestionException>(() => session.DataCloud);
        Assert.Contains("not connected to Salesforce Data Cloud", ex.Message);
        Assert.Contains("-Platform DataCloud", ex.RecommendedAction);
    }
}
