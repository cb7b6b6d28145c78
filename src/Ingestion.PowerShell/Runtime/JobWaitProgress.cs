using System.Diagnostics;
using System.Management.Automation;
using Ingestion.Core.DataCloud;

namespace Ingestion.PowerShell.Runtime;

/// <summary>Turns each Data Cloud job state seen while waiting into a progress record for the pipeline thread.</summary>
internal sealed class JobWaitProgress(PipelineBridge bridge, string jobId, TimeSpan? timeout) : IProgress<DataCloudJob>
{
    private readonly long started = Stopwatch.GetTimestamp();

    public string Activity { get; } = string.Format(Messages.ProgressWaitJobActivity, jobId);

    public void Report(DataCloudJob value)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var record = new ProgressRecord(ProgressActivity.WaitBatch, Activity, string.Format(Messages.ProgressWaitJobStatus, value.State, Units.Duration(elapsed)));
        if (timeout is { } limit && limit > TimeSpan.Zero)
        {
            record.PercentComplete = (int)Math.Clamp(elapsed / limit * 100, 0, 100);
            record.SecondsRemaining = (int)Math.Max(0, (limit - elapsed).TotalSeconds);
        }

        bridge.Progress(record);
    }
}

/// <summary>Shows why a Data Cloud job creation waits (the session's 5-open / 20-an-hour limits) and until when.</summary>
internal sealed class JobLimitProgress(PipelineBridge bridge) : IProgress<DataCloudLimitWait>
{
    public bool Reported { get; private set; }

    public void Report(DataCloudLimitWait value)
    {
        Reported = true;
        var record = new ProgressRecord(ProgressActivity.WaitJobSlot, Messages.DataCloudJobWaitActivity, string.Format(Messages.DataCloudJobWaitStatus, value.Reason));
        if (value.Until is { } until)
        {
            record.SecondsRemaining = (int)Math.Max(0, (until - DateTimeOffset.UtcNow).TotalSeconds);
        }

        bridge.Progress(record);
        bridge.Verbose(string.Format(Messages.DataCloudJobWaitStatus, value.Reason));
    }

    public void Complete(Cmdlet cmdlet)
    {
        if (Reported)
        {
            bridge.Complete(cmdlet, ProgressActivity.WaitJobSlot, Messages.DataCloudJobWaitActivity);
        }
    }
}
