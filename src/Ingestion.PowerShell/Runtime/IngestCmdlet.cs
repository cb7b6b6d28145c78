using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Errors;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// What every cmdlet of the module shares: cancellation on Ctrl+C, running engine calls off the
/// pipeline thread while that thread writes their verbose lines and progress, and error mapping.
/// </summary>
public abstract class IngestCmdlet : PSCmdlet, IDisposable
{
    // Often enough for progress to look live, rarely enough to cost nothing.
    private const int DrainIntervalMilliseconds = 150;

    private CancellationTokenSource? cancellation;

    internal PipelineBridge Bridge { get; } = new();

    protected sealed override void BeginProcessing()
    {
        cancellation = new CancellationTokenSource();
        ModuleCopyCheck.Check(this);
        OnBegin();
    }

    protected sealed override void EndProcessing()
    {
        try
        {
            OnEnd();
        }
        finally
        {
            ReleaseCancellation();
        }
    }

    /// <summary>Runs on a thread of PowerShell's choosing while the pipeline thread is blocked in <see cref="Run"/>.</summary>
    protected override void StopProcessing()
    {
        try
        {
            Volatile.Read(ref cancellation)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command finished while being stopped: nothing left to cancel.
        }
    }

    /// <summary>PowerShell calls this once the pipeline is done with the command, whether it ended, failed or was stopped.</summary>
    public void Dispose()
    {
        try
        {
            OnDispose();
        }
        finally
        {
            ReleaseCancellation();
            GC.SuppressFinalize(this);
        }
    }

    protected virtual void OnBegin()
    {
    }

    /// <summary>Releases what a command holds across records (a half-written file); runs after a Ctrl+C too, when OnEnd does not.</summary>
    protected virtual void OnDispose()
    {
    }

    protected virtual void OnEnd()
    {
    }

    /// <summary>
    /// Runs an engine call on the thread pool and pumps its verbose lines and progress until it ends.
    /// Engine failures are written as errors (terminating when <paramref name="endsCommand"/> says so,
    /// or when they would hit every further input too); returns false then.
    /// </summary>
    /// <param name="note">A sentence the error's shown message ends with (what the failure left behind, say).</param>
    internal bool TryRun<T>(Func<CancellationToken, Task<T>> operation, object? target, [MaybeNullWhen(false)] out T result, Func<Exception, bool>? endsCommand = null, string? note = null) =>
        TryFinish(Start(operation), target, out result, endsCommand, note);

    /// <summary>Starts an engine call that the pipeline thread collects later with <see cref="TryFinish"/>, so several run at once.</summary>
    internal Task<T> StartInBackground<T>(Func<CancellationToken, Task<T>> operation) => Start(operation);

    /// <summary>Pumps verbose lines and progress until <paramref name="task"/> ends, then reports it as <see cref="TryRun{T}"/> does.</summary>
    internal bool TryFinish<T>(Task<T> task, object? target, [MaybeNullWhen(false)] out T result, Func<Exception, bool>? endsCommand = null, string? note = null)
    {
        Pump(task);
        if (task.IsFaulted)
        {
            var failure = task.Exception.InnerException ?? task.Exception;
            WriteFailure(failure, target, endsCommand?.Invoke(failure) == true, note);
            result = default;
            return false;
        }

        result = task.Result;
        return true;
    }

    internal bool TryRun(Func<CancellationToken, Task> operation, object? target, Func<Exception, bool>? endsCommand = null) =>
        TryRun(async token =>
        {
            await operation(token).ConfigureAwait(false);
            return true;
        }, target, out _, endsCommand);

    /// <summary>
    /// Streams an engine listing: each item is fetched off the pipeline thread and yielded on it, so the
    /// caller can write it at once. A failure is written as an error, ends the listing and sets <paramref name="failed"/>.
    /// </summary>
    internal IEnumerable<T> Enumerate<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, object? target, StrongBox<bool> failed)
    {
        var token = cancellation?.Token ?? CancellationToken.None;
        var items = source(token).GetAsyncEnumerator(token);
        try
        {
            while (true)
            {
                if (!TryRun(async _ => await items.MoveNextAsync().ConfigureAwait(false), target, out var more))
                {
                    failed.Value = true;
                    yield break;
                }

                if (!more)
                {
                    yield break;
                }

                yield return items.Current;
            }
        }
        finally
        {
            DisposeQuietly(items);
        }
    }

    internal void WriteFailure(Exception exception, object? target, bool endsCommand = false, string? note = null)
    {
        var record = ErrorMapper.ToErrorRecord(exception, target);
        if (note is not null)
        {
            // ErrorDetails is what PowerShell shows (and $Error keeps) instead of the exception's own message.
            record.ErrorDetails = new ErrorDetails((record.ErrorDetails?.Message ?? exception.Message) + " " + note)
            {
                RecommendedAction = record.ErrorDetails?.RecommendedAction,
            };
        }

        if (endsCommand || ErrorMapper.EndsCommand(exception))
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    private Task<T> Start<T>(Func<CancellationToken, Task<T>> operation)
    {
        var token = cancellation?.Token ?? CancellationToken.None;
        var log = Bridge;
        return Task.Run(
            async () =>
            {
                // Set inside the worker's async flow: the engine reads it from there.
                using (IngestLog.Begin(log))
                {
                    return await operation(token).ConfigureAwait(false);
                }
            },
            token);
    }

    private void Pump(Task task)
    {
        while (Task.WaitAny([task], DrainIntervalMilliseconds) < 0)
        {
            if (Stopping)
            {
                // Ctrl+C: the token is already cancelled; do not wait for the engine to notice.
                throw new PipelineStoppedException();
            }

            Bridge.Drain(this);
        }

        Bridge.Drain(this);
        if (task.IsCanceled || (task.IsFaulted && task.Exception?.InnerException is OperationCanceledException && cancellation?.IsCancellationRequested == true))
        {
            throw new PipelineStoppedException();
        }
    }

    private static void DisposeQuietly<T>(IAsyncEnumerator<T> items)
    {
        try
        {
            items.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is AggregateException or InvalidOperationException or NotSupportedException)
        {
            // Stopped while a page was in flight: the request is cancelled anyway, and there is nothing to report.
        }
    }

    /// <summary>Cancels every engine call of this command still running, as Ctrl+C would.</summary>
    internal void CancelInFlight()
    {
        try
        {
            Volatile.Read(ref cancellation)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already released: nothing is running.
        }
    }

    // Cancelled before it is disposed: background work a terminating error left behind stops instead of running on
    // with a token nobody can cancel any more.
    private void ReleaseCancellation()
    {
        if (Interlocked.Exchange(ref cancellation, null) is { } released)
        {
            released.Cancel();
            released.Dispose();
        }
    }
}
