using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

public class WaitTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(61);

    private static RetrySettings Retry => new() { MaxRetries = 0, AttemptTimeout = AttemptTimeout };

    private static RecordingTimeProvider Clock() => new() { Watch = due => due != AttemptTimeout };

    [Fact]
    public async Task Timeout_names_the_last_status_and_looks_once_more_at_the_deadline()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var clock = Clock();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock, Retry);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        var before = handler.Count(HttpMethod.Get, "/catalog/batches/");

        var wait = session.Catalog.WaitForBatchAsync(
            batch.Id,
            new WaitOptions { InitialInterval = TimeSpan.FromSeconds(1), Growth = 2, MaxInterval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(10) },
            null,
            CancellationToken.None);
        var delays = await clock.DriveAsync(wait);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => wait);
        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
        var last = Assert.IsType<IngestStatus>(ex.Target);
        Assert.Equal(batch.Id, last.Id);
        Assert.Equal(BatchStatus.Loading, last.Status);
        Assert.Contains(batch.Id, ex.Message);
        Assert.Contains("loading", ex.Message);
        Assert.Contains("-TimeoutSec", ex.RecommendedAction);
        Assert.Null(ex.StatusCode);
        // 1 + 2 + 4, then only the 3 s left to the deadline instead of 5.
        Assert.Equal([1, 2, 4, 3], delays.Select(d => d.TotalSeconds));
        Assert.Equal(5, handler.Count(HttpMethod.Get, "/catalog/batches/") - before);
    }

    [Fact]
    public async Task Intervals_grow_by_the_factor_up_to_the_cap()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var clock = Clock();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock, Retry);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        var reports = new List<IngestStatus>();
        using var cts = new CancellationTokenSource();

        // Default growth (1.5) from 1 s, capped at 5 s; no timeout: it polls until cancelled.
        var wait = session.Catalog.WaitForBatchAsync(
            batch.Id,
            new WaitOptions { InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(5) },
            new SyncProgress<IngestStatus>(reports.Add),
            cts.Token);
        var delays = await clock.DriveAsync(wait, stopAfter: 8, onStop: cts.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal([1, 1.5, 2.25, 3.375, 5, 5, 5, 5], delays.Select(d => d.TotalSeconds));
        Assert.Equal(8, reports.Count);
        Assert.All(reports, r => Assert.Equal(BatchStatus.Loading, r.Status));
    }

    [Fact]
    public async Task A_batch_already_terminal_is_returned_after_one_look()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        await session.Batches.AbortBatchAsync(batch.Id, CancellationToken.None);
        var before = handler.Count(HttpMethod.Get, "/catalog/batches/");

        var status = await session.Catalog.WaitForBatchAsync(batch.Id, new WaitOptions { InitialInterval = TimeSpan.FromHours(1) }, null, CancellationToken.None);

        Assert.Equal(BatchStatus.Aborted, status.Status);
        Assert.Equal(1, handler.Count(HttpMethod.Get, "/catalog/batches/") - before);
    }

    [Fact]
    public async Task Cancellation_ends_a_long_sleep_promptly()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        using var cts = new CancellationTokenSource();
        var polled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var wait = session.Catalog.WaitForBatchAsync(
            batch.Id,
            new WaitOptions { InitialInterval = TimeSpan.FromMinutes(10), MaxInterval = TimeSpan.FromMinutes(10) },
            new SyncProgress<IngestStatus>(_ => polled.TrySetResult()),
            cts.Token);
        await polled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.CancelAfter(TimeSpan.FromMilliseconds(100));

        // Not honoured, the wait would sleep ten minutes; the guard is far above "promptly" to stay robust on a busy machine.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Cancellation_during_a_request_is_a_cancellation_not_an_error()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = async (request, ct) =>
        {
            if (request.Method == HttpMethod.Get)
            {
                inFlight.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return null;
        };
        using var cts = new CancellationTokenSource();

        var wait = session.Catalog.WaitForBatchAsync("01JBATCH000000000000000000", TestEmulator.FastWait, null, cts.Token);
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(15)));
        // The caller's cancellation is final: no retry.
        Assert.Equal(1, handler.Count(HttpMethod.Get, "/catalog/batches/"));
    }

    [Theory]
    [InlineData(0, 30, 1.5)]
    [InlineData(1, 0, 1.5)]
    [InlineData(1, 30, 0.5)]
    [InlineData(1, 30, double.NaN)]
    public async Task Nonsense_wait_options_are_refused_before_polling(int initialSeconds, int maxSeconds, double growth)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var before = handler.Count(HttpMethod.Get, "/catalog/batches/");
        var options = new WaitOptions { InitialInterval = TimeSpan.FromSeconds(initialSeconds), MaxInterval = TimeSpan.FromSeconds(maxSeconds), Growth = growth };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.WaitForBatchAsync("01JBATCH0000000000000000000", options, null, CancellationToken.None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(before, handler.Count(HttpMethod.Get, "/catalog/batches/"));
    }

}

internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
