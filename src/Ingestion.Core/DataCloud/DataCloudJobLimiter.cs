using Ingestion.Core.Errors;

namespace Ingestion.Core.DataCloud;

/// <summary>Why a job creation waits, and until when (null: until a job of this session is closed, aborted or removed).</summary>
public sealed record DataCloudLimitWait(string Reason, DateTimeOffset? Until);

/// <summary>
/// Data Cloud's bulk limits, enforced per session before asking the service: at most <see cref="MaxOpen"/> jobs at once
/// and at most <see cref="MaxPerHour"/> created in any rolling hour. "At once" means what the service (and the
/// emulator) count: jobs in Open, UploadComplete or InProgress, i.e. created by this session and not yet seen
/// JobComplete, Failed or Aborted, nor removed. A creation over a limit waits for a slot (reporting why), or fails at
/// once with <c>noWait</c>. While it waits for a slot, the tracked jobs are polled every <see cref="PollInterval"/>
/// (closed from another process or the UI, finished, purged), and it fails at once when every one of them is Open:
/// only a close or an abort frees such a slot, and the script waiting cannot send one. Time comes from a
/// <see cref="TimeProvider"/>, so tests drive the hour and the polls.
/// </summary>
internal sealed class DataCloudJobLimiter(TimeProvider time, int maxOpen = DataCloudJobLimiter.DefaultMaxOpen, int maxPerHour = DataCloudJobLimiter.DefaultMaxPerHour)
{
    public const int DefaultMaxOpen = 5;
    public const int DefaultMaxPerHour = 20;
    public const string LimitReachedCode = "JobLimitReached";
    internal static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly object sync = new();
    private readonly Queue<DateTimeOffset> created = new();
    private readonly HashSet<string> open = new(StringComparer.Ordinal);
    private TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int reserved;

    public int MaxOpen => maxOpen;
    public int MaxPerHour => maxPerHour;

    /// <summary>How often the tracked jobs are read while a creation waits for a slot.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int OpenCount
    {
        get
        {
            lock (sync)
            {
                return open.Count + reserved;
            }
        }
    }

    /// <summary>The jobs holding a slot now.</summary>
    public IReadOnlyList<string> Tracked()
    {
        lock (sync)
        {
            return [.. open];
        }
    }

    /// <summary>Reserves a slot for one creation; dispose the result (or call <see cref="Reservation.Opened"/>) when the creation is done.</summary>
    public Task<Reservation> AcquireAsync(bool noWait, IProgress<DataCloudLimitWait>? progress, CancellationToken cancellationToken) =>
        AcquireAsync(noWait, progress, null, null, cancellationToken);

    /// <summary>
    /// Reserves a slot. <paramref name="poll"/> reads the tracked jobs (releasing those that no longer count) and says
    /// whether any of the rest can free a slot on its own (UploadComplete or InProgress: processing ends it; or unknown).
    /// <paramref name="timeout"/> caps the wait (null: no cap).
    /// </summary>
    public async Task<Reservation> AcquireAsync(bool noWait, IProgress<DataCloudLimitWait>? progress, Func<IReadOnlyList<string>, CancellationToken, Task<bool>>? poll, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        DateTimeOffset? nextPoll = null;
        var canFree = true;
        string? lastReason = null;
        while (true)
        {
            Task signal;
            DataCloudLimitWait wait;
            bool openLimited;
            int othersReserved;
            IReadOnlyList<string> tracked;
            var now = time.GetUtcNow();
            lock (sync)
            {
                while (created.Count > 0 && created.Peek() + Window <= now)
                {
                    created.Dequeue();
                }

                var openNow = open.Count + reserved;
                if (openNow < maxOpen && created.Count < maxPerHour)
                {
                    reserved++;
                    created.Enqueue(now);
                    return new Reservation(this, now);
                }

                openLimited = created.Count < maxPerHour;
                othersReserved = reserved;
                tracked = [.. open];
                if (!openLimited)
                {
                    var until = created.Peek() + Window;
                    wait = new DataCloudLimitWait(string.Format(Messages.DcLimitFreesAt, string.Format(Messages.DcLimitHourly, created.Count), until), until);
                }
                else
                {
                    wait = new DataCloudLimitWait(string.Format(Messages.DcLimitFreesOnClose, string.Format(Messages.DcLimitOpen, openNow)), null);
                }

                signal = released.Task;
            }

            if (noWait)
            {
                throw LimitReached(wait.Reason, wait);
            }

            if (openLimited && poll is not null && (nextPoll is null || now >= nextPoll))
            {
                // Jobs closed elsewhere, finished or purged hold no slot: ask the service, then look again.
                nextPoll = now + PollInterval;
                canFree = await poll(tracked, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (openLimited && poll is not null && !canFree && othersReserved == 0)
            {
                throw LimitReached(string.Format(Messages.DcLimitNoneFreeing, wait.Reason.TrimEnd('.'), string.Join(", ", tracked)), wait);
            }

            if (timeout is { } cap && now - started >= cap)
            {
                throw new IngestionException(IngestErrorKind.Timeout, string.Format(Messages.DcLimitTimedOut, cap.TotalSeconds, wait.Reason))
                {
                    ServiceErrorCode = LimitReachedCode,
                    RecommendedAction = Messages.DcLimitReachedAction,
                    Target = wait,
                };
            }

            if (wait.Reason != lastReason)
            {
                progress?.Report(wait);
                lastReason = wait.Reason;
            }

            var due = wait.Until;
            if (nextPoll is { } p && (due is null || p < due))
            {
                due = p;
            }

            if (timeout is { } limit && (due is null || started + limit < due))
            {
                due = started + limit;
            }

            if (due is { } at)
            {
                var delay = at - time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    await Task.WhenAny(signal, Task.Delay(delay, time, cancellationToken)).ConfigureAwait(false);
                }
            }
            else
            {
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static IngestionException LimitReached(string reason, DataCloudLimitWait wait) =>
        new(IngestErrorKind.RateLimited, reason)
        {
            ServiceErrorCode = LimitReachedCode,
            RecommendedAction = Messages.DcLimitReachedAction,
            Target = wait,
        };

    /// <summary>A job of this session no longer counts (JobComplete, Failed, Aborted, removed, or gone): its slot frees.</summary>
    public void Release(string jobId)
    {
        lock (sync)
        {
            if (open.Remove(jobId))
            {
                Signal();
            }
        }
    }

    public bool IsTracked(string jobId)
    {
        lock (sync)
        {
            return open.Contains(jobId);
        }
    }

    private void Signal()
    {
        var old = released;
        released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    /// <summary>One creation in flight: <see cref="Opened"/> when the service made the job, dispose otherwise.</summary>
    internal sealed class Reservation(DataCloudJobLimiter owner, DateTimeOffset at) : IDisposable
    {
        private bool done;

        public void Opened(string jobId)
        {
            lock (owner.sync)
            {
                if (done)
                {
                    return;
                }

                done = true;
                owner.reserved--;
                owner.open.Add(jobId);
            }
        }

        /// <summary>The creation failed: the slot frees, and the hourly count forgets it when the service said no.</summary>
        public void Cancel(bool serviceRefused)
        {
            lock (owner.sync)
            {
                if (done)
                {
                    return;
                }

                done = true;
                owner.reserved--;
                if (serviceRefused)
                {
                    var kept = owner.created.ToList();
                    kept.Remove(at);
                    owner.created.Clear();
                    foreach (var t in kept)
                    {
                        owner.created.Enqueue(t);
                    }
                }

                owner.Signal();
            }
        }

        public void Dispose() => Cancel(serviceRefused: false);
    }
}
