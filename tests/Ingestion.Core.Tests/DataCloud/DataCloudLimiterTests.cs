using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests.DataCloud;

/// <summary>The session's job limits: 5 open at once, 20 created per rolling hour, on an injected clock.</summary>
public class DataCloudLimiterTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_sixth_open_job_fails_fast_with_no_wait_and_waits_for_a_close_otherwise()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new DataCloudJobLimiter(time);
        for (var i = 0; i < 5; i++)
        {
            (await limiter.AcquireAsync(true, null, None)).Opened($"job-{i}");
        }

        var ex = await Assert.ThrowsAsync<IngestionException>(() => limiter.AcquireAsync(true, null, None));
        Assert.True(DataCloudClient.IsJobLimitReached(ex));
        Assert.Contains("5 Data Cloud jobs", ex.Message);
        Assert.Contains("aborted", ex.Message);

        var reports = new List<DataCloudLimitWait>();
        var waiting = limiter.AcquireAsync(false, new SyncProgress(reports.Add), None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Assert.Null(Assert.Single(reports).Until);

        limiter.Release("job-2");
        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Opened("job-5");
        Assert.Equal(5, limiter.OpenCount);
    }

    [Fact]
    public async Task The_twenty_first_creation_in_an_hour_waits_until_the_oldest_is_an_hour_old()
    {
        var start = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var limiter = new DataCloudJobLimiter(time);
        for (var i = 0; i < 20; i++)
        {
            (await limiter.AcquireAsync(true, null, None)).Opened($"job-{i}");
            limiter.Release($"job-{i}");
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var ex = await Assert.ThrowsAsync<IngestionException>(() => limiter.AcquireAsync(true, null, None));
        Assert.True(DataCloudClient.IsJobLimitReached(ex));
        Assert.Contains("20 Data Cloud jobs in the last hour", ex.Message);
        Assert.Contains(start.AddHours(1).ToString("u"), ex.Message);

        var reports = new List<DataCloudLimitWait>();
        var waiting = limiter.AcquireAsync(false, new SyncProgress(reports.Add), None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(start.AddHours(1), Assert.Single(reports).Until);

        time.Advance(TimeSpan.FromMinutes(39));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        using var slot = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_creation_the_service_refused_frees_its_slot_and_its_hourly_count()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new DataCloudJobLimiter(time, maxOpen: 1, maxPerHour: 1);
        var slot = await limiter.AcquireAsync(true, null, None);
        slot.Cancel(serviceRefused: true);
        (await limiter.AcquireAsync(true, null, None)).Opened("job-1");
        await Assert.ThrowsAsync<IngestionException>(() => limiter.AcquireAsync(true, null, None));
    }

    private sealed class SyncProgress(Action<DataCloudLimitWait> report) : IProgress<DataCloudLimitWait>
    {
        public void Report(DataCloudLimitWait value) => report(value);
    }
}
