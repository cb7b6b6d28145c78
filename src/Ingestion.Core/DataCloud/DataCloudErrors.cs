using System.Text.Json;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;

namespace Ingestion.Core.DataCloud;

/// <summary>
/// Reads Salesforce's error shapes: the API's list <c>[{"errorCode","message"}]</c>, OAuth's
/// <c>{"error","error_description"}</c> and Spring's <c>{"timestamp","error","message","path"}</c>.
/// </summary>
internal static class DataCloudErrors
{
    public static (string? Code, string? Message) Parse(string body, string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var first = root.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object);
                if (first.ValueKind == JsonValueKind.Object)
                {
                    return (Text(first, "errorCode") ?? Text(first, "error"), Text(first, "message") ?? Text(first, "error_description"));
                }

                return (null, null);
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                var code = Text(root, "errorCode") ?? Text(root, "error");
                var message = Text(root, "error_description") ?? Text(root, "message");
                if (code is not null || message is not null)
                {
                    return (code, message);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the shared reader says what it was (an HTML page, plain text).
        }

        return ServiceErrorReader.Parse(body, mediaType);
    }

    public static async Task<IngestionException> ReadAsync(HttpResponseMessage response, string operation, object? target, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            body = string.Empty;
        }

        var (code, message) = Parse(body, response.Content.Headers.ContentType?.MediaType);
        var kind = ServiceErrorReader.KindOf(response.StatusCode);
        var attempts = response.RequestMessage?.AttemptsOf() ?? 1;
        var text = string.Format(Messages.DcServiceError, operation, (int)response.StatusCode, code is null ? string.Empty : $" [{code}]", message ?? response.ReasonPhrase ?? Messages.NoErrorDetail);
        if (attempts > 1)
        {
            text += " " + string.Format(Messages.AfterAttempts, attempts);
        }

        return new IngestionException(kind, text)
        {
            StatusCode = response.StatusCode,
            ServiceErrorCode = code,
            ServiceMessage = message,
            RequestId = ServiceErrorReader.RequestIdOf(response),
            Target = target,
            RecommendedAction = kind switch
            {
                IngestErrorKind.RateLimited => Messages.DcRateLimitedAction,
                IngestErrorKind.Authentication => Messages.SessionNotDataCloudAction,
                IngestErrorKind.PermissionDenied => Messages.DcExchangeAction,
                _ => null,
            },
        };
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;
}
