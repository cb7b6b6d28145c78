using System.Net;
using System.Security;
using System.Text.Json;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Http;

/// <summary>
/// Adobe IMS OAuth server-to-server tokens. IMS issues no refresh token, so a new one is requested
/// with the same credentials before the old one expires, and once more when the platform answers 401.
/// </summary>
internal sealed class ImsTokenProvider(HttpClient imsClient, Uri imsEndpoint, string clientId, SecureString clientSecret, string scope, TimeProvider time)
{
    private static readonly TimeSpan MaxRenewalMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private AccessToken? current;

    public DateTimeOffset? Expires => current?.Expires;

    public async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = current;
        if (token is not null && IsFresh(token))
        {
            return token;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is not null && IsFresh(current))
            {
                return current;
            }

            current = await RequestAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="rejected"/> so the next call fetches a new token; a newer token already fetched is kept.</summary>
    public void Invalidate(AccessToken rejected) => Interlocked.CompareExchange(ref current, null, rejected);

    private bool IsFresh(AccessToken token) => time.GetUtcNow() < token.Expires;

    private async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var requested = time.GetUtcNow();
        var uri = new Uri(imsEndpoint, "ims/token/v3");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", clientId),
                new("client_secret", new NetworkCredential(string.Empty, clientSecret).Password),
                new("scope", scope),
            ]),
        };
        request.MarkIdempotent();

        HttpResponseMessage response;
        try
        {
            response = await imsClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            // A per-attempt timeout surfaces as Polly's own exception: report it like any other unreachable IMS.
            var kind = ex is HttpRequestException ? IngestErrorKind.Unavailable : IngestErrorKind.Timeout;
            throw new IngestionException(kind, string.Format(Messages.ImsUnreachable, uri.GetLeftPart(UriPartial.Authority), ex.Message), ex)
            {
                RecommendedAction = Messages.ImsUnreachableAction,
            };
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw ImsError(response, body);
            }

            return ParseToken(body, requested, response.Content.Headers.ContentType?.MediaType);
        }
    }

    private IngestionException ImsError(HttpResponseMessage response, string body)
    {
        var (error, description) = ServiceErrorReader.Parse(body, response.Content.Headers.ContentType?.MediaType);
        var status = (int)response.StatusCode;
        var kind = status is 400 or 401 or 403 ? IngestErrorKind.Authentication
            : status == 429 ? IngestErrorKind.RateLimited
            : status >= 500 ? IngestErrorKind.Unavailable
            : IngestErrorKind.UnexpectedResponse;
        // Only a 4xx is a verdict on the credentials; a 5xx or 429 says IMS is struggling.
        var template = kind == IngestErrorKind.Authentication ? Messages.ImsRefused : Messages.ImsFailed;
        return new IngestionException(kind, string.Format(template, clientId, status, error ?? response.ReasonPhrase, description ?? string.Empty).TrimEnd(' ', ':', '.') + ".")
        {
            StatusCode = response.StatusCode,
            ServiceErrorCode = error,
            ServiceMessage = description,
            RequestId = ServiceErrorReader.RequestIdOf(response),
            RecommendedAction = kind == IngestErrorKind.Authentication ? Messages.ImsRefusedAction : Messages.ActionRetries,
        };
    }

    private AccessToken ParseToken(string body, DateTimeOffset requested, string? mediaType)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var value = root.GetProperty("access_token").GetString();
            // expires_in is seconds for OAuth server-to-server (the retired JWT exchange used milliseconds).
            var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var s) ? s : 86399;
            if (string.IsNullOrEmpty(value) || seconds <= 0)
            {
                throw new JsonException("access_token or expires_in missing");
            }

            var lifetime = TimeSpan.FromSeconds(seconds);
            // Renew a little early, so a token never expires between our check and the service's.
            var margin = TimeSpan.FromTicks(Math.Min(MaxRenewalMargin.Ticks, lifetime.Ticks / 10));
            return new AccessToken(value, requested + lifetime - margin);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.ImsUnexpectedAnswer, imsEndpoint.GetLeftPart(UriPartial.Authority), mediaType ?? Messages.NoContentType), ex);
        }
    }
}
