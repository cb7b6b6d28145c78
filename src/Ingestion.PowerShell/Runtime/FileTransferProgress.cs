using System.Management.Automation;
using Ingestion.Core.Models;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Progress of the files of one Send-IngestFile input: a parent bar over all bytes of the input
/// and a child bar for the file being sent.
/// </summary>
internal sealed class FileTransferProgress(PipelineBridge bridge, string batchId, int fileCount, long totalBytes) : IProgress<TransferProgress>
{
    private long bytesBefore;
    private int fileNumber;
    private string fileName = string.Empty;

    public string ParentActivity { get; } = string.Format(Messages.ProgressSendActivity, fileCount, batchId);

    public string FileActivity { get; private set; } = string.Empty;

    /// <summary>Called on the pipeline thread before each file; the engine then reports from its own thread.</summary>
    public void StartFile(string path, long length, long bytesSentBefore)
    {
        fileNumber++;
        fileName = Path.GetFileName(path);
        bytesBefore = bytesSentBefore;
        FileActivity = string.Format(Messages.ProgressSendFileActivity, fileName);
        Report(new TransferProgress(path, 0, length));
    }

    /// <summary>Ends the current file's child bar, if it was started: a file whose conversion failed never was.</summary>
    public void CompleteFile(Cmdlet cmdlet)
    {
        if (FileActivity.Length == 0)
        {
            return;
        }

        bridge.Complete(cmdlet, ProgressActivity.SendFile, FileActivity, ProgressActivity.SendFiles);
        FileActivity = string.Empty;
    }

    public void Report(TransferProgress value)
    {
        var sent = bytesBefore + value.BytesSent;
        bridge.Progress(new ProgressRecord(ProgressActivity.SendFiles, ParentActivity, string.Format(Messages.ProgressSendStatus, fileNumber, fileCount, fileName))
        {
            PercentComplete = Percent(sent, totalBytes),
        });
        bridge.Progress(new ProgressRecord(ProgressActivity.SendFile, FileActivity, string.Format(Messages.ProgressSendFileStatus, Units.Bytes(value.BytesSent), Units.Bytes(value.TotalBytes)))
        {
            ParentActivityId = ProgressActivity.SendFiles,
            PercentComplete = Percent(value.BytesSent, value.TotalBytes),
        });
    }

    private static int Percent(long done, long total) => total <= 0 ? 100 : (int)Math.Clamp(done * 100 / total, 0, 100);
}
