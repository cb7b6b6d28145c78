namespace Ingestion.Core.Models;

/// <summary>
/// Requests in flight shared by several uploads: give the same throttle to the uploads of several files (in
/// <see cref="UploadOptions.Throttle"/>) and their whole-file PUTs and chunk PATCHes together stay within one limit.
/// Only requests hold a slot, never a file waiting for its chunks, so uploads sharing a throttle cannot starve it.
/// </summary>
public sealed class UploadThrottle : IDisposable
{
    private readonly SemaphoreSlim slots;

    public UploadThrottle(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, UploadOptions.MaxThrottleLimit);
        Limit = limit;
        slots = new SemaphoreSlim(limit, limit);
    }

    public int Limit { get; }

    internal Task WaitAsync(CancellationToken cancellationToken) => slots.WaitAsync(cancellationToken);

    internal void Release() => slots.Release();

    public void Dispose() => slots.Dispose();
}
