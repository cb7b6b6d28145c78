using System.Text.Json;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Emulator;

namespace Ingestion.Core.Tests.Support;

/// <summary>An in-process emulator on a loopback port with its own data directory, removed on dispose.</summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    public static readonly RetrySettings FastRetry = new()
    {
        MaxRetries = 3,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(60),
    };

    public static readonly WaitOptions FastWait = new()
    {
        InitialInterval = TimeSpan.FromMilliseconds(10),
        MaxInterval = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromSeconds(60),
    };

    private readonly EmulatorHost host;
    private readonly TempDirectory data;

    private TestEmulator(EmulatorHost host, TempDirectory data)
    {
        this.host = host;
        this.data = data;
    }

    public Uri Endpoint => host.Endpoint;

    public EmulatorCredentials Credentials => host.Credentials;

    public string DataDirectory => data.Path;

    public static async Task<TestEmulator> StartAsync(TimeSpan? tokenLifetime = null, TimeSpan? processingDelay = null, TimeProvider? time = null, FaultOptions? faults = null)
    {
        var data = new TempDirectory();
        try
        {
            var host = await EmulatorHost.StartAsync(new EmulatorOptions
            {
                Port = 0,
                DataDirectory = data.Path,
                TokenLifetime = tokenLifetime ?? TimeSpan.FromSeconds(86399),
                ProcessingDelay = processingDelay ?? TimeSpan.FromMilliseconds(20),
                TimeProvider = time ?? TimeProvider.System,
                Faults = faults,
            });
            return new TestEmulator(host, data);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    public AepConnectionOptions Options(
        HttpMessageHandler? handler = null,
        TimeProvider? time = null,
        RetrySettings? retry = null,
        string? clientId = null,
        string? secret = null,
        string? organizationId = null,
        string? sandbox = null) => new()
    {
        ClientId = clientId ?? Credentials.ClientId,
        ClientSecret = Secrets.Secure(secret ?? Credentials.ClientSecret),
        OrganizationId = organizationId ?? Credentials.OrganizationId,
        Sandbox = sandbox ?? Credentials.Sandbox,
        PlatformEndpoint = Endpoint,
        PrimaryHandler = handler,
        TimeProvider = time ?? TimeProvider.System,
        Retry = retry ?? FastRetry,
    };

    public Task<IngestSession> ConnectAsync(HttpMessageHandler? handler = null, TimeProvider? time = null, RetrySettings? retry = null) =>
        IngestSession.ConnectAsync(Options(handler, time, retry), CancellationToken.None);

    /// <summary>The files the emulator keeps for a batch, as its own state file lists them.</summary>
    public IReadOnlyList<StoredFile> StoredFiles(string batchId)
    {
        var batchDirectory = Path.Combine(DataDirectory, "batches", batchId);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(batchDirectory, "batch.json")));
        if (!doc.RootElement.TryGetProperty("files", out var files))
        {
            return [];
        }

        return files.EnumerateArray()
            .Select(f => new StoredFile(
                f.GetProperty("name").GetString()!,
                Path.Combine([batchDirectory, "files", .. f.GetProperty("diskPath").GetString()!.Split('/')]),
                f.GetProperty("sizeInBytes").GetInt64()))
            .ToArray();
    }

    /// <summary>A GET on the platform with a plain HttpClient, to see what the service holds independently of the engine.</summary>
    public async Task<JsonElement> GetJsonAsync(string relativePath)
    {
        using var http = new HttpClient { BaseAddress = Endpoint };
        using var tokenResponse = await http.PostAsync("ims/token/v3", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Credentials.ClientId,
            ["client_secret"] = Credentials.ClientSecret,
        }));
        tokenResponse.EnsureSuccessStatusCode();
        using var tokenJson = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, relativePath);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tokenJson.RootElement.GetProperty("access_token").GetString());
        request.Headers.Add("x-api-key", Credentials.ClientId);
        request.Headers.Add("x-gw-ims-org-id", Credentials.OrganizationId);
        request.Headers.Add("x-sandbox-name", Credentials.Sandbox);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {relativePath}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary><c>PUT /emulator/faults</c>: replaces the fault settings, restarts the PRNG and zeroes the counters.</summary>
    public async Task SetFaultsAsync(FaultOptions faults)
    {
        using var http = new HttpClient { BaseAddress = Endpoint };
        var json = new Dictionary<string, object?>
        {
            ["seed"] = faults.Seed,
            ["serverErrorRate"] = faults.ServerErrorRate,
            ["throttleRate"] = faults.ThrottleRate,
            ["retryAfterSeconds"] = faults.RetryAfterSeconds,
            ["resetRequestRate"] = faults.ResetRequestRate,
            ["resetResponseRate"] = faults.ResetResponseRate,
            ["slowRate"] = faults.SlowRate,
            ["slowDelaySeconds"] = faults.SlowDelay.TotalSeconds,
            ["lostResponseRate"] = faults.LostResponseRate,
            ["tokenLifetimeSeconds"] = faults.TokenLifetime?.TotalSeconds,
            ["pathPrefix"] = faults.PathPrefix,
        };
        using var response = await http.PutAsync("emulator/faults", new StringContent(JsonSerializer.Serialize(json), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT /emulator/faults: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary><c>GET /emulator/faults</c>: the counters of requests in scope and of each fault injected.</summary>
    public async Task<IReadOnlyDictionary<string, long>> FaultCountersAsync()
    {
        using var http = new HttpClient { BaseAddress = Endpoint };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("emulator/faults"));
        return doc.RootElement.GetProperty("counters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    /// <summary>Catalog's record of a batch (unwrapped from its id-keyed map).</summary>
    public async Task<JsonElement> CatalogBatchAsync(string batchId) =>
        (await GetJsonAsync("data/foundation/catalog/batches/" + batchId)).GetProperty(batchId);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.DisposeAsync();
        }
        finally
        {
            data.Dispose();
        }
    }
}

internal sealed record StoredFile(string Name, string FullPath, long Size);
