using System.Collections.Concurrent;
using Ingestion.Emulator.Schemas;
using Ingestion.Emulator.State;
using Ingestion.Emulator.Storage;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Moves completed batches from staging to active or failed in the background, <see cref="EmulatorOptions.ProcessingDelay"/>
/// after COMPLETE. The due time derives from the persisted <c>started</c> stamp, so after a restart a staging
/// batch simply becomes due again; a stop mid-processing leaves it in staging to be picked up next time.
/// </summary>
internal sealed class BatchProcessor(
    DataLayout layout,
    BatchStore batches,
    DatasetStore datasets,
    SchemaRegistry schemas,
    TimeProvider time,
    TimeSpan delay,
    ILogger<BatchProcessor> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    // Reading is I/O and CPU bound; two at a time keeps a laptop responsive while tests run in parallel.
    private readonly SemaphoreSlim _concurrency = new(2, 2);

    public void ResumeStaging()
    {
        foreach (var batch in batches.All.Where(b => b.Status == BatchStatus.Staging))
        {
            logger.LogInformation("Batch {BatchId} was staging when the emulator stopped; processing it again.", batch.Id);
            Schedule(batch);
        }
    }

    public void Schedule(BatchState batch)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        var due = DateTimeOffset.FromUnixTimeMilliseconds(batch.Started ?? time.GetUtcNow().ToUnixTimeMilliseconds()) + delay;
        var task = Task.Run(() => RunAsync(batch.Id, due, _stopping.Token));
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task RunAsync(string batchId, DateTimeOffset due, CancellationToken ct)
    {
        try
        {
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct);
            }

            await _concurrency.WaitAsync(ct);
            try
            {
                await ProcessAsync(batchId, ct);
            }
            finally
            {
                _concurrency.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the batch stays in staging and is resumed on the next start.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Processing batch {BatchId} failed unexpectedly; it stays in staging until the emulator restarts.", batchId);
        }
    }

    private async Task ProcessAsync(string batchId, CancellationToken ct)
    {
        var batch = batches.Find(batchId);
        if (batch is not { Status: BatchStatus.Staging })
        {
            return;
        }

        // Already on a pool thread (Schedule runs this with Task.Run): read synchronously here.
        var outcome = Read(batch, ct);

        using (await batches.LockAsync(batchId, ct))
        {
            // ABORT may have arrived while the files were read.
            var current = batches.Find(batchId);
            if (current is not { Status: BatchStatus.Staging })
            {
                DeleteDirectory(layout.BatchDiagnosticsWorkDirectory(batchId));
                return;
            }

            // Diagnostics first: should the state write fail, the batch stays staging and is read again.
            PublishDiagnostics(batchId);
            var done = outcome.Apply(current, time.GetUtcNow().ToUnixTimeMilliseconds());
            await batches.SaveAsync(done, CancellationToken.None);
            if (outcome.Succeeded)
            {
                logger.LogInformation("Batch {BatchId}: staging -> active ({Records} records in {Files} files).", batchId, outcome.Records, outcome.Files);
            }
            else
            {
                logger.LogInformation(
                    "Batch {BatchId}: staging -> failed ({Failed} of {Records} records failed; first error: {Error}).",
                    batchId, outcome.FailedRecords, outcome.Records, outcome.Errors[0].Description);
            }
        }
    }

    private ProcessingOutcome Read(BatchState batch, CancellationToken ct)
    {
        var work = layout.BatchDiagnosticsWorkDirectory(batch.Id);
        DeleteDirectory(work);
        var dataset = datasets.Find(batch.DatasetId);
        var schema = dataset is null ? null : schemas.Find(dataset.SchemaRef.Id);
        if (schema is null)
        {
            var problem = dataset is null
                ? $"Dataset '{batch.DatasetId}' no longer exists."
                : $"Schema '{dataset.SchemaRef.Id}' of dataset '{dataset.Id}' no longer exists.";
            return new ProcessingOutcome(0, 0, [new BatchErrorEntry(BatchErrorCodes.SchemaMismatch, problem, [])], batch.Files.Count, batch.Files.Sum(f => f.SizeInBytes));
        }

        if (!batch.EnableErrorDiagnostics)
        {
            return new BatchReader(layout, schema.Root).Read(batch, ct);
        }

        using var diagnostics = new RowErrorWriter(Path.Combine(work, "row_errors"));
        return new BatchReader(layout, schema.Root, diagnostics).Read(batch, ct);
    }

    /// <summary>Replaces the batch's diagnostics with what this run wrote, if it wrote any.</summary>
    private void PublishDiagnostics(string batchId)
    {
        var work = layout.BatchDiagnosticsWorkDirectory(batchId);
        if (!Directory.Exists(work))
        {
            return;
        }

        var final = layout.BatchDiagnosticsDirectory(batchId);
        DeleteDirectory(final);
        Directory.Move(work, final);
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Keys.ToArray());
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }
}
