using Ingestion.Core.Errors;

namespace Ingestion.Core.Models;

/// <summary>
/// The one polling loop: look, report, stop at a terminal state, otherwise sleep an interval that grows from
/// <see cref="WaitOptions.InitialInterval"/> by <see cref="WaitOptions.Growth"/> up to <see cref="WaitOptions.MaxInterval"/>,
/// and look once more right at the deadline rather than sleeping past it.
/// </summary>
internal static class Polling
{
    public static async Task<T> UntilTerminalAsync<T>(
        Func<CancellationToken, Task<T>> look,
        Func<T, bool> isTerminal,
        Func<T, TimeSpan, IngestionException> timedOut,
        WaitOptions options,
        IProgress<T>? progress,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.InitialInterval <= TimeSpan.Zero || options.MaxInterval <= TimeSpan.Zero || !(options.Growth >= 1))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, Messages.WaitOptionsInvalid);
        }

        var started = time.GetTimestamp();
        var interval = TimeSpan.FromTicks(Math.Min(options.InitialInterval.Ticks, options.MaxInterval.Ticks));
        while (true)
        {
            var status = await look(cancellationToken).ConfigureAwait(false);
            progress?.Report(status);
            if (isTerminal(status))
            {
                return status;
            }

            var elapsed = time.GetElapsedTime(started);
            var delay = interval;
            if (options.Timeout is { } timeout)
            {
                if (elapsed >= timeout)
                {
                    throw timedOut(status, elapsed);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks, (timeout - elapsed).Ticks));
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(options.MaxInterval.Ticks, (long)(interval.Ticks * options.Growth)));
        }
    }
}
