using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Http;

/// <summary>
/// The session's one HttpClient with the AEP base address, and the few send helpers every API client
/// shares: transport failures and error bodies become <see cref="IngestionException"/>s naming the operation.
/// </summary>
internal sealed class PlatformConnection(HttpClient http, Uri platformEndpoint)
{
    public Uri Endpoint { get; } = platformEndpoint;

    public HttpClient Http { get; } = http;

    public HttpRequestMessage Request(HttpMethod method, string relativePath, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Endpoint, relativePath)) { Content = content };
        request.Options.Set(IngestRequestOptions.Authenticated, true);
        return request;
    }

    public static HttpContent Json(JsonNode body) =>
        new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Sends and returns the response when its status is one of <paramref name="accepted"/>; otherwise throws.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, object? target, CancellationToken cancellationToken, IngestErrorKind? kindFor400 = null, params int[] accepted)
    {
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not IngestionException && !cancellationToken.IsCancellationRequested)
        {
            throw IngestionExceptionChain.Find(ex) ?? ServiceErrorReader.FromTransport(ex, operation, target, request);
        }

        if (accepted.Length == 0 ? response.IsSuccessStatusCode : accepted.Contains((int)response.StatusCode))
        {
            return response;
        }

        using (response)
        {
            throw await ServiceErrorReader.ReadAsync(response, operation, target, cancellationToken, kindFor400).ConfigureAwait(false);
        }
    }

    public async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        using (response)
        {
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("empty body");
            }
            catch (JsonException ex)
            {
                var from = response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority) ?? Endpoint.GetLeftPart(UriPartial.Authority);
                var mediaType = response.Content.Headers.ContentType?.MediaType ?? Messages.NoContentType;
                throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBodyFrom, operation, (int)response.StatusCode, from, mediaType), ex)
                {
                    StatusCode = response.StatusCode,
                    RequestId = ServiceErrorReader.RequestIdOf(response),
                };
            }
        }
    }
}
