namespace Ingestion.Core.Sessions;

/// <summary>How hard the engine tries before it gives up on a call. Set per session.</summary>
public sealed class RetrySettings
{
    /// <summary>Retries after the first attempt, for calls that are safe to repeat.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Base of the exponential backoff (jittered); a <c>Retry-After</c> from the service wins.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time allowed for one attempt of one request (uploads get it per attempt too).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Time allowed for one call in all: every attempt and every wait between them. Never shorter than one attempt
    /// (<see cref="AttemptTimeout"/> wins when it is longer). File uploads (a whole small file, or one chunk of a large
    /// one) are exempt: each of their attempts is bounded by <see cref="AttemptTimeout"/>, and a large body on a slow
    /// link may rightly need longer than any fixed limit for the call.
    /// </summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Refuses values the retry machinery cannot honour, naming the setting to change.</summary>
    internal void Validate()
    {
        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            throw Invalid(string.Format(Messages.MaxRetriesOutOfRange, MaxRetries, MaxRetriesLimit), MaxRetries);
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > Limit)
        {
            throw Invalid(string.Format(Messages.RetryDelayOutOfRange, RetryDelay), RetryDelay);
        }

        if (AttemptTimeout < MinAttemptTimeout || AttemptTimeout > Limit)
        {
            throw Invalid(string.Format(Messages.AttemptTimeoutOutOfRange, AttemptTimeout), AttemptTimeout);
        }

        if (OverallTimeout < MinAttemptTimeout || OverallTimeout > Limit)
        {
            throw Invalid(string.Format(Messages.OverallTimeoutOutOfRange, OverallTimeout), OverallTimeout);
        }
    }

    private const int MaxRetriesLimit = 100;

    // Polly's own bounds for a retry delay and an attempt timeout.
    private static readonly TimeSpan Limit = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);

    private static Errors.IngestionException Invalid(string message, object value) =>
        new(Errors.IngestErrorKind.InvalidArgument, message) { Target = value };
}
