using System.Diagnostics;
using System.Management.Automation;
using Ingestion.Core.Models;

namespace Ingestion.PowerShell.Runtime;

/// <summary>Turns each status Catalog reports while waiting into a progress record for the pipeline thread.</summary>
internal sealed class BatchWaitProgress(PipelineBridge bridge, string batchId, TimeSpan? timeout) : IProgress<IngestStatus>
{
    private readonly long started = Stopwatch.GetTimestamp();

    public string Activity { get; } = string.Format(Messages.ProgressWaitActivity, batchId);

    public void Report(IngestStatus value)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var record = new ProgressRecord(ProgressActivity.WaitBatch, Activity, string.Format(Messages.ProgressWaitStatus, value.Status.ToCatalogValue(), Units.Duration(elapsed)));
        if (timeout is { } limit && limit > TimeSpan.Zero)
        {
            // No way to know how far processing is; show how much of the allowed time is used.
            record.PercentComplete = (int)Math.Clamp(elapsed / limit * 100, 0, 100);
            record.SecondsRemaining = (int)Math.Max(0, (limit - elapsed).TotalSeconds);
        }

        bridge.Progress(record);
    }
}
