using System.Management.Automation;
using Ingestion.Core.Models;

namespace Ingestion.PowerShell.Runtime;

/// <summary>Turns the engine's conversion progress into a progress record for the pipeline thread.</summary>
internal sealed class ConversionProgressReporter(PipelineBridge bridge, string source, int parentActivityId = -1) : IProgress<ConversionProgress>
{
    public string Activity { get; } = string.Format(Messages.ProgressConvertActivity, Path.GetFileName(source));

    public void Report(ConversionProgress value)
    {
        var record = new ProgressRecord(ProgressActivity.Convert, Activity, string.Format(Messages.ProgressConvertStatus, value.Phase, value.Rows))
        {
            ParentActivityId = parentActivityId,
        };
        if (value.TotalBytes > 0 && value.BytesRead > 0)
        {
            record.PercentComplete = (int)Math.Clamp(value.BytesRead * 100 / value.TotalBytes, 0, 100);
        }

        bridge.Progress(record);
    }
}
