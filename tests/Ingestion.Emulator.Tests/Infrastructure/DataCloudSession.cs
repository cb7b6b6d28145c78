using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ingestion.Emulator.Tests.Infrastructure;

/// <summary>A Data Cloud client for tests: signs JWT assertions, logs in, exchanges, and calls the Ingestion API.</summary>
public sealed class DataCloudSession(TestEmulator emulator)
{
    public const string UserName = "emulator@ingestion.invalid";
    public const string Source = "emulator_connector";

    public string? Token { get; set; }

    public string BaseUrl => emulator.Endpoint.ToString().TrimEnd('/');

    public RSA LoadKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(emulator.Host.DataCloudPrivateKeyPath));
        return rsa;
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sign(RSA key, JsonObject claims, string alg = "RS256")
    {
        var input = Base64Url(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = alg }.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = alg switch
        {
            "RS256" => key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "HS256" => HMACSHA256.HashData(Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem()), Encoding.ASCII.GetBytes(input)),
            _ => [],
        };
        return input + "." + Base64Url(signature);
    }

    public JsonObject Claims(DateTimeOffset now, string? iss = null, string? sub = null, string? aud = null, TimeSpan? expiresIn = null) => new()
    {
        ["iss"] = iss ?? emulator.Host.Credentials.ClientId,
        ["sub"] = sub ?? UserName,
        ["aud"] = aud ?? BaseUrl,
        ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(5))).ToUnixTimeSeconds(),
    };

    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostFormAsync(string path, Dictionary<string, string> form)
    {
        using var response = await emulator.Http.PostAsync(path, new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> LoginAsync(string assertion) =>
        PostFormAsync("services/oauth2/token", new()
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = assertion,
        });

    public Task<(HttpStatusCode Status, JsonNode? Body)> ExchangeAsync(string coreToken, string grant = "urn:salesforce:grant-type:external:cdp") =>
        PostFormAsync("services/a360/token", new()
        {
            ["grant_type"] = grant,
            ["subject_token"] = coreToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
        });

    /// <summary>Login and exchange with the built-in key; keeps the Data Cloud token.</summary>
    public async Task<string> ConnectAsync(DateTimeOffset? now = null)
    {
        using var key = LoadKey();
        var (status, login) = await LoginAsync(Sign(key, Claims(now ?? DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, status);
        var (exchangeStatus, exchange) = await ExchangeAsync((string)login!["access_token"]!);
        Assert.Equal(HttpStatusCode.OK, exchangeStatus);
        return Token = (string)exchange!["access_token"]!;
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        var response = await emulator.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> JsonAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        var (status, text, response) = await SendAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.Dispose();
        return (status, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonObject> CreateJobAsync(string objectName = "orders", string operation = "upsert", string source = Source)
    {
        var (status, body) = await JsonAsync(HttpMethod.Post, "api/v1/ingest/jobs", new JsonObject { ["object"] = objectName, ["sourceName"] = source, ["operation"] = operation });
        Assert.True(status == HttpStatusCode.Created, $"create answered {(int)status}: {body?.ToJsonString()}");
        return (JsonObject)body!;
    }

    public async Task<(HttpStatusCode Status, string Body)> UploadAsync(string jobId, byte[] csv, string contentType = "text/csv")
    {
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var (status, body, response) = await SendAsync(HttpMethod.Put, $"api/v1/ingest/jobs/{jobId}/batches", content);
        response.Dispose();
        return (status, body);
    }

    public Task<(HttpStatusCode Status, string Body)> UploadAsync(string jobId, string csv) => UploadAsync(jobId, Encoding.UTF8.GetBytes(csv));

    public Task<(HttpStatusCode Status, JsonNode? Body)> SetStateAsync(string jobId, string state) =>
        JsonAsync(HttpMethod.Patch, $"api/v1/ingest/jobs/{jobId}", new JsonObject { ["state"] = state });

    public async Task<JsonObject> WaitForJobAsync(string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (status, body) = await JsonAsync(HttpMethod.Get, $"api/v1/ingest/jobs/{jobId}");
            Assert.Equal(HttpStatusCode.OK, status);
            if ((string)body!["state"]! is "JobComplete" or "Failed")
            {
                return (JsonObject)body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is still {(string)body["state"]!}");
            await Task.Delay(20);
        }
    }

    public async Task<JsonArray> RecordsAsync(string objectName, string source = Source)
    {
        using var response = await emulator.Http.GetAsync($"emulator/datacloud/{source}/{objectName}/records");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["records"]!;
    }

    public static void AssertError(JsonNode? body, string errorCode, string? messagePart = null)
    {
        var array = Assert.IsType<JsonArray>(body);
        var error = Assert.Single(array)!;
        Assert.Equal(errorCode, (string)error["errorCode"]!);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, (string)error["message"]!);
        }
    }
}
