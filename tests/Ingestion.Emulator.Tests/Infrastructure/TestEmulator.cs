using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ingestion.Emulator.Tests.Infrastructure;

/// <summary>An in-process emulator on a random loopback port with its own data directory, and a client for it.</summary>
public sealed class TestEmulator : IAsyncDisposable
{
    public const string ProfileSchema = "https://ns.adobe.com/emulator/schemas/demo-profile";
    public const string LoyaltySchema = "https://ns.adobe.com/emulator/schemas/demo-loyalty-csv";

    private readonly TempDirectory? _ownedDirectory;
    private string? _token;

    private TestEmulator(EmulatorHost host, TempDirectory? ownedDirectory)
    {
        Host = host;
        _ownedDirectory = ownedDirectory;
        Http = new HttpClient { BaseAddress = host.Endpoint, Timeout = TimeSpan.FromSeconds(30) };
    }

    public EmulatorHost Host { get; }

    /// <summary>No platform headers: tests of the gateway add their own.</summary>
    public HttpClient Http { get; }

    public Uri Endpoint => Host.Endpoint;

    public string DataDirectory => Host.DataDirectory;

    public static async Task<TestEmulator> StartAsync(
        string? dataDirectory = null,
        TimeSpan? processingDelay = null,
        TimeProvider? time = null,
        TimeSpan? tokenLifetime = null,
        string? configPath = null,
        FaultOptions? faults = null)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var host = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            DataDirectory = dataDirectory ?? owned!.Path,
            ProcessingDelay = processingDelay ?? TimeSpan.FromMilliseconds(20),
            TimeProvider = time ?? TimeProvider.System,
            TokenLifetime = tokenLifetime ?? TimeSpan.FromSeconds(86399),
            ConfigPath = configPath,
            Faults = faults,
        });
        return new TestEmulator(host, owned);
    }

    /// <summary><c>PUT /emulator/faults</c>; returns the answer's status and body.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SetFaultsAsync(string json)
    {
        using var response = await Http.PutAsync("emulator/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary><c>GET /emulator/faults</c>: settings and counters.</summary>
    public async Task<JsonNode> GetFaultsAsync()
    {
        using var response = await Http.GetAsync("emulator/faults");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public async Task<string> GetTokenAsync()
    {
        using var response = await Http.PostAsync("ims/token/v3", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Host.Credentials.ClientId,
            ["client_secret"] = Host.Credentials.ClientSecret,
            ["grant_type"] = "client_credentials",
            ["scope"] = "openid,AdobeID,read_organizations",
        }));
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return _token = (string)json["access_token"]!;
    }

    /// <summary>The four platform headers, with a token fetched once.</summary>
    public async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        var token = _token ?? await GetTokenAsync();
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-api-key", Host.Credentials.ClientId);
        request.Headers.Add("x-gw-ims-org-id", Host.Credentials.OrganizationId);
        request.Headers.Add("x-sandbox-name", Host.Credentials.Sandbox);
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = await RequestAsync(method, path, content);
        return await Http.SendAsync(request);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(HttpMethod method, string path, object? body = null)
    {
        HttpContent? content = body switch
        {
            null => null,
            string json => new StringContent(json, Encoding.UTF8, "application/json"),
            JsonNode node => new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json"),
            _ => new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(method, path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<string> CreateDatasetAsync(string schemaId = ProfileSchema, string? name = null)
    {
        var (status, body) = await SendJsonAsync(HttpMethod.Post, "data/foundation/catalog/dataSets", new JsonObject
        {
            ["name"] = name ?? "dataset-" + Guid.NewGuid().ToString("N")[..8],
            ["schemaRef"] = new JsonObject { ["id"] = schemaId, ["contentType"] = "application/vnd.adobe.xed+json;version=1" },
        });
        Assert.Equal(HttpStatusCode.Created, status);
        return ((string)body![0]!)["@/dataSets/".Length..];
    }

    public async Task<string> CreateBatchAsync(string datasetId, string format = "json", bool? multiLine = null)
    {
        var inputFormat = new JsonObject { ["format"] = format };
        if (multiLine is { } flag)
        {
            inputFormat["isMultiLineJson"] = flag;
        }

        var (status, body) = await SendJsonAsync(HttpMethod.Post, "data/foundation/import/batches", new JsonObject
        {
            ["datasetId"] = datasetId,
            ["inputFormat"] = inputFormat,
        });
        Assert.Equal(HttpStatusCode.Created, status);
        return (string)body!["id"]!;
    }

    public static string FilePath(string batchId, string datasetId, string encodedName) =>
        $"data/foundation/import/batches/{batchId}/datasets/{datasetId}/files/{encodedName}";

    public async Task<HttpResponseMessage> UploadAsync(string batchId, string datasetId, string encodedName, byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(HttpMethod.Put, FilePath(batchId, datasetId, encodedName), body);
    }

    public async Task UploadOkAsync(string batchId, string datasetId, string encodedName, string content)
    {
        using var response = await UploadAsync(batchId, datasetId, encodedName, Encoding.UTF8.GetBytes(content));
        Assert.True(response.IsSuccessStatusCode, $"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SignalAsync(string batchId, string action) =>
        await SendJsonAsync(HttpMethod.Post, $"data/foundation/import/batches/{batchId}?action={action}");

    /// <summary>Catalog's batch object (unwrapped from the id-keyed map).</summary>
    public async Task<JsonObject> GetBatchAsync(string batchId)
    {
        var (status, body) = await SendJsonAsync(HttpMethod.Get, $"data/foundation/catalog/batches/{batchId}");
        Assert.Equal(HttpStatusCode.OK, status);
        return (JsonObject)body![batchId]!;
    }

    public async Task<JsonObject> WaitForFinalAsync(string batchId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var batch = await GetBatchAsync(batchId);
            if ((string)batch["status"]! is "active" or "failed" or "aborted" or "inactive")
            {
                return batch;
            }

            Assert.True(DateTime.UtcNow < deadline, $"batch {batchId} is still {(string)batch["status"]!}");
            await Task.Delay(20);
        }
    }

    /// <summary>Create, upload, complete and wait: the whole ingestion of one file.</summary>
    public async Task<JsonObject> IngestAsync(string schemaId, string format, bool? multiLine, string fileName, string content)
    {
        var dataset = await CreateDatasetAsync(schemaId);
        var batch = await CreateBatchAsync(dataset, format, multiLine);
        await UploadOkAsync(batch, dataset, fileName, content);
        Assert.Equal(HttpStatusCode.OK, (await SignalAsync(batch, "COMPLETE")).Status);
        return await WaitForFinalAsync(batch);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
