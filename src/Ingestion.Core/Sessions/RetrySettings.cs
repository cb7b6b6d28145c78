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
}
