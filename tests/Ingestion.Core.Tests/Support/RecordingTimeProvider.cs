using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer the code under test starts, so a test can see
/// each delay the engine asked for (Task.Delay, Polly's retry delays) and advance time by exactly that much.
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> timers = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Which due times to report; others (per-attempt timeouts, say) are created but not reported.</summary>
    public Func<TimeSpan, bool> Watch { get; set; } = _ => true;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan && Watch(dueTime))
        {
            timers.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>The due time of the next reported timer; fails the test if none comes within <paramref name="guard"/> of real time.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan? guard = null)
    {
        using var cts = new CancellationTokenSource(guard ?? TimeSpan.FromSeconds(20));
        try
        {
            return await timers.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The code under test started no timer in time.");
        }
    }

    /// <summary>The due time of the next reported timer, or null once <paramref name="done"/> has finished first.</summary>
    public async Task<TimeSpan?> NextTimerOrDoneAsync(Task done, TimeSpan? guard = null)
    {
        using var cts = new CancellationTokenSource();
        var read = timers.Reader.ReadAsync(cts.Token).AsTask();
        var expired = Task.Delay(guard ?? TimeSpan.FromSeconds(20), cts.Token);
        var first = await Task.WhenAny(read, done, expired);
        if (first == read)
        {
            return await read;
        }

        cts.Cancel();
        if (first == done)
        {
            return null;
        }

        throw new TimeoutException("The code under test neither started a timer nor finished in time.");
    }

    /// <summary>Advances time by each reported timer's due time until <paramref name="done"/> finishes; returns the due times.</summary>
    public async Task<List<TimeSpan>> DriveAsync(Task done, int? stopAfter = null, Action? onStop = null)
    {
        var delays = new List<TimeSpan>();
        while (await NextTimerOrDoneAsync(done) is { } due)
        {
            delays.Add(due);
            if (delays.Count == stopAfter)
            {
                onStop?.Invoke();
                continue;
            }

            Advance(due);
        }

        return delays;
    }
}
