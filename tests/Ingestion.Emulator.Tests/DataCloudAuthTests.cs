using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>Salesforce's JWT bearer login, the Data Cloud token exchange and the Ingestion API's token check.</summary>
public sealed class DataCloudAuthTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_good_assertion_logs_in_and_the_token_is_exchanged_for_a_data_cloud_jwt()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var session = new DataCloudSession(emulator);
        using var key = session.LoadKey();

        var (status, login) = await session.LoginAsync(DataCloudSession.Sign(key, session.Claims(DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cdp_ingest_api api", (string)login!["scope"]!);
        Assert.Equal(session.BaseUrl, (string)login["instance_url"]!);
        Assert.Equal("Bearer", (string)login["token_type"]!);
        Assert.StartsWith(session.BaseUrl + "/id/00D", (string)login["id"]!);
        Assert.Contains("/005", (string)login["id"]!);

        var (exchangeStatus, exchange) = await session.ExchangeAsync((string)login["access_token"]!);
        Assert.Equal(HttpStatusCode.OK, exchangeStatus);
        Assert.Equal($"127.0.0.1:{emulator.Endpoint.Port}", (string)exchange!["instance_url"]!);
        Assert.Equal("Bearer", (string)exchange["token_type"]!);
        Assert.Equal("urn:ietf:params:oauth:token-type:jwt", (string)exchange["issued_token_type"]!);
        Assert.Equal(7200, (int)exchange["expires_in"]!);

        var jwt = ((string)exchange["access_token"]!).Split('.');
        Assert.Equal(3, jwt.Length);
        var claims = JsonNode.Parse(Convert.FromBase64String(Pad(jwt[1])))!;
        var exp = DateTimeOffset.FromUnixTimeSeconds((long)claims["exp"]!);
        Assert.InRange(exp - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(7190), TimeSpan.FromSeconds(7210));

        session.Token = (string)exchange["access_token"]!;
        var (listStatus, list) = await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Empty((JsonArray)list!["data"]!);

        // The core token is not a Data Cloud token.
        session.Token = (string)login["access_token"]!;
        var (coreStatus, coreBody) = await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, coreStatus);
        DataCloudSession.AssertError(coreBody, "INVALID_SESSION_ID", "Session expired or invalid");
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - text.Length % 4) % 4);
    }

    [Fact]
    public async Task Bad_assertions_get_salesforces_errors()
    {
        var time = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: time);
        var session = new DataCloudSession(emulator);
        using var key = session.LoadKey();
        using var other = RSA.Create(2048);
        var now = time.GetUtcNow();

        async Task Refused(string assertion, string error, string description)
        {
            var (status, body) = await session.LoginAsync(assertion);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(error, (string)body!["error"]!);
            Assert.Equal(description, (string)body["error_description"]!);
        }

        await Refused(DataCloudSession.Sign(other, session.Claims(now)), "invalid_grant", "invalid assertion");
        await Refused(DataCloudSession.Sign(key, session.Claims(now, iss: "3MVG9unknown")), "invalid_client_id", "client identifier invalid");
        await Refused(DataCloudSession.Sign(key, session.Claims(now, sub: "someone@example.com")), "invalid_grant", "user hasn't approved this consumer");
        await Refused(DataCloudSession.Sign(key, session.Claims(now, expiresIn: TimeSpan.FromMinutes(-4))), "invalid_grant", "expired access/refresh token");
        await Refused(DataCloudSession.Sign(key, session.Claims(now, expiresIn: TimeSpan.FromHours(2))), "invalid_grant", "invalid assertion");
        await Refused(DataCloudSession.Sign(key, session.Claims(now, aud: "https://example.com")), "invalid_grant", "audience is invalid");
        await Refused(DataCloudSession.Sign(key, session.Claims(now, aud: session.BaseUrl + "/")), "invalid_grant", "audience is invalid");
        await Refused(DataCloudSession.Sign(key, session.Claims(now), alg: "none"), "invalid_grant", "invalid assertion");
        await Refused(DataCloudSession.Sign(key, session.Claims(now), alg: "HS256"), "invalid_grant", "invalid assertion");
        await Refused("not-a-jwt", "invalid_grant", "invalid assertion");

        var (grantStatus, grant) = await session.PostFormAsync("services/oauth2/token", new() { ["grant_type"] = "password", ["username"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, grantStatus);
        Assert.Equal("unsupported_grant_type", (string)grant!["error"]!);
        Assert.Equal("grant type not supported", (string)grant["error_description"]!);

        // Within the 3 minutes of clock skew, and for the real login hosts' audiences.
        Assert.Equal(HttpStatusCode.OK, (await session.LoginAsync(DataCloudSession.Sign(key, session.Claims(now, expiresIn: TimeSpan.FromMinutes(-2))))).Status);
        Assert.Equal(HttpStatusCode.OK, (await session.LoginAsync(DataCloudSession.Sign(key, session.Claims(now, aud: "https://login.salesforce.com")))).Status);
        Assert.Equal(HttpStatusCode.OK, (await session.LoginAsync(DataCloudSession.Sign(key, session.Claims(now, aud: "https://test.salesforce.com")))).Status);
        Assert.Equal(HttpStatusCode.OK, (await session.LoginAsync(DataCloudSession.Sign(key, session.Claims(now, expiresIn: TimeSpan.FromHours(1))))).Status);
    }

    [Fact]
    public async Task The_exchange_refuses_bad_subject_tokens_and_grants()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var session = new DataCloudSession(emulator);
        using var key = session.LoadKey();
        var (_, login) = await session.LoginAsync(DataCloudSession.Sign(key, session.Claims(DateTimeOffset.UtcNow)));

        var (badStatus, bad) = await session.ExchangeAsync("00D!nonsense");
        Assert.Equal(HttpStatusCode.Unauthorized, badStatus);
        Assert.Equal("invalid_token", (string)bad!["error"]!);

        var (grantStatus, grant) = await session.ExchangeAsync((string)login!["access_token"]!, grant: "client_credentials");
        Assert.Equal(HttpStatusCode.BadRequest, grantStatus);
        Assert.Equal("unsupported_grant_type", (string)grant!["error"]!);

        var (dataspaceStatus, _) = await session.PostFormAsync("services/a360/token", new()
        {
            ["grant_type"] = "urn:salesforce:grant-type:external:cdp",
            ["subject_token"] = (string)login["access_token"]!,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["dataspace"] = "default",
        });
        Assert.Equal(HttpStatusCode.OK, dataspaceStatus);
    }

    [Fact]
    public async Task Api_calls_need_a_live_data_cloud_token()
    {
        var time = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: time);
        var session = new DataCloudSession(emulator);

        var (missing, missingBody) = await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        DataCloudSession.AssertError(missingBody, "INVALID_SESSION_ID");

        session.Token = "eyJhbGciOiJIUzI1NiJ9.e30.AAAA";
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs")).Status);

        await session.ConnectAsync(time.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs")).Status);

        time.Advance(TimeSpan.FromSeconds(7201));
        var (expired, expiredBody) = await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, expired);
        DataCloudSession.AssertError(expiredBody, "INVALID_SESSION_ID", "Session expired or invalid");
    }

    [Fact]
    public async Task The_token_lifetime_fault_expires_data_cloud_tokens_early()
    {
        var time = new ManualTimeProvider(Start);
        await using var emulator = await TestEmulator.StartAsync(time: time, faults: FaultOptions.Parse("token-lifetime=60s"));
        var session = new DataCloudSession(emulator);
        await session.ConnectAsync(time.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs")).Status);

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.JsonAsync(HttpMethod.Get, "api/v1/ingest/jobs")).Status);
        Assert.Equal(1, (int)(await emulator.GetFaultsAsync())["counters"]!["tokenExpired"]!);
    }

    [Fact]
    public async Task A_configured_connected_app_and_token_lifetime_are_used()
    {
        using var directory = new TempDirectory();
        using var app = RSA.Create(2048);
        await File.WriteAllTextAsync(directory.Combine("app.pub.pem"), app.ExportSubjectPublicKeyInfoPem());
        var config = directory.Combine("config.json");
        await File.WriteAllTextAsync(config, """
            { "dataCloud": { "connectedApps": [ { "consumerKey": "3MVG9other", "publicKeyPath": "app.pub.pem" } ], "tokenLifetimeSeconds": 600 } }
            """);
        await using var emulator = await TestEmulator.StartAsync(dataDirectory: directory.Combine("data"), configPath: config);
        var session = new DataCloudSession(emulator);

        var (status, login) = await session.LoginAsync(DataCloudSession.Sign(app, session.Claims(DateTimeOffset.UtcNow, iss: "3MVG9other")));
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, exchange) = await session.ExchangeAsync((string)login!["access_token"]!);
        Assert.Equal(600, (int)exchange!["expires_in"]!);
    }

    [Fact]
    public async Task The_key_pair_is_made_once_private_to_the_user_and_kept()
    {
        using var directory = new TempDirectory();
        string pem;
        await using (var first = await TestEmulator.StartAsync(dataDirectory: directory.Path))
        {
            Assert.Equal(directory.Combine("datacloud", "emulator-private-key.pem"), first.Host.DataCloudPrivateKeyPath);
            pem = await File.ReadAllTextAsync(first.Host.DataCloudPrivateKeyPath);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            Assert.Equal(2048, rsa.KeySize);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Host.DataCloudPrivateKeyPath));
            }
        }

        await using var second = await TestEmulator.StartAsync(dataDirectory: directory.Path);
        Assert.Equal(pem, await File.ReadAllTextAsync(second.Host.DataCloudPrivateKeyPath));
        await new DataCloudSession(second).ConnectAsync();
    }
}
