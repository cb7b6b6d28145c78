using System.Collections.Concurrent;
using System.Management.Automation;
using Ingestion.Core.Sessions;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Carries verbose lines and progress from engine threads to the pipeline thread, the only thread
/// allowed to call <c>Write*</c>. Workers post; the pipeline thread drains while it waits.
/// Progress keeps only the latest record per activity, which throttles it to the drain rate.
/// </summary>
internal sealed class PipelineBridge : IIngestLog
{
    private readonly ConcurrentQueue<string> verbose = new();
    private readonly ConcurrentQueue<string> warnings = new();
    private readonly SortedDictionary<int, ProgressRecord> pendingProgress = new();
    private readonly object gate = new();

    public void Verbose(string message) => verbose.Enqueue(message);

    /// <summary>Warnings from the engine (<see cref="Core.Models.UploadOptions.Warnings"/>), written by the pipeline thread.</summary>
    public IProgress<string> Warnings => new WarningSink(warnings);

    public void Progress(ProgressRecord record)
    {
        lock (gate)
        {
            pendingProgress[record.ActivityId] = record;
        }
    }

    /// <summary>Writes what the workers posted. Pipeline thread only.</summary>
    public void Drain(Cmdlet cmdlet)
    {
        while (verbose.TryDequeue(out var line))
        {
            cmdlet.WriteVerbose(line);
        }

        while (warnings.TryDequeue(out var warning))
        {
            cmdlet.WriteWarning(warning);
        }

        ProgressRecord[] records;
        lock (gate)
        {
            records = [.. pendingProgress.Values];
            pendingProgress.Clear();
        }

        // Sorted by activity id: parents have the lower ids, so they are shown before their children.
        foreach (var record in records)
        {
            cmdlet.WriteProgress(record);
        }
    }

    /// <summary>Ends an activity: drops its pending update so it cannot reappear after the Completed record. Pipeline thread only.</summary>
    public void Complete(Cmdlet cmdlet, int activityId, string activity, int parentActivityId = -1)
    {
        lock (gate)
        {
            pendingProgress.Remove(activityId);
        }

        cmdlet.WriteProgress(new ProgressRecord(activityId, activity, Messages.ProgressDone)
        {
            ParentActivityId = parentActivityId,
            RecordType = ProgressRecordType.Completed,
        });
    }

    private sealed class WarningSink(ConcurrentQueue<string> queue) : IProgress<string>
    {
        public void Report(string value) => queue.Enqueue(value);
    }
}
