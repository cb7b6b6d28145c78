using System.Diagnostics;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Uploads;
using Polly;

namespace Ingestion.Core.Aep;

/// <summary>AEP Batch Ingestion API (<c>/data/foundation/import</c>).</summary>
public sealed class BatchIngestionClient
{
    /// <summary>The gateway's limit for a single-request upload (256 MB).</summary>
    public const long MaxSmallFileBytes = 268_435_456;

    private const string Base = "data/foundation/import/";
    private const string CreatePath = Base + "batches";
    private const long JournalEveryBytes = 32 * 1024 * 1024;
    private readonly PlatformConnection connection;
    private readonly CatalogClient catalog;
    private readonly RetrySettings retry;
    private readonly TimeProvider time;

    /// <summary>Where created batches are remembered for completion; none in tests that build a bare client.</summary>
    internal SessionHistory? History { get; init; }

    internal BatchIngestionClient(PlatformConnection connection, CatalogClient catalog, RetrySettings retry, TimeProvider time)
    {
        this.connection = connection;
        this.catalog = catalog;
        this.retry = retry;
        this.time = time;
    }

    public async Task<IngestBatch> CreateBatchAsync(NewBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var datasetId = ServiceId.Check(request.DatasetId, "DatasetId");
        var body = new JsonObject
        {
            ["datasetId"] = datasetId,
            ["inputFormat"] = InputFormat(request),
        };
        if (request.ReplacedBatchIds.Count > 0)
        {
            body["replay"] = new JsonObject
            {
                // The API wants predecessors as "$<batch id>".
                ["predecessors"] = new JsonArray(request.ReplacedBatchIds.Select(id => (JsonNode)("$" + ServiceId.Check(id.TrimStart('$'), "Replace"))).ToArray()),
                ["reason"] = request.ReplayReason,
            };
        }

        if (request.Tags.Count > 0)
        {
            var tags = new JsonObject();
            foreach (var (key, values) in request.Tags)
            {
                tags[key] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
            }

            body["tags"] = tags;
        }

        if (request.ErrorDiagnostics)
        {
            body["enableErrorDiagnostics"] = true;
        }

        var externalId = request.ExternalId ?? "ingest-" + Guid.NewGuid().ToString("N");
        if (string.IsNullOrWhiteSpace(externalId))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, "ExternalId"));
        }

        body["externalId"] = externalId;
        var batch = await CreateReconcilingAsync(request, datasetId, externalId, body, cancellationToken).ConfigureAwait(false);
        History?.Record(batch);
        return batch;
    }

    /// <summary>
    /// <c>POST /batches</c> is not idempotent, so the handler chain never repeats it. Here a create that failed in a
    /// way that may have reached the service (no answer, a timeout, a 5xx, 408 or 429) is reconciled: the Catalog is
    /// asked for a batch with our externalId; if there is one, that is the batch; if not, the create is sent again,
    /// at most <see cref="RetrySettings.MaxRetries"/> times with the engine's usual backoff, looking up before each
    /// new attempt and once more after the last. A definite refusal (any other 4xx) is final at once.
    /// </summary>
    private async Task<IngestBatch> CreateReconcilingAsync(NewBatchRequest request, string datasetId, string externalId, JsonObject body, CancellationToken cancellationToken)
    {
        var maxAttempts = retry.MaxRetries + 1;
        var attempt = 0;
        IngestionException? lookupFailure = null;
        var builder = new ResiliencePipelineBuilder<IngestBatch> { TimeProvider = time };
        if (retry.MaxRetries > 0)
        {
            var options = ResilienceHandler.Backoff<IngestBatch>(retry);
            options.ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is IngestionException ex && !ReferenceEquals(ex, lookupFailure) && MayHaveReachedService(ex));
            // A 429 or 503 that says when to come back is waited out, as the handler chain does for idempotent calls.
            options.DelayGenerator = args => ValueTask.FromResult(ServiceRetryAfter(args.Outcome.Exception));
            options.OnRetry = args =>
            {
                var reason = RetryReason((IngestionException)args.Outcome.Exception!);
                IngestLog.Verbose(string.Format(Messages.Retrying, HttpMethod.Post, "/" + CreatePath, reason, args.AttemptNumber + 2, maxAttempts, args.RetryDelay.TotalSeconds));
                return ValueTask.CompletedTask;
            };
            builder.AddRetry(options);
        }

        async ValueTask<IngestBatch?> LookUpAsync(IngestionException createFailure, CancellationToken ct)
        {
            IngestStatus? found;
            try
            {
                found = await catalog.FindBatchByExternalIdAsync(externalId, datasetId, ct).ConfigureAwait(false);
            }
            catch (IngestionException ex)
            {
                var reason = createFailure.InnerException?.Message ?? createFailure.Message;
                lookupFailure = new IngestionException(createFailure.Kind, string.Format(Messages.BatchCreateLookupFailed, datasetId, reason, externalId, ex.Message), ex)
                {
                    Target = externalId,
                    StatusCode = createFailure.StatusCode,
                    RequestId = createFailure.RequestId,
                };
                throw lookupFailure;
            }

            if (found is null)
            {
                return null;
            }

            IngestLog.Verbose(string.Format(Messages.BatchReconciled, datasetId, found.Id, externalId));
            return new IngestBatch
            {
                Id = found.Id,
                DatasetId = datasetId,
                Format = request.Format,
                MultiLineJson = request.MultiLineJson,
                Status = found.Status,
                Created = found.Created,
                ExternalId = externalId,
            };
        }

        IngestionException? previous = null;
        try
        {
            return await builder.Build().ExecuteAsync(
                async ct =>
                {
                    attempt++;
                    if (previous is not null && await LookUpAsync(previous, ct).ConfigureAwait(false) is { } reconciled)
                    {
                        return reconciled;
                    }

                    try
                    {
                        return await SendCreateAsync(request, datasetId, externalId, body, attempt, maxAttempts, ct).ConfigureAwait(false);
                    }
                    catch (IngestionException ex)
                    {
                        previous = ex;
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (!ReferenceEquals(ex, lookupFailure) && MayHaveReachedService(ex))
        {
            // The last attempt may have reached the service as well.
            if (await LookUpAsync(ex, cancellationToken).ConfigureAwait(false) is { } reconciled)
            {
                return reconciled;
            }

            throw ex.Restate(string.Format(Messages.BatchCreateGaveUp, ex.Message, externalId), target: datasetId);
        }
    }

    /// <summary>What a retry line says failed: the status, or the transport's own words.</summary>
    private static string RetryReason(IngestionException ex) =>
        ex.StatusCode is { } status ? $"{(int)status} {status}" : ex.InnerException?.InnerException?.Message ?? ex.InnerException?.Message ?? ex.Message;

    /// <summary>The wait the service's <c>Retry-After</c> asked for on a failed attempt; null lets the backoff decide.</summary>
    private TimeSpan? ServiceRetryAfter(Exception? failure) =>
        failure is IngestionException ex ? ResilienceHandler.RetryAfter(ex.RetryAfter, time) : null;

    /// <summary>No answer at all, or an answer that does not say the create was refused.</summary>
    internal static bool MayHaveReachedService(IngestionException ex) => ex.StatusCode is { } status
        ? (int)status >= 500 || (int)status is 408 or 429
        : ex.Kind is IngestErrorKind.Unavailable or IngestErrorKind.Timeout;

    private async Task<IngestBatch> SendCreateAsync(NewBatchRequest request, string datasetId, string externalId, JsonObject body, int attempt, int maxAttempts, CancellationToken cancellationToken)
    {
        var operation = string.Format(Messages.OpCreateBatch, datasetId);
        // Not marked idempotent: the handler chain sends it once; CreateReconcilingAsync decides about another.
        using var message = connection.Request(HttpMethod.Post, CreatePath, PlatformConnection.Json(body));
        message.Options.Set(IngestRequestAttempts.Key, attempt);
        message.Options.Set(IngestRequestAttempts.MaxKey, maxAttempts);
        var response = await connection.SendAsync(message, operation, datasetId, cancellationToken).ConfigureAwait(false);
        var json = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        var id = AepJson.String(json, "id") ?? throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBody, operation, 201));
        return new IngestBatch
        {
            Id = id,
            DatasetId = datasetId,
            Format = request.Format,
            MultiLineJson = request.MultiLineJson,
            Status = BatchStatusExtensions.ParseCatalogValue(AepJson.String(json, "status") ?? "loading"),
            Created = AepJson.EpochMillis(json, "created"),
            ExternalId = AepJson.String(json, "externalId") ?? externalId,
        };
    }

    public Task<IngestFileResult> UploadFileAsync(string batchId, string datasetId, string localPath, string? remoteName, IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
        UploadFileAsync(batchId, datasetId, localPath, remoteName, null, progress, cancellationToken);

    /// <summary>
    /// Uploads a file: in one PUT up to <see cref="UploadOptions.ChunkThreshold"/> bytes, above it through the chunked
    /// large-file upload (INITIALIZE, parallel PATCH chunks, COMPLETE).
    /// </summary>
    public async Task<IngestFileResult> UploadFileAsync(string batchId, string datasetId, string localPath, string? remoteName, UploadOptions? options, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ServiceId.Check(batchId, "BatchId");
        ServiceId.Check(datasetId, "DatasetId");
        options ??= UploadOptions.Default;
        options.Validate();
        var file = new FileInfo(localPath);
        if (!file.Exists)
        {
            throw new IngestionException(IngestErrorKind.NotFound, string.Format(Messages.FileNotFound, localPath)) { Target = localPath };
        }

        var name = remoteName ?? file.Name;
        var path = $"{Base}batches/{batchId}/datasets/{datasetId}/files/{RemotePath.Escape(name)}";
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (file.Length > options.ChunkThreshold)
            {
                await UploadInChunksAsync(batchId, datasetId, name, path, file.FullName, localPath, file.Length, options, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (options.Throttle is { } shared)
                {
                    await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    using var message = connection.Request(HttpMethod.Put, path, new FileUploadContent(file.FullName, file.Length, progress));
                    // Lets the service refuse (413, 404) before the body is sent.
                    message.Headers.ExpectContinue = true;
                    // A PUT to the same path replaces the file: safe to send again.
                    message.MarkIdempotent();
                    using var response = await connection.SendAsync(message, string.Format(Messages.OpUploadFile, localPath, batchId), localPath, cancellationToken, accepted: [200, 201]).ConfigureAwait(false);
                }
                finally
                {
                    options.Throttle?.Release();
                }
            }
        }
        catch (IngestionException ex) when (ex.StatusCode == System.Net.HttpStatusCode.BadRequest && ex.Kind != IngestErrorKind.InvalidState && !cancellationToken.IsCancellationRequested)
        {
            // A 400 to an upload may be about the file or about the batch; only the Catalog can say the batch is
            // closed, and then no further file can go in: an InvalidState, like COMPLETE or ABORT in the wrong state.
            if (await NotLoadingAsync(batchId, cancellationToken).ConfigureAwait(false) is not { } status)
            {
                throw;
            }

            throw new IngestionException(IngestErrorKind.InvalidState, ex.Message + " " + string.Format(Messages.BatchNotLoadingForUpload, batchId, status.ToCatalogValue()), ex)
            {
                StatusCode = ex.StatusCode,
                ServiceErrorCode = ex.ServiceErrorCode,
                ServiceMessage = ex.ServiceMessage,
                RequestId = ex.RequestId,
                Target = ex.Target,
            };
        }

        return new IngestFileResult
        {
            Path = file.FullName,
            RemoteName = name,
            Bytes = file.Length,
            Duration = Stopwatch.GetElapsedTime(started),
            BatchId = batchId,
            DatasetId = datasetId,
        };
    }

    /// <summary>
    /// INITIALIZE, then the chunks at most <see cref="UploadOptions.ThrottleLimit"/> at a time, then COMPLETE. The first
    /// chunk that fails (after its own retries) cancels the others and is what the caller sees.
    /// <para>
    /// A journal (<see cref="UploadJournal"/>) records the confirmed chunks, so an interrupted upload of the same file to
    /// the same target resumes: the service is asked (HEAD) what it holds, and only chunks not both confirmed in the
    /// journal and held by the service are sent. A file changed since (size or last write time) is sent again whole.
    /// </para>
    /// </summary>
    private async Task UploadInChunksAsync(string batchId, string datasetId, string remoteName, string path, string fullPath, string localPath, long length, UploadOptions options, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var folder = options.JournalFolder ?? UploadJournal.DefaultFolder;
        using var exclusive = UploadJournal.TryLock(folder, batchId, datasetId, remoteName)
            ?? throw new IngestionException(IngestErrorKind.InvalidState, string.Format(Messages.UploadInProgressElsewhere, localPath, remoteName, batchId)) { Target = localPath };
        var lastWrite = File.GetLastWriteTimeUtc(fullPath);
        var previous = UploadJournal.Read(folder, batchId, datasetId, remoteName);
        if (previous is not null && (previous.Size != length || previous.LastWriteTimeUtc != lastWrite || previous.Path != fullPath))
        {
            options.Warnings?.Report(string.Format(Messages.ResumeFileChanged, localPath, batchId));
            previous = null;
        }

        // A resumed upload keeps the chunking its journal records, whatever -ChunkSize this run asked for: the chunks
        // the service holds are only reusable at the offsets they were sent at.
        var chunkSize = options.ChunkSize;
        if (previous is not null && previous.ChunkSize != chunkSize)
        {
            if (previous.ChunkSize is < UploadOptions.MinChunkSize or > UploadOptions.MaxChunkSize)
            {
                previous = null;
            }
            else
            {
                IngestLog.Verbose(string.Format(Messages.ResumeKeepsChunkSize, localPath, previous.ChunkSize, chunkSize));
                chunkSize = previous.ChunkSize;
            }
        }

        var chunkCount = (int)((length + chunkSize - 1) / chunkSize);

        var confirmedChunks = new SortedDictionary<int, string>();
        var held = previous is null ? null : await HeldRangesAsync(path, localPath, batchId, cancellationToken).ConfigureAwait(false);
        if (held is not null)
        {
            foreach (var (index, hash) in previous!.Chunks)
            {
                var (start, count) = ChunkRange(index, chunkSize, length);
                if (index < chunkCount && held.Covers(start, start + count - 1)
                    && hash == await HashChunkAsync(fullPath, start, count, cancellationToken).ConfigureAwait(false))
                {
                    confirmedChunks[index] = hash;
                }
            }

            IngestLog.Verbose(string.Format(Messages.ResumingUpload, localPath, batchId, confirmedChunks.Count, chunkCount));
        }
        else
        {
            using var initialize = connection.Request(HttpMethod.Post, path + "?action=INITIALIZE");
            // INITIALIZE again on a file in progress keeps what was received: safe to send again.
            initialize.MarkIdempotent();
            using var response = await connection.SendAsync(initialize, string.Format(Messages.OpInitializeLargeFile, localPath, batchId), localPath, cancellationToken).ConfigureAwait(false);
        }

        var gate = new object();
        var journalWritten = 0L;
        var unjournaled = 0L;
        void SaveJournal(bool force)
        {
            lock (gate)
            {
                // A process killed outright (SIGKILL, power loss) resends what the journal does not list. Every chunk
                // of 32 MB or more is written down as it is confirmed; smaller ones at least once a second, so tiny
                // chunks do not turn into a file write each. Always on the way out.
                if (!force && unjournaled < JournalEveryBytes && Stopwatch.GetElapsedTime(journalWritten) < TimeSpan.FromSeconds(1))
                {
                    return;
                }

                UploadJournal.Write(folder, new JournalState
                {
                    BatchId = batchId,
                    DatasetId = datasetId,
                    RemoteName = remoteName,
                    Path = fullPath,
                    Size = length,
                    LastWriteTimeUtc = lastWrite,
                    ChunkSize = chunkSize,
                    Chunks = new SortedDictionary<int, string>(confirmedChunks),
                    Updated = DateTimeOffset.UtcNow,
                });
                journalWritten = Stopwatch.GetTimestamp();
                unjournaled = 0;
            }
        }

        SaveJournal(force: true);
        var confirmed = confirmedChunks.Keys.Sum(i => ChunkRange(i, chunkSize, length).Count);
        var skipped = new HashSet<int>(confirmedChunks.Keys);
        var skippedAll = skipped.Count == chunkCount;
        progress?.Report(new TransferProgress(fullPath, confirmed, length));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var own = options.Throttle is null ? new UploadThrottle(options.ThrottleLimit) : null;
        var throttle = options.Throttle ?? own!;
        var running = new List<Task>();
        Exception? failure = null;
        try
        {
            for (var index = 0; index < chunkCount; index++)
            {
                if (skipped.Contains(index))
                {
                    continue;
                }

                try
                {
                    await throttle.WaitAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var chunk = index;
                var (start, count) = ChunkRange(index, chunkSize, length);
                running.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            var hash = await SendChunkAsync(batchId, path, fullPath, localPath, start, count, length, linked.Token).ConfigureAwait(false);

                            // Under a lock so the reports only ever grow.
                            lock (gate)
                            {
                                confirmedChunks[chunk] = hash;
                                confirmed += count;
                                unjournaled += count;
                                progress?.Report(new TransferProgress(fullPath, confirmed, length));
                            }

                            SaveJournal(force: false);
                        }
                        catch (OperationCanceledException) when (linked.IsCancellationRequested)
                        {
                            // Cancelled by the caller or by a sibling's failure: not a failure of its own.
                        }
                        catch (Exception ex)
                        {
                            Interlocked.CompareExchange(ref failure, ex, null);
                            linked.Cancel();
                        }
                        finally
                        {
                            throttle.Release();
                        }
                    },
                    CancellationToken.None));
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
        finally
        {
            // What was confirmed survives an interruption: the next run of the same upload resumes from it.
            SaveJournal(force: true);
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();

        await CompleteLargeFileAsync(path, localPath, batchId, length, earlierRunHeldAll: skippedAll && held is not null, cancellationToken).ConfigureAwait(false);
        UploadJournal.Delete(folder, batchId, datasetId, remoteName);
    }

    /// <summary>
    /// COMPLETE of a large file is not idempotent (a second one finds the file completed and is refused with 400), so
    /// the handler chain sends it once. Here a failure that may be passing (no answer, a timeout, a 5xx, 408 or 429) is
    /// sent again with the engine's backoff, at most <see cref="RetrySettings.MaxRetries"/> times; a 400 to a repeat
    /// after such a failure may be the service saying the earlier attempt completed the file unanswered, which HEAD
    /// confirms when the service holds every byte. Any other refusal is final.
    /// </summary>
    private async Task CompleteLargeFileAsync(string path, string localPath, string batchId, long length, bool earlierRunHeldAll, CancellationToken cancellationToken)
    {
        var operation = string.Format(Messages.OpCompleteLargeFile, localPath, batchId);
        var maxAttempts = retry.MaxRetries + 1;
        var attempt = 0;
        var mayHaveCompleted = earlierRunHeldAll;
        var builder = new ResiliencePipelineBuilder<bool> { TimeProvider = time };
        if (retry.MaxRetries > 0)
        {
            var options = ResilienceHandler.Backoff<bool>(retry);
            options.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is IngestionException ex && MayHaveReachedService(ex));
            options.DelayGenerator = args => ValueTask.FromResult(ServiceRetryAfter(args.Outcome.Exception));
            options.OnRetry = args =>
            {
                var reason = RetryReason((IngestionException)args.Outcome.Exception!);
                IngestLog.Verbose(string.Format(Messages.Retrying, HttpMethod.Post, "/" + path, reason, args.AttemptNumber + 2, maxAttempts, args.RetryDelay.TotalSeconds));
                return ValueTask.CompletedTask;
            };
            builder.AddRetry(options);
        }

        await builder.Build().ExecuteAsync(
            async ct =>
            {
                attempt++;
                using var complete = connection.Request(HttpMethod.Post, path + "?action=COMPLETE");
                complete.Options.Set(IngestRequestAttempts.Key, attempt);
                complete.Options.Set(IngestRequestAttempts.MaxKey, maxAttempts);
                try
                {
                    using var completed = await connection.SendAsync(complete, operation, localPath, ct).ConfigureAwait(false);
                    return true;
                }
                catch (IngestionException ex) when (ex.StatusCode == System.Net.HttpStatusCode.BadRequest && mayHaveCompleted)
                {
                    // An earlier run (the journal's HEAD showed every byte) or an earlier attempt left unanswered may
                    // have completed it; a file the service holds whole is that.
                    if (!earlierRunHeldAll && !(await HeldRangesAsync(path, localPath, batchId, ct).ConfigureAwait(false) is { } held && (length == 0 || held.Covers(0, length - 1))))
                    {
                        throw;
                    }

                    IngestLog.Verbose(string.Format(Messages.LargeFileCompletedEarlier, localPath, batchId, length));
                    return true;
                }
                catch (IngestionException ex) when (MayHaveReachedService(ex))
                {
                    mayHaveCompleted = true;
                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The batch's status when the Catalog says it is no longer loading; null when it is, or cannot be read.</summary>
    private async Task<BatchStatus?> NotLoadingAsync(string batchId, CancellationToken cancellationToken)
    {
        try
        {
            var status = await catalog.GetBatchStatusAsync(batchId, cancellationToken).ConfigureAwait(false);
            return status.Status == BatchStatus.Loading ? null : status.Status;
        }
        catch (IngestionException)
        {
            return null;
        }
    }

    private static (long Start, long Count) ChunkRange(int index, long chunkSize, long length)
    {
        var start = index * chunkSize;
        return (start, Math.Min(chunkSize, length - start));
    }

    private static async Task<string> HashChunkAsync(string fullPath, long offset, long count, CancellationToken cancellationToken)
    {
        using var handle = FileUploadContent.OpenHandle(fullPath);
        var hash = new XxHash64();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var remaining = count;
            while (remaining > 0)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), offset + (count - remaining), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash.Append(buffer.AsSpan(0, read));
                remaining -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash.ToHex();
    }

    /// <summary>What the service holds of an upload (HEAD); null when it has no such upload in progress or done.</summary>
    private async Task<ReceivedRanges?> HeldRangesAsync(string path, string localPath, string batchId, CancellationToken cancellationToken)
    {
        using var head = connection.Request(HttpMethod.Head, path);
        head.MarkIdempotent();
        try
        {
            using var response = await connection.SendAsync(head, string.Format(Messages.OpCheckLargeFile, localPath, batchId), localPath, cancellationToken).ConfigureAwait(false);
            return ReceivedRanges.Parse(response);
        }
        catch (IngestionException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Sends one chunk; returns the hash of the bytes the service accepted, for the journal.</summary>
    private async Task<string> SendChunkAsync(string batchId, string path, string fullPath, string localPath, long offset, long count, long length, CancellationToken cancellationToken)
    {
        var content = new FileRangeContent(fullPath, offset, count, length);
        using var message = connection.Request(HttpMethod.Patch, path, content);
        // No Expect: 100-continue: INITIALIZE (or the HEAD of a resume) has already shown the batch and file exist,
        // chunk sizes are checked before any request, and the extra round trip per chunk cost a tenth of the rate.
        // The chunk covers a fixed range: sending it again writes the same bytes to the same place.
        message.MarkIdempotent();
        var operation = string.Format(Messages.OpUploadChunk, localPath, offset, offset + count - 1, batchId);
        using var response = await connection.SendAsync(message, operation, localPath, cancellationToken).ConfigureAwait(false);
        // Accepted before the body was read (an empty chunk): hash what the range holds instead.
        return content.Hash ?? await HashChunkAsync(fullPath, offset, count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signals that all files are uploaded. The service documents this as safe to repeat.</summary>
    public Task CompleteBatchAsync(string batchId, CancellationToken cancellationToken) =>
        ActAsync(batchId, "COMPLETE", idempotent: true, cancellationToken);

    public Task AbortBatchAsync(string batchId, CancellationToken cancellationToken) =>
        ActAsync(batchId, "ABORT", idempotent: false, cancellationToken);

    public Task RevertBatchAsync(string batchId, CancellationToken cancellationToken) =>
        ActAsync(batchId, "REVERT", idempotent: false, cancellationToken);

    private static JsonObject InputFormat(NewBatchRequest request)
    {
        var format = new JsonObject { ["format"] = request.Format.ToString().ToLowerInvariant() };
        if (request.Format == IngestFormat.Json)
        {
            format["isMultiLineJson"] = request.MultiLineJson;
        }

        return format;
    }

    private async Task ActAsync(string batchId, string action, bool idempotent, CancellationToken cancellationToken)
    {
        ServiceId.Check(batchId, "BatchId");
        using var message = connection.Request(HttpMethod.Post, $"{Base}batches/{batchId}?action={action}");
        if (idempotent)
        {
            message.MarkIdempotent();
        }

        // The batch id is the only input: a 400 here means the batch is in the wrong state for the action.
        using var response = await connection.SendAsync(message, string.Format(Messages.OpBatchAction, action, batchId), batchId, cancellationToken, IngestErrorKind.InvalidState).ConfigureAwait(false);
    }
}
