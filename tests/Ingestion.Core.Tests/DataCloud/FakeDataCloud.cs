using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests.DataCloud;

/// <summary>
/// Salesforce login, the Data Cloud token exchange and the bulk job API, answered in memory through
/// <see cref="RecordingHandler.Intercept"/> (nothing listens on the login URL). The shapes follow the shared contract.
/// </summary>
internal sealed class FakeDataCloud : IDisposable
{
    public const string ConsumerKey = "consumer-key";
    public const string User = "ingest@example.com";
    public static readonly Uri Login = new("http://127.0.0.1:9/");

    private readonly TempDirectory temp = new();
    private int logins;
    private int exchanges;
    private int jobCounter;

    public FakeDataCloud()
    {
        Key = RSA.Create(2048);
        KeyPath = temp.Write("key.pem", Key.ExportPkcs8PrivateKeyPem());
        Handler.Intercept = (request, _) => Answer(request);
    }

    public RSA Key { get; }
    public string KeyPath { get; }
    public TempDirectory Temp => temp;
    public RecordingHandler Handler { get; } = new();

    /// <summary>Answers a request before the fake does; null lets the fake answer.</summary>
    public Func<HttpRequestMessage, string?, HttpResponseMessage?>? Override { get; set; }

    public int ExpiresIn { get; set; } = 7200;
    public bool SendExpiresIn { get; set; } = true;
    public DateTimeOffset TokenExp { get; set; } = DateTimeOffset.UtcNow.AddHours(2);

