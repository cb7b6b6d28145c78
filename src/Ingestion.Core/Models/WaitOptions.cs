namespace Ingestion.Core.Models;

/// <summary>How to poll for a terminal state: intervals grow from <see cref="InitialInterval"/> up to <see cref="MaxInterval"/>.</summary>
public sealed class WaitOptions
{
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(30);
    public double Growth { get; init; } = 1.5;

    /// <summary>Null waits for ever (until cancelled).</summary>
    public TimeSpan? Timeout { get; init; }
}
