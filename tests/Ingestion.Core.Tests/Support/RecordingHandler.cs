using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Ingestion.Core.Tests.Support;

/// <summary>One request as it left the engine (what the innermost handler saw).</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => Uri.AbsolutePath;

    public bool IsIms => Uri.AbsolutePath.EndsWith("/ims/token/v3", StringComparison.Ordinal);

    public string? BearerToken => Authorization is { } a && a.StartsWith("Bearer ", StringComparison.Ordinal) ? a["Bearer ".Length..] : null;
}

/// <summary>
/// The session's primary handler in tests: records every request that reaches the network, remembers every
/// token IMS hands out, and can answer or fail a request itself instead of passing it to the emulator.
/// </summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly ConcurrentQueue<string> issuedTokens = new();
    private readonly ConcurrentQueue<HttpRequestMessage> messages = new();

    public RecordingHandler()
        : base(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(2) })
    {
    }

    /// <summary>Returns a response to short-circuit the request, null to pass it on; may throw to fail the connection.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>>? Intercept { get; set; }

    /// <summary>Runs on each request before it is passed on (after <see cref="Intercept"/> declined it).</summary>
    public Action<HttpRequestMessage>? BeforeSend { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    /// <summary>The message objects themselves, in the order they arrived, to tell attempts apart by identity.</summary>
    public IReadOnlyList<HttpRequestMessage> Messages => messages.ToArray();

    public IReadOnlyList<RecordedRequest> PlatformRequests => Requests.Where(r => !r.IsIms).ToArray();

    public int ImsCalls => Requests.Count(r => r.IsIms);

    /// <summary>Every access token IMS issued through this handler, and every bearer token sent.</summary>
    public IReadOnlyCollection<string> Tokens =>
        issuedTokens.Concat(Requests.Select(r => r.BearerToken).OfType<string>()).Distinct().ToArray();

    public int Count(HttpMethod method, string pathContains) =>
        Requests.Count(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), headers));
        messages.Enqueue(request);

        if (Intercept is { } intercept)
        {
            var injected = await intercept(request, cancellationToken).ConfigureAwait(false);
            if (injected is not null)
            {
                injected.RequestMessage ??= request;
                return injected;
            }
        }

        BeforeSend?.Invoke(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.RequestUri!.AbsolutePath.EndsWith("/ims/token/v3", StringComparison.Ordinal) && response.IsSuccessStatusCode)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value)
            {
                issuedTokens.Enqueue(value);
            }
        }

        return response;
    }

    /// <summary>Sends the request on to the network, for an <see cref="Intercept"/> that wants the real answer first.</summary>
    public Task<HttpResponseMessage> PassOnAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    public static HttpResponseMessage Respond(HttpStatusCode status, string? json = null, Action<HttpResponseMessage>? configure = null)
    {
        var response = new HttpResponseMessage(status);
        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(response);
        return response;
    }
}
