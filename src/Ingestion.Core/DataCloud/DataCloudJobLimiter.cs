using Ingestion.Core.Errors;

namespace Ingestion.Core.DataCloud;

/// <summary>Why a job creation waits, and until when (null: until a job of this session is closed, aborted or removed).</summary>
public sealed record DataCloudLimitWait(string Reason, DateTimeOffset? Until);

/// <summary>
/// Data Cloud's bulk limits, enforced per session before asking the service: at most <see cref="MaxOpen"/> jobs open at
/// once (created by this session and not yet closed, aborted or removed by it) and at most <see cref="MaxPerHour"/>
/// created in any rolling hour. A creation over a limit waits for a slot (reporting why), or fails at once with
/// <c>noWait</c>. Time comes from a <see cref="TimeProvider"/>, so tests drive the hour.
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

    /// <summary>Reserves a slot for one creation; dispose the result (or call <see cref="Reservation.Opened"/>) when the creation is done.</summary>
    public async Task<Reservation> AcquireAsync(bool noWait, IProgress<DataCloudLimitWait>? progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            DataCloudLimitWait wait;
            lock (sync)
            {
                var now = time.GetUtcNow();
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

                if (created.Count >= maxPerHour)
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
                throw new IngestionException(IngestErrorKind.RateLimited, wait.Reason)
                {
                    ServiceErrorCode = LimitReachedCode,
                    RecommendedAction = Messages.DcLimitReachedAction,
                    Target = wait,
                };
            }

            progress?.Report(wait);
            if (wait.Until is { } due)
            {
                var delay = due - time.GetUtcNow();
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

    /// <summary>A job of this session left Open (closed, aborted, removed, or seen in another state): its slot frees.</summary>
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
