using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class ImsTokenTests
{
    private static FormUrlEncodedContent Form(string clientId = "ingestion-emulator", string secret = "emulator-secret", string? grantType = "client_credentials")
    {
        var fields = new Dictionary<string, string> { ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "openid,AdobeID" };
        if (grantType is not null)
        {
            fields["grant_type"] = grantType;
        }

        return new FormUrlEncodedContent(fields);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(TestEmulator emulator, HttpContent content, string query = "")
    {
        using var response = await emulator.Http.PostAsync("ims/token/v3" + query, content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Issues_a_bearer_token_with_the_configured_lifetime_in_seconds()
    {
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromSeconds(3600));
        var (status, body) = await PostAsync(emulator, Form());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bearer", (string)body["token_type"]!);
        Assert.Equal(3600, (int)body["expires_in"]!);
        Assert.True(((string)body["access_token"]!).Length >= 40);
    }

    [Fact]
    public async Task Default_lifetime_is_86399_seconds_and_each_token_is_new()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, first) = await PostAsync(emulator, Form());
        var (_, second) = await PostAsync(emulator, Form());

        Assert.Equal(86399, (int)first["expires_in"]!);
        Assert.NotEqual((string)first["access_token"]!, (string)second["access_token"]!);
    }

    [Fact]
    public async Task Accepts_the_parameters_in_the_query_string()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body) = await PostAsync(
            emulator,
            new StringContent(string.Empty),
            "?client_id=ingestion-emulator&client_secret=emulator-secret&grant_type=client_credentials");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(body["access_token"]);
    }

    [Theory]
    [InlineData("someone-else", "emulator-secret", HttpStatusCode.BadRequest, "invalid client_id parameter")]
    [InlineData("ingestion-emulator", "wrong", HttpStatusCode.Unauthorized, "invalid client_secret parameter")]
    public async Task Refuses_wrong_credentials_like_IMS(string clientId, string secret, HttpStatusCode expected, string description)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body) = await PostAsync(emulator, Form(clientId, secret));

        Assert.Equal(expected, status);
        Assert.Equal("invalid_client", (string)body["error"]!);
        Assert.Equal(description, (string)body["error_description"]!);
    }

    [Fact]
    public async Task Refuses_other_grant_types()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body) = await PostAsync(emulator, Form(grantType: "authorization_code"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unsupported_grant_type", (string)body["error"]!);
    }

    [Fact]
    public async Task Refuses_a_request_without_grant_type()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (status, body) = await PostAsync(emulator, Form(grantType: null));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", (string)body["error"]!);
    }

    [Fact]
    public async Task A_token_stops_working_when_it_expires()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await TestEmulator.StartAsync(time: clock, tokenLifetime: TimeSpan.FromSeconds(100));
        await emulator.GetTokenAsync();

        using (var response = await emulator.SendAsync(HttpMethod.Get, "data/foundation/catalog/dataSets"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(99));
        using (var response = await emulator.SendAsync(HttpMethod.Get, "data/foundation/catalog/dataSets"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var response = await emulator.SendAsync(HttpMethod.Get, "data/foundation/catalog/dataSets"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("""{"error_code":"401013","message":"Oauth token is not valid"}""", await response.Content.ReadAsStringAsync());
        }

        // A new token works again: that is how clients recover.
        await emulator.GetTokenAsync();
        using (var response = await emulator.SendAsync(HttpMethod.Get, "data/foundation/catalog/dataSets"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Token_responses_are_not_cached()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var response = await emulator.Http.PostAsync("ims/token/v3", Form());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal(new MediaTypeHeaderValue("application/json").MediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
