using System.Net;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class ConfigTests
{
    private const string Config = """
        {
          // Comments and trailing commas are fine: people edit this file by hand.
          "credentials": { "clientId": "my-client", "clientSecret": "my-secret", "organizationId": "ACME@AdobeOrg", "sandbox": "dev" },
          "schemas": [
            { "$id": "https://ns.adobe.com/acme/schemas/orders", "title": "Orders", "type": "object",
              "properties": { "orderId": { "type": "string" }, "amount": { "type": "number" } } },
          ],
          "datasets": [
            { "id": "0123456789abcdef01234567", "name": "Orders", "schemaId": "https://ns.adobe.com/acme/schemas/orders", "tags": { "team": ["sales"] } },
            { "name": "Profiles", "schemaId": "_emulator.schemas.demo-profile" }
          ]
        }
        """;

    [Fact]
    public async Task The_config_file_sets_credentials_schemas_and_datasets_once()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.Combine("emulator.config.json"), Config);

        for (var run = 0; run < 2; run++)
        {
            await using var emulator = await TestEmulator.StartAsync(directory.Path);
            Assert.Equal(new EmulatorCredentials("my-client", "my-secret", "ACME@AdobeOrg", "dev"), emulator.Host.Credentials);

            var (status, datasets) = await emulator.SendJsonAsync(HttpMethod.Get, "data/foundation/catalog/dataSets");
            Assert.Equal(HttpStatusCode.OK, status);
            var all = datasets!.AsObject();
            Assert.Single(all, d => (string)d.Value!["name"]! == "Orders");
            Assert.Single(all, d => (string)d.Value!["name"]! == "Profiles");
            Assert.Equal("Orders", (string)all["0123456789abcdef01234567"]!["name"]!);
            Assert.Equal("sales", (string)all["0123456789abcdef01234567"]!["tags"]!["team"]![0]!);

            var final = await emulator.IngestAsync("https://ns.adobe.com/acme/schemas/orders", "json", null, "o.json", """{"orderId":"1","amount":2.5}""");
            Assert.Equal("active", (string)final["status"]!);
        }
    }

    [Fact]
    public async Task An_explicit_config_path_is_used_and_must_exist()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("custom.json");
        await File.WriteAllTextAsync(path, """{"credentials":{"clientSecret":"s3cret"}}""");

        await using (var emulator = await TestEmulator.StartAsync(directory.Combine("data"), configPath: path))
        {
            Assert.Equal("s3cret", emulator.Host.Credentials.ClientSecret);
            Assert.Equal("ingestion-emulator", emulator.Host.Credentials.ClientId);
        }

        var missing = await Assert.ThrowsAsync<EmulatorStartException>(() => TestEmulator.StartAsync(directory.Combine("data"), configPath: directory.Combine("nope.json")));
        Assert.Contains("nope.json", missing.Message);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{"credential":{}}""", "unknown property 'credential'")]
    [InlineData("""{"credentials":{"clientId":""}}""", "credentials.clientId")]
    [InlineData("""{"datasets":[{"name":"x","schemaId":"https://ns.adobe.com/acme/schemas/missing"}]}""", "https://ns.adobe.com/acme/schemas/missing")]
    [InlineData("""{"datasets":[{"schemaId":"_emulator.schemas.demo-profile"}]}""", "datasets[0].name")]
    [InlineData("""{"datasets":[{"id":"../x","name":"x","schemaId":"_emulator.schemas.demo-profile"}]}""", "datasets[0].id")]
    [InlineData("""{"schemas":[{"type":"object"}]}""", "schemas[0]")]
    public async Task An_invalid_config_names_the_file_and_the_problem(string config, string expected)
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("emulator.config.json");
        await File.WriteAllTextAsync(path, config);

        var error = await Assert.ThrowsAsync<EmulatorStartException>(() => TestEmulator.StartAsync(directory.Path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.False(File.Exists(directory.Combine("emulator.lock.json")));
    }
}
