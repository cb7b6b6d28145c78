using System.Net;
using System.Text.Json;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Http;

/// <summary>
/// Turns a failed response into an <see cref="IngestionException"/>. AEP answers in two shapes:
/// the gateway's <c>{"error_code","message"}</c> and problem JSON <c>{"type","status","title","detail"}</c>.
/// </summary>
internal static class ServiceErrorReader
{
    private const int MaxBodyChars = 4096;

    public static string? RequestIdOf(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("x-request-id", out var values))
        {
            return values.FirstOrDefault();
        }

        return response.RequestMessage?.Headers.TryGetValues("x-request-id", out var sent) == true ? sent.FirstOrDefault() : null;
    }

    public static async Task<IngestionException> ReadAsync(HttpResponseMessage response, string operation, object? target, CancellationToken cancellationToken, IngestErrorKind? kindFor400 = null)
    {
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var (code, message) = Parse(body, response.Content.Headers.ContentType?.MediaType);
        var status = response.StatusCode;
        var kind = KindOf(status, kindFor400);
        var attempts = response.RequestMessage?.AttemptsOf() ?? 1;

        var text = string.Format(Messages.ServiceError, operation, (int)status, response.ReasonPhrase, code is null ? string.Empty : $" [{code}]", message ?? Messages.NoErrorDetail)
            + response.RequestMessage.GaveUpText(ResilienceHandler.IsTransientStatus(status));

        return new IngestionException(kind, text)
        {
            StatusCode = status,
            ServiceErrorCode = code,
            ServiceMessage = message,
            RequestId = RequestIdOf(response),
            Target = target,
            RetryAfter = response.Headers.RetryAfter,
            RecommendedAction = ActionFor(kind, ResilienceHandler.IsTransientStatus(status) ? attempts : 1),
        };
    }

    /// <summary>Wraps a transport failure (no response at all) of <paramref name="request"/>, naming its attempts and the retry settings.</summary>
    public static IngestionException FromTransport(Exception ex, string operation, object? target, HttpRequestMessage request)
    {
        var timedOut = ex is Polly.Timeout.TimeoutRejectedException or TimeoutException;
        var kind = timedOut ? IngestErrorKind.Timeout : IngestErrorKind.Unavailable;
        var text = string.Format(timedOut ? Messages.TransportTimeout : Messages.TransportFailed, operation, ex.Message) + request.GaveUpText(transient: true);
        return new IngestionException(kind, text, ex)
        {
            Target = target,
            RecommendedAction = ActionFor(kind, 2),
        };
    }

    /// <summary>Wraps a transport failure (no response at all) the same way.</summary>
    public static IngestionException FromTransport(Exception ex, string operation, object? target, int attempts)
    {
        var timedOut = ex is Polly.Timeout.TimeoutRejectedException or TimeoutException;
        var kind = timedOut ? IngestErrorKind.Timeout : IngestErrorKind.Unavailable;
        var text = string.Format(timedOut ? Messages.TransportTimeout : Messages.TransportFailed, operation, ex.Message);
        if (attempts > 1)
        {
            text += " " + string.Format(Messages.AfterAttempts, attempts);
        }

        return new IngestionException(kind, text, ex)
        {
            Target = target,
            RecommendedAction = ActionFor(kind, 2),
        };
    }

    internal static IngestErrorKind KindOf(HttpStatusCode status, IngestErrorKind? kindFor400 = null) => (int)status switch
    {
        400 => kindFor400 ?? IngestErrorKind.InvalidArgument,
        401 => IngestErrorKind.Authentication,
        403 => IngestErrorKind.PermissionDenied,
        404 => IngestErrorKind.NotFound,
        408 or 504 => IngestErrorKind.Timeout,
        409 or 412 => IngestErrorKind.InvalidState,
        413 or 414 or 415 or 422 => IngestErrorKind.InvalidArgument,
        429 => IngestErrorKind.RateLimited,
        >= 500 => IngestErrorKind.Unavailable,
        _ => IngestErrorKind.Service,
    };

    internal static (string? Code, string? Message) Parse(string body, string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, Trim(body));
            }

            var code = Text(root, "error_code") ?? Text(root, "error-code") ?? Text(root, "code") ?? CodeFromType(Text(root, "type")) ?? Text(root, "error") ?? Text(root, "title");
            var message = Text(root, "message") ?? Text(root, "detail") ?? Text(root, "error_description") ?? Text(root, "title");
            return (code, message);
        }
        catch (JsonException)
        {
            // An HTML page from a proxy or gateway: say so instead of pasting markup into the error.
            return mediaType is "text/html" || body.TrimStart().StartsWith('<')
                ? (null, Messages.HtmlInsteadOfJson)
                : (null, Trim(body));
        }
    }

    private static string? CodeFromType(string? type)
    {
        if (string.IsNullOrEmpty(type) || type.StartsWith("/placeholder", StringComparison.Ordinal))
        {
            return null;
        }

        var slash = type.LastIndexOf('/');
        return slash >= 0 && slash < type.Length - 1 ? type[(slash + 1)..] : type;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : null;

    private static string Trim(string body)
    {
        body = body.Trim();
        return body.Length <= 300 ? body : body[..300] + "…";
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return body.Length > MaxBodyChars ? body[..MaxBodyChars] : body;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }

    private static string? ActionFor(IngestErrorKind kind, int attempts) => kind switch
    {
        IngestErrorKind.Authentication => Messages.ActionAuthentication,
        IngestErrorKind.PermissionDenied => Messages.ActionPermission,
        IngestErrorKind.RateLimited or IngestErrorKind.Unavailable or IngestErrorKind.Timeout when attempts > 1 => Messages.ActionRetries,
        _ => null,
    };
}
