using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Processing;

/// <summary>What reading a batch's files found.</summary>
internal sealed record ProcessingOutcome(long Records, long FailedRecords, IReadOnlyList<BatchErrorEntry> Errors, int Files, long Bytes)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The files with at least one problem, in reading order.</summary>
    public IReadOnlyList<string> FailedFiles { get; init; } = [];

    /// <summary>The batch in its terminal state. Partial ingestion (a share of bad rows tolerated) would decide here.</summary>
    public BatchState Apply(BatchState batch, long now)
    {
        var metrics = new BatchMetrics(Files, Bytes, Records, Succeeded ? Records : 0, FailedRecords);
        return Succeeded
            ? batch with
            {
                Status = BatchStatus.Active,
                RecordCount = Records,
                FailedRecordCount = 0,
                Errors = [],
                FailedFiles = [],
                Metrics = metrics,
                Completed = now,
                Updated = now,
            }
            : batch with
            {
                Status = BatchStatus.Failed,
                RecordCount = null,
                FailedRecordCount = FailedRecords,
                Errors = Errors,

                // A failure no file is to blame for (the schema is gone) fails every file of the batch.
                FailedFiles = FailedFiles.Count > 0 ? FailedFiles : batch.Files.Select(f => f.Name).ToList(),
                Metrics = metrics,
                Completed = now,
                Updated = now,
            };
    }
}
