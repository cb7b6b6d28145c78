using Ingestion.Core.Models;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.Tests.Support;

/// <summary>Short ways through the engine for tests whose subject is a later step.</summary>
internal static class Flows
{
    public static Task<IngestDataset> ProfileDatasetAsync(this IngestSession session, string? name = null) =>
        session.Catalog.CreateDatasetAsync(name ?? "profiles " + Guid.NewGuid().ToString("N")[..8], Samples.ProfileSchema, null, CancellationToken.None);

    public static Task<IngestDataset> LoyaltyDatasetAsync(this IngestSession session) =>
        session.Catalog.CreateDatasetAsync("loyalty " + Guid.NewGuid().ToString("N")[..8], Samples.LoyaltySchema, null, CancellationToken.None);

    public static Task<IngestBatch> NewBatchAsync(this IngestSession session, string datasetId, IngestFormat format = IngestFormat.Json, bool multiLine = false) =>
        session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = datasetId, Format = format, MultiLineJson = multiLine }, CancellationToken.None);

    public static Task<IngestFileResult> UploadAsync(this IngestSession session, IngestBatch batch, string path, string? remoteName = null) =>
        session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, path, remoteName, null, CancellationToken.None);

    public static async Task<IngestStatus> CompleteAndWaitAsync(this IngestSession session, IngestBatch batch)
    {
        await session.Batches.CompleteBatchAsync(batch.Id, CancellationToken.None);
        return await session.Catalog.WaitForBatchAsync(batch.Id, TestEmulator.FastWait, null, CancellationToken.None);
    }

    /// <summary>Creates a batch, uploads one file, completes and waits for a terminal state.</summary>
    public static async Task<(IngestBatch Batch, IngestStatus Status)> IngestAsync(this IngestSession session, string datasetId, string path, IngestFormat format = IngestFormat.Json, bool multiLine = false)
    {
        var batch = await session.NewBatchAsync(datasetId, format, multiLine);
        await session.UploadAsync(batch, path);
        return (batch, await session.CompleteAndWaitAsync(batch));
    }
}