    public int Logins => logins;
    public int Exchanges => exchanges;
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> LoginForms { get; } = new();
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> ExchangeForms { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Jobs { get; } = new();
    public ConcurrentDictionary<string, List<byte[]>> Uploads { get; } = new();
    public ConcurrentQueue<string> Bodies { get; } = new();
    public ConcurrentQueue<string?> UploadContentTypes { get; } = new();

    public string CurrentDataCloudToken { get; private set; } = string.Empty;

    public DataCloudConnectionOptions Options(TimeProvider? time = null, RetrySettings? retry = null, long? maxUpload = null, string? dataspace = null) => new()
    {
        ClientId = ConsumerKey,
        UserName = User,
        PrivateKeyPath = KeyPath,
        LoginUrl = Login,
        Dataspace = dataspace,
        PrimaryHandler = Handler,
        Retry = retry ?? TestEmulator.FastRetry,
        TimeProvider = time ?? TimeProvider.System,
        MaxUploadBytes = maxUpload ?? DataCloudCsv.MaxUploadBytes,
    };

    public Task<IngestSession> ConnectAsync(TimeProvider? time = null, RetrySettings? retry = null, long? maxUpload = null, string? dataspace = null) =>
        IngestSession.ConnectAsync(Options(time, retry, maxUpload, dataspace), CancellationToken.None);

    public static string Jwt(DateTimeOffset exp) =>
        DataCloudTokenProvider.Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"none\"}")) + "."
        + DataCloudTokenProvider.Base64Url(Encoding.UTF8.GetBytes($"{{\"exp\":{exp.ToUnixTimeSeconds()},\"n\":\"{Guid.NewGuid():N}\"}}")) + ".sig";

    private async Task<HttpResponseMessage?> Answer(HttpRequestMessage request)
    {
        string? body = null;
        byte[]? bytes = null;
        if (request.Content is not null)
        {
            bytes = await request.Content.ReadAsByteArrayAsync();
            body = Encoding.UTF8.GetString(bytes);
        }

        if (Override?.Invoke(request, body) is { } overridden)
        {
            return overridden;
        }

        var path = request.RequestUri!.AbsolutePath;
        if (path == "/services/oauth2/token")
        {
            Interlocked.Increment(ref logins);
            LoginForms.Enqueue(Form(body));
            return RecordingHandler.Respond(HttpStatusCode.OK, new JsonObject
            {
                ["access_token"] = $"core-token-{logins}",
                ["scope"] = "cdp_ingest_api api",
                ["instance_url"] = "http://127.0.0.1:9",
                ["id"] = "https://login.salesforce.com/id/00D/005",
                ["token_type"] = "Bearer",
            }.ToJsonString());
        }

        if (path == "/services/a360/token")
        {
            Interlocked.Increment(ref exchanges);
            ExchangeForms.Enqueue(Form(body));
            CurrentDataCloudToken = Jwt(TokenExp);
            var answer = new JsonObject
            {
                ["access_token"] = CurrentDataCloudToken,
                ["instance_url"] = "127.0.0.1:9",
                ["token_type"] = "Bearer",
                ["issued_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            };
            if (SendExpiresIn)
            {
                answer["expires_in"] = ExpiresIn;
            }

            return RecordingHandler.Respond(HttpStatusCode.OK, answer.ToJsonString());
        }

        if (!path.StartsWith("/api/v1/ingest/jobs", StringComparison.Ordinal))
        {
            return RecordingHandler.Respond(HttpStatusCode.NotFound, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"no route\"}]");
        }

        if (request.Headers.Authorization?.Parameter != CurrentDataCloudToken)
        {
            return RecordingHandler.Respond(HttpStatusCode.Unauthorized, "[{\"errorCode\":\"INVALID_AUTH\",\"message\":\"bad token\"}]");
        }

        var rest = path["/api/v1/ingest/jobs".Length..].Trim('/');
        if (rest.Length == 0 && request.Method == HttpMethod.Post)
        {
            Bodies.Enqueue(body ?? string.Empty);
            var input = JsonNode.Parse(body!)!.AsObject();
            var id = $"job-{Interlocked.Increment(ref jobCounter)}";
            var job = new JsonObject
            {
                ["id"] = id,
                ["operation"] = input["operation"]!.GetValue<string>(),
                ["object"] = input["object"]!.GetValue<string>(),
                ["sourceName"] = input["sourceName"]!.GetValue<string>(),
                ["createdById"] = "005xx",
                ["createdDate"] = "2026-01-01T00:00:00.000Z",
                ["systemModstamp"] = "2026-01-01T00:00:00.000Z",
                ["state"] = "Open",
                ["contentType"] = "CSV",
                ["apiVersion"] = "v1",
                ["contentUrl"] = $"api/v1/ingest/jobs/{id}/batches",
            };
            Jobs[id] = job;
            return RecordingHandler.Respond(HttpStatusCode.Created, job.ToJsonString());
        }

        if (rest.Length == 0 && request.Method == HttpMethod.Get)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
            var limit = int.Parse(query["limit"] ?? "20");
            var offset = int.Parse(query["offset"] ?? "0");
            var states = query["states"]?.Split(',');
            var all = Jobs.Values.OrderBy(j => int.Parse(j["id"]!.GetValue<string>()[4..]))
                .Where(j => states is null || states.Contains(j["state"]!.GetValue<string>()))
                .Skip(offset).Take(limit).Select(j => (JsonNode)j.DeepClone()).ToArray();
            return RecordingHandler.Respond(HttpStatusCode.OK, new JsonObject { ["data"] = new JsonArray(all) }.ToJsonString());
        }

        var parts = rest.Split('/');
        if (!Jobs.TryGetValue(parts[0], out var found))
        {
            return RecordingHandler.Respond(HttpStatusCode.NotFound, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]");
        }

        var state = found["state"]!.GetValue<string>();
        if (parts.Length == 2 && parts[1] == "batches" && request.Method == HttpMethod.Put)
        {
            UploadContentTypes.Enqueue(request.Content?.Headers.ContentType?.MediaType);
            if (state != "Open")
            {
                return RecordingHandler.Respond(HttpStatusCode.Conflict, "[{\"errorCode\":\"INVALID_STATE\",\"message\":\"Job is not open\"}]");
            }

            Uploads.GetOrAdd(parts[0], _ => []).Add(bytes ?? []);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }

        if (request.Method == HttpMethod.Get)
        {
            return RecordingHandler.Respond(HttpStatusCode.OK, found.ToJsonString());
        }

        if (request.Method == HttpMethod.Patch)
        {
            Bodies.Enqueue(body ?? string.Empty);
            var target = JsonNode.Parse(body!)!["state"]!.GetValue<string>();
            if (state != "Open")
            {
                return RecordingHandler.Respond(HttpStatusCode.Conflict, "[{\"errorCode\":\"INVALID_STATE\",\"message\":\"Job is " + state + "\"}]");
            }

            found["state"] = target;
            return RecordingHandler.Respond(HttpStatusCode.OK, found.ToJsonString());
        }

        if (request.Method == HttpMethod.Delete)
        {
            if (state is not ("UploadComplete" or "JobComplete" or "Aborted" or "Failed"))
            {
                return RecordingHandler.Respond(HttpStatusCode.Conflict, "[{\"errorCode\":\"INVALID_STATE\",\"message\":\"Job is " + state + "\"}]");
            }

            Jobs.TryRemove(parts[0], out _);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }

        return RecordingHandler.Respond(HttpStatusCode.MethodNotAllowed, "[]");
    }

    private static Dictionary<string, string> Form(string? body) =>
        (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : string.Empty));

    public void Dispose()
    {
        Key.Dispose();
        temp.Dispose();
    }
}
