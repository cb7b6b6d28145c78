using Ingestion.Core.Errors;

namespace Ingestion.Core.DataCloud;

/// <summary>How a streaming send runs.</summary>
public sealed class RecordStreamOptions
{
    public const int DefaultMaxConcurrency = 4;
    public const int MaxConcurrencyLimit = 16;

    /// <summary>Requests in flight at once (1 to 16).</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Requests started per second by this call (1 to 250); the session-wide 250 per second cap applies anyway.</summary>
    public int RequestsPerSecond { get; init; } = RequestRateLimiter.ServiceCap;

    internal void Validate()
    {
        if (MaxConcurrency is < 1 or > MaxConcurrencyLimit)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.StreamConcurrencyOutOfRange, MaxConcurrency, MaxConcurrencyLimit));
        }

        if (RequestsPerSecond is < 1 or > RequestRateLimiter.ServiceCap)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.StreamRateOutOfRange, RequestsPerSecond, RequestRateLimiter.ServiceCap));
        }
    }
}
