using Ingestion.Emulator.Catalog;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Import;

/// <summary><c>POST /import/batches</c> and the batch signals <c>POST /import/batches/{id}?action=…</c>.</summary>
internal sealed class BatchEndpoints(EmulatorContext emulator, ILogger<BatchEndpoints> logger)
{
    public async Task CreateAsync(HttpContext context)
    {
        var body = await HttpJson.ReadObjectAsync(context, Problems.InvalidBatchRequest);
        var request = NewBatch.Parse(body, emulator.Datasets, emulator.Batches);
        var now = emulator.Time.GetUtcNow();
        var id = Ids.NewBatchId(now);
        var batch = new BatchState
        {
            Id = id,
            DatasetId = request.DatasetId,
            ImsOrg = emulator.Credentials.OrganizationId,
            Status = BatchStatus.Loading,
            Created = now.ToUnixTimeMilliseconds(),
            Updated = now.ToUnixTimeMilliseconds(),
            InputFormat = request.InputFormat,
            Replay = request.Replay,
            Tags = request.Tags,
            ExternalId = request.ExternalId ?? id,
            EnableErrorDiagnostics = request.EnableErrorDiagnostics,
            CreatedClient = emulator.Credentials.ClientId,
            CreatedUser = emulator.TechnicalAccount,
        };

        await emulator.Batches.SaveAsync(batch, context.RequestAborted);
        logger.LogInformation("Batch {BatchId} created for dataset {DatasetId} ({Format}).", id, batch.DatasetId, batch.InputFormat.Format);
        await HttpJson.WriteAsync(context, StatusCodes.Status201Created, BatchJson.ForImport(batch));
    }

    public async Task SignalAsync(HttpContext context)
    {
        var batchId = (string)context.Request.RouteValues["batchId"]!;
        var action = context.Request.Query["action"].ToString();
        if (action.Length == 0)
        {
            throw Problems.InvalidAction("The 'action' query parameter is required: COMPLETE, ABORT, FAIL or REVERT.");
        }

        using (await emulator.Batches.LockAsync(batchId, context.RequestAborted))
        {
            var batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
            var next = action.ToUpperInvariant() switch
            {
                "COMPLETE" => Complete(batch),
                "ABORT" => Abort(batch),
                "FAIL" => Fail(batch),
                "REVERT" => Revert(batch),
                _ => throw Problems.InvalidAction($"Action '{action}' is not one of COMPLETE, ABORT, FAIL, REVERT."),
            };

            if (next is not null)
            {
                await emulator.Batches.SaveAsync(next, CancellationToken.None);
                logger.LogInformation("Batch {BatchId}: {From} -> {To} ({Action}).", batchId, batch.Status, next.Status, action.ToUpperInvariant());
                if (next.Status == BatchStatus.Staging)
                {
                    emulator.Processor.Schedule(next);
                }
            }
        }

        // The docs answer signals with "200 OK, with empty response".
        await HttpJson.WriteEmptyAsync(context, StatusCodes.Status200OK);
    }

    /// <summary>
    /// COMPLETE is documented as safe to retry, so repeating it on a batch that got it is a no-op success, even when
    /// processing has failed it since (the client may have lost the first answer). Started marks a batch that got it.
    /// </summary>
    private BatchState? Complete(BatchState batch) => batch.Status switch
    {
        BatchStatus.Loading when batch.LargeFiles is [var unfinished, ..] => throw Problems.LargeFileInProgress(batch.Id, unfinished.Name),
        BatchStatus.Loading => batch with { Status = BatchStatus.Staging, Started = emulator.NowMs, Updated = emulator.NowMs },
        BatchStatus.Staging or BatchStatus.Active => null,
        BatchStatus.Failed when batch.Started is not null => null,
        _ => throw Problems.BatchState($"Batch '{batch.Id}' is in state {batch.Status} and cannot be completed."),
    };

    /// <summary>"Once a batch is finalized (such as either a success or failed state), the batch cannot be cancelled."</summary>
    private BatchState Abort(BatchState batch) => batch.Status switch
    {
        BatchStatus.Loading or BatchStatus.Staging => batch with { Status = BatchStatus.Aborted, Completed = emulator.NowMs, Updated = emulator.NowMs },
        _ => throw Problems.BatchState($"Batch '{batch.Id}' is in state {batch.Status} and cannot be aborted."),
    };

    /// <summary>FAIL is in the spec's enum without a description; the emulator lets a client give up on its own batch.</summary>
    private BatchState Fail(BatchState batch) => batch.Status switch
    {
        BatchStatus.Loading or BatchStatus.Staging => batch with
        {
            Status = BatchStatus.Failed,
            Completed = emulator.NowMs,
            Updated = emulator.NowMs,
            Errors = [new BatchErrorEntry(BatchErrorCodes.FailedByClient, "The client marked the batch as failed (action=FAIL).", [])],
        },
        _ => throw Problems.BatchState($"Batch '{batch.Id}' is in state {batch.Status} and cannot be marked as failed."),
    };

    /// <summary>REVERT deletes a finished batch's data: Catalog then shows it as inactive.</summary>
    private BatchState Revert(BatchState batch) => batch.Status switch
    {
        BatchStatus.Active or BatchStatus.Failed => batch with { Status = BatchStatus.Inactive, Updated = emulator.NowMs },
        _ => throw Problems.BatchState(
            $"Batch '{batch.Id}' is in state {batch.Status} and cannot be reverted; only active or failed batches can (abort a batch that is still loading or staging)."),
    };
}
