using System.Diagnostics;
using System.Management.Automation;
using Ingestion.Core.Models;

namespace Ingestion.PowerShell.Runtime;

/// <summary>Turns each status Campaign reports while waiting into a progress record for the pipeline thread, as <see cref="BatchWaitProgress"/> does for a batch.</summary>
internal sealed class MappingWaitProgress(PipelineBridge bridge, string mappingId, long requestId, TimeSpan? timeout) : IProgress<XdmIngestRequest>
{
    private readonly long started = Stopwatch.GetTimestamp();

    public string Activity { get; } = string.Format(Messages.ProgressWaitMappingActivity, mappingId, requestId);

    public void Report(XdmIngestRequest value)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var record = new ProgressRecord(ProgressActivity.WaitMapping, Activity, string.Format(Messages.ProgressWaitStatus, value.Status, Units.Duration(elapsed)));
        if (timeout is { } limit && limit > TimeSpan.Zero)
        {
            record.PercentComplete = (int)Math.Clamp(elapsed / limit * 100, 0, 100);
            record.SecondsRemaining = (int)Math.Max(0, (limit - elapsed).TotalSeconds);
        }

        bridge.Progress(record);
    }
}
