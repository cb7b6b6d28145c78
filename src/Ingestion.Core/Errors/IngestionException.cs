using System.Net;

namespace Ingestion.Core.Errors;

/// <summary>
/// Every failure the engine reports. Carries what a user needs to act or to ask support:
/// HTTP status, the service's own error code, and the request id.
/// </summary>
public sealed class IngestionException : Exception
{
    public IngestionException(IngestErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public IngestErrorKind Kind { get; }

    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The service's <c>error_code</c>, or the problem type/title when that is all it gave.</summary>
    public string? ServiceErrorCode { get; init; }

    /// <summary>The service's own message (<c>message</c>, <c>detail</c> or <c>title</c>).</summary>
    public string? ServiceMessage { get; init; }

    /// <summary>The <c>x-request-id</c> of the failed call, for support.</summary>
    public string? RequestId { get; init; }

    /// <summary>The batch, dataset or file the failure is about, when known.</summary>
    public object? Target { get; init; }

    /// <summary>
    /// The service's <c>Retry-After</c> (seconds or an HTTP date) on the failed answer, when it sent one: how long it
    /// asked to be left alone. The engine's own retries of calls it reconciles wait at least that long.
    /// </summary>
    public System.Net.Http.Headers.RetryConditionHeaderValue? RetryAfter { get; init; }

    /// <summary>What the user can do about it, when the engine knows.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>
    /// This failure told again with what the caller knows: a new message (and, when given, another kind, target or
    /// recommended action) over the same status, service error, request id and Retry-After; this one is the inner exception.
    /// </summary>
    public IngestionException Restate(string message, IngestErrorKind? kind = null, object? target = null, string? recommendedAction = null) =>
        new(kind ?? Kind, message, this)
        {
            StatusCode = StatusCode,
            ServiceErrorCode = ServiceErrorCode,
            ServiceMessage = ServiceMessage,
            RequestId = RequestId,
            RetryAfter = RetryAfter,
            Target = target ?? Target,
            RecommendedAction = recommendedAction ?? RecommendedAction,
        };
}
