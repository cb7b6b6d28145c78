using System.Diagnostics;
using System.Management.Automation;
using Ingestion.Core.Models;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Progress of one Send-IngestFile call: a parent bar over every file of the call (files done, bytes, rate, time
/// left) and a child bar per file in flight, each with an activity id of its own while it runs. Engine threads report;
/// the bridge keeps only the latest record per activity, which throttles the updates to its drain rate.
/// </summary>
internal sealed class FileTransferProgress(PipelineBridge bridge)
{
    private readonly object gate = new();
    private readonly SortedSet<int> freeSlots = [];
    private readonly long started = Stopwatch.GetTimestamp();
    private int nextSlot;
    private int filesStarted;
    private int filesDone;
    private long bytesTotal;
    private long bytesDone;

    public string ParentActivity { get; } = Messages.ProgressSendActivity;

    /// <summary>Called on the pipeline thread when a file is handed to the engine.</summary>
    public FileBar StartFile(string path, long length, string batchId)
    {
        lock (gate)
        {
            filesStarted++;
            bytesTotal += length;
            var slot = freeSlots.Count > 0 ? freeSlots.Min : nextSlot++;
            freeSlots.Remove(slot);
            var bar = new FileBar(this, slot, string.Format(Messages.ProgressSendFileActivity, Path.GetFileName(path), batchId), length);
            bar.Report(new TransferProgress(path, 0, length));
            return bar;
        }
    }

    private void Update(FileBar bar, long delta, long sent, long total)
    {
        ProgressRecord parent;
        lock (gate)
        {
            bytesDone += delta;
            parent = Parent();
        }

        bridge.Progress(parent);
        bridge.Progress(new ProgressRecord(bar.ActivityId, bar.Activity, string.Format(Messages.ProgressSendFileStatus, Units.Bytes(sent), Units.Bytes(total)))
        {
            ParentActivityId = ProgressActivity.SendFiles,
            PercentComplete = Percent(sent, total),
        });
    }

    private void Finish(Cmdlet cmdlet, FileBar bar)
    {
        lock (gate)
        {
            filesDone++;
            // A failed file counts as done: its bytes leave the totals the rate and time left are computed from.
            bytesTotal -= bar.Length - bar.Sent;
            freeSlots.Add(bar.Slot);
            bridge.Progress(Parent());
        }

        bridge.Complete(cmdlet, bar.ActivityId, bar.Activity, ProgressActivity.SendFiles);
    }

    private ProgressRecord Parent()
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var rate = elapsed > 0.5 ? bytesDone / elapsed : 0;
        var record = new ProgressRecord(ProgressActivity.SendFiles, ParentActivity, string.Format(
            Messages.ProgressSendStatus, filesDone, filesStarted, Units.Bytes(bytesDone), Units.Bytes(bytesTotal), rate > 0 ? Units.Bytes((long)rate) : "-"))
        {
            PercentComplete = Percent(bytesDone, bytesTotal),
        };
        if (rate > 0 && bytesTotal > bytesDone)
        {
            record.SecondsRemaining = (int)Math.Min(int.MaxValue, (bytesTotal - bytesDone) / rate);
        }

        return record;
    }

    private static int Percent(long done, long total) => total <= 0 ? 100 : (int)Math.Clamp(done * 100 / total, 0, 100);

    /// <summary>One file's bar; the engine reports to it from its own threads.</summary>
    internal sealed class FileBar(FileTransferProgress owner, int slot, string activity, long length) : IProgress<TransferProgress>
    {
        private long sent;
        private int finished;

        public int Slot { get; } = slot;

        public int ActivityId { get; } = ProgressActivity.SendFile + slot;

        public string Activity { get; } = activity;

        public long Length { get; } = length;

        public long Sent => Interlocked.Read(ref sent);

        public void Report(TransferProgress value)
        {
            // A retried send reports from 0 again: the difference, negative then, keeps the call's byte count true.
            var previous = Interlocked.Exchange(ref sent, value.BytesSent);
            owner.Update(this, value.BytesSent - previous, value.BytesSent, value.TotalBytes);
        }

        /// <summary>Ends the bar with a Completed record. Pipeline thread only; a second call does nothing.</summary>
        public void Complete(Cmdlet cmdlet)
        {
            if (Interlocked.Exchange(ref finished, 1) == 0)
            {
                owner.Finish(cmdlet, this);
            }
        }
    }
}
