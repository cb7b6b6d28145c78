namespace Ingestion.Core.DataCloud;

/// <summary>
/// A sliding one-second window over the start times of the last requests: at most <see cref="RequestsPerSecond"/>
/// requests start in any second. Thread-safe; callers wait (on the injected <see cref="TimeProvider"/>) for a free slot.
/// </summary>
public sealed class RequestRateLimiter
{
    /// <summary>The Ingestion API's cap: 250 requests a second across all object endpoints of an org.</summary>
    public const int ServiceCap = 250;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Queue<DateTimeOffset> starts = new();
    private readonly object gate = new();
    private readonly TimeProvider time;

    public RequestRateLimiter(int requestsPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        RequestsPerSecond = requestsPerSecond;
        this.time = time ?? TimeProvider.System;
    }

    public int RequestsPerSecond { get; }

    /// <summary>Returns once the caller may start a request; the start is counted at that moment.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan wait;
            lock (gate)
            {
                var now = time.GetUtcNow();
                while (starts.Count > 0 && now - starts.Peek() >= Window)
                {
                    starts.Dequeue();
                }

                if (starts.Count < RequestsPerSecond)
                {
                    starts.Enqueue(now);
                    return;
                }

                wait = starts.Peek() + Window - now;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
