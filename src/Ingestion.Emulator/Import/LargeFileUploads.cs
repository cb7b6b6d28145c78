using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Ingestion.Emulator.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Import;

/// <summary>
/// The large file upload: <c>POST …/files/{path}?action=INITIALIZE</c>, <c>PATCH</c> chunks with
/// <c>Content-Range</c>, <c>HEAD</c> for what was received, <c>POST ?action=COMPLETE</c>.
/// <para>
/// Each chunk is written at its offset straight into one data file per upload (positional writes, so parallel
/// PATCHes share no stream position); the accepted range is then recorded in batch.json under the batch's gate,
/// so a restart keeps it. As the API documents, ranges are only validated at file COMPLETE.
/// </para>
/// <para>
/// Headers: <c>Range: bytes 0-{N}</c> is the contiguous prefix received from byte 0 (inclusive end; absent when byte 0
/// has not arrived yet) — where a resuming client continues. <c>x-emulator-received-ranges</c> lists every received
/// byte as merged inclusive ranges in ascending order, <c>0-99,200-299</c>, or <c>none</c>.
/// </para>
/// </summary>
internal sealed class LargeFileUploads(EmulatorContext emulator, ILogger logger)
{
    /// <summary>"File sizes of between 0-512000000 bytes are accepted" per PATCH.</summary>
    public const long MaxChunkBytes = 512_000_000;

    public const string ReceivedRangesHeader = "x-emulator-received-ranges";

    public async Task InitializeAsync(HttpContext context, string batchId, string datasetId, RemoteFilePath path)
    {
        using (await emulator.Batches.LockAsync(batchId, context.RequestAborted))
        {
            var batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
            FileUploadMiddleware.CheckAcceptsFiles(batch, datasetId, path);

            // INITIALIZE again on a file in progress is a no-op 200 that keeps the received ranges: a client that lost
            // the first answer can retry safely, and restarting from zero would silently throw chunks away.
            if (Find(batch, path.Name) is not null)
            {
                await HttpJson.WriteEmptyAsync(context, StatusCodes.Status200OK);
                return;
            }

            var upload = new LargeFileUpload(path.Name, Guid.NewGuid().ToString("N") + ".data", emulator.NowMs, null, []);
            Directory.CreateDirectory(emulator.Layout.BatchLargeUploadDirectory(batchId));

            // Empty to start with; chunks written at their offsets leave holes (a sparse file where the file system allows).
            await using (new FileStream(emulator.Layout.LargeUploadFile(batchId, upload.DataFile), FileMode.Create, FileAccess.Write))
            {
            }

            await emulator.Batches.SaveAsync(
                batch with { LargeFiles = [.. batch.LargeFiles ?? [], upload], Updated = emulator.NowMs },
                CancellationToken.None);
            logger.LogInformation("Batch {BatchId}: large file '{File}' initialized.", batchId, path.Name);
        }

        await HttpJson.WriteEmptyAsync(context, StatusCodes.Status201Created);
    }

    public async Task PatchAsync(HttpContext context, string batchId, string datasetId, RemoteFilePath path)
    {
        FileUploadMiddleware.RequireOctetStream(context.Request.ContentType);
        var (range, total) = ParseContentRange(context.Request.Headers.ContentRange.ToString());

        // All refused before the body is read: with "Expect: 100-continue" the client never sends it.
        if (range.Length > MaxChunkBytes || context.Request.ContentLength > MaxChunkBytes)
        {
            context.Response.Headers.Connection = "close";
            throw Problems.ChunkTooLarge(Math.Max(range.Length, context.Request.ContentLength ?? 0), MaxChunkBytes);
        }

        if (context.Request.ContentLength is { } declared && declared != range.Length)
        {
            context.Response.Headers.Connection = "close";
            throw Problems.InvalidChunk(
                $"The body is {declared} bytes long but Content-Range 'bytes {range.Start}-{range.End}' covers {range.Length} bytes.");
        }

        var batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
        var upload = RequireInProgress(batch, datasetId, path, requireLoading: true);
        CheckTotal(upload, total, path);

        var dataFile = emulator.Layout.LargeUploadFile(batchId, upload.DataFile);
        await WriteChunkAsync(context, dataFile, range);

        // Record the range; the batch may have moved on (COMPLETE, ABORT) while the bytes were coming in.
        LargeFileUpload recorded;
        using (await emulator.Batches.LockAsync(batchId, CancellationToken.None))
        {
            batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
            var current = RequireInProgress(batch, datasetId, path, requireLoading: true);
            if (current.DataFile != upload.DataFile)
            {
                throw Problems.FileNotInitialized($"The large file '{path.Name}' was completed or restarted while this chunk was being received; send it again.");
            }

            CheckTotal(current, total, path);
            // The same range sent again (a client retrying a chunk whose answer it lost) is the same chunk, not an overlap.
            var ranges = current.Ranges.Contains(range) ? current.Ranges : [.. current.Ranges, range];
            recorded = current with { DeclaredSize = current.DeclaredSize ?? total, Ranges = ranges };
            await emulator.Batches.SaveAsync(
                batch with { LargeFiles = batch.LargeFiles!.Select(f => f.Name == path.Name ? recorded : f).ToList(), Updated = emulator.NowMs },
                CancellationToken.None);
        }

        logger.LogDebug("Batch {BatchId}: '{File}' bytes {Start}-{End} received.", batchId, path.Name, range.Start, range.End);
        SetRangeHeaders(context, Merge(recorded.Ranges));
        await HttpJson.WriteEmptyAsync(context, StatusCodes.Status200OK);
    }

    public async Task HeadAsync(HttpContext context, string batchId, string datasetId, RemoteFilePath path)
    {
        var batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
        if (batch.DatasetId != datasetId)
        {
            throw Problems.DatasetMismatch(batch.Id, batch.DatasetId, datasetId);
        }

        if (Find(batch, path.Name) is { } upload)
        {
            SetRangeHeaders(context, Merge(upload.Ranges));
        }
        else if (batch.Files.FirstOrDefault(f => f.Name == path.Name) is { } file)
        {
            // A finished file (large or PUT): all of it was received.
            SetRangeHeaders(context, file.SizeInBytes == 0 ? [] : [new ByteRange(0, file.SizeInBytes - 1)]);
        }
        else
        {
            throw Problems.UploadNotFound(batchId, path.Name);
        }

        await HttpJson.WriteEmptyAsync(context, StatusCodes.Status200OK);
    }

    public async Task CompleteAsync(HttpContext context, string batchId, string datasetId, RemoteFilePath path)
    {
        long size;
        using (await emulator.Batches.LockAsync(batchId, context.RequestAborted))
        {
            var batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
            var upload = RequireInProgress(batch, datasetId, path, requireLoading: true);
            FileUploadMiddleware.CheckAcceptsFiles(batch, datasetId, path);
            size = Validate(upload);

            var dataFile = emulator.Layout.LargeUploadFile(batchId, upload.DataFile);
            await using (var stream = new FileStream(dataFile, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                // A chunk cut short after its bytes were written is not recorded, but may have extended the file.
                stream.SetLength(size);
                stream.Flush(flushToDisk: true);
            }

            var diskPath = UploadPlacement.DiskPathFor(batch, path);
            var destination = emulator.Layout.UploadedFile(batchId, diskPath);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(dataFile, destination, overwrite: true);

            var file = new BatchFile(path.Name, diskPath, size, emulator.NowMs);
            var files = batch.Files.Any(f => f.Name == path.Name)
                ? batch.Files.Select(f => f.Name == path.Name ? file : f).ToList()
                : batch.Files.Append(file).ToList();
            var remaining = batch.LargeFiles!.Where(f => f.Name != path.Name).ToList();
            await emulator.Batches.SaveAsync(
                batch with { Files = files, LargeFiles = remaining.Count == 0 ? null : remaining, Updated = emulator.NowMs },
                CancellationToken.None);
        }

        logger.LogInformation("Batch {BatchId}: large file '{File}' completed ({Size} bytes).", batchId, path.Name, size);
        await HttpJson.WriteAsync(context, StatusCodes.Status201Created, new JsonObject { ["name"] = path.Name, ["sizeInBytes"] = size });
    }

    /// <summary>
    /// The file's size, once its ranges cover <c>0..size-1</c> exactly once. No chunks at all is a 0-byte file
    /// (a PATCH cannot carry zero bytes), accepted unless a total was declared — as a PUT of an empty body is.
    /// </summary>
    private static long Validate(LargeFileUpload upload)
    {
        long next = 0;
        ByteRange? previous = null;
        foreach (var range in upload.Ranges.OrderBy(r => r.Start).ThenBy(r => r.End))
        {
            if (range.Start > next)
            {
                throw Problems.InvalidChunks($"The large file '{upload.Name}' is missing bytes {next}-{range.Start - 1}; send that range, then COMPLETE again.");
            }

            if (range.Start < next)
            {
                throw Problems.InvalidChunks(
                    $"The large file '{upload.Name}' has overlapping chunks: bytes {range.Start}-{range.End} overlap bytes {previous!.Start}-{previous.End} "
                    + $"(bytes {range.Start}-{Math.Min(range.End, next - 1)} were sent twice).");
            }

            next = range.End + 1;
            previous = range;
        }

        if (upload.DeclaredSize is { } total && next != total)
        {
            throw Problems.InvalidChunks(next < total
                ? $"The large file '{upload.Name}' is missing bytes {next}-{total - 1} of the {total} declared in Content-Range."
                : $"The large file '{upload.Name}' has {next} bytes but Content-Range declared {total}.");
        }

        return next;
    }

    /// <summary>Streams the body into place at <paramref name="range"/>'s offset, in constant memory.</summary>
    private static async Task WriteChunkAsync(HttpContext context, string dataFile, ByteRange range)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            using var handle = File.OpenHandle(dataFile, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            long written = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (written + read > range.Length)
                {
                    context.Response.Headers.Connection = "close";
                    throw Problems.InvalidChunk($"The body is longer than the {range.Length} bytes Content-Range 'bytes {range.Start}-{range.End}' covers.");
                }

                await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), range.Start + written, context.RequestAborted);
                written += read;
            }

            if (written != range.Length)
            {
                throw Problems.InvalidChunk($"The body is {written} bytes long but Content-Range 'bytes {range.Start}-{range.End}' covers {range.Length} bytes.");
            }
        }
        catch (FileNotFoundException)
        {
            throw Problems.FileNotInitialized("The large file was completed or removed while this chunk was being received.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><c>bytes {start}-{end}/{total}</c>, <c>bytes {start}-{end}/*</c> or Adobe's <c>bytes {start}-{end}</c>; ends are inclusive.</summary>
    internal static (ByteRange Range, long? Total) ParseContentRange(string header)
    {
        static ServiceException Bad(string header) => Problems.InvalidContentRange(header.Length == 0
            ? "The Content-Range header is required on a PATCH chunk: 'bytes {start}-{end}' or 'bytes {start}-{end}/{total}' (inclusive end)."
            : $"The Content-Range header '{header}' is not 'bytes {{start}}-{{end}}' or 'bytes {{start}}-{{end}}/{{total}}' with 0 <= start <= end (inclusive end, end < total).");

        var text = header.Trim();
        if (!text.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            throw Bad(header);
        }

        text = text["bytes ".Length..].Trim();
        long? total = null;
        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            var totalText = text[(slash + 1)..].Trim();
            if (totalText != "*")
            {
                total = ParseNumber(totalText) ?? throw Bad(header);
            }

            text = text[..slash].Trim();
        }

        var dash = text.IndexOf('-');
        if (dash <= 0 || ParseNumber(text[..dash]) is not { } start || ParseNumber(text[(dash + 1)..]) is not { } end || end < start || end >= total)
        {
            throw Bad(header);
        }

        return (new ByteRange(start, end), total);
    }

    private static long? ParseNumber(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    internal static IReadOnlyList<ByteRange> Merge(IEnumerable<ByteRange> ranges)
    {
        var merged = new List<ByteRange>();
        foreach (var range in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End + 1)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, range.End) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static void SetRangeHeaders(HttpContext context, IReadOnlyList<ByteRange> merged)
    {
        if (merged.Count > 0 && merged[0].Start == 0)
        {
            context.Response.Headers["Range"] = $"bytes 0-{merged[0].End}";
        }

        context.Response.Headers[ReceivedRangesHeader] = merged.Count == 0 ? "none" : string.Join(',', merged.Select(r => $"{r.Start}-{r.End}"));
    }

    private static LargeFileUpload? Find(BatchState batch, string name) => batch.LargeFiles?.FirstOrDefault(f => f.Name == name);

    /// <summary>
    /// The upload in progress. A file never initialized is 404 (there is no such upload resource, and the API lists 404);
    /// one already completed (or uploaded with PUT) is 400 "already completed".
    /// </summary>
    private static LargeFileUpload RequireInProgress(BatchState batch, string datasetId, RemoteFilePath path, bool requireLoading)
    {
        if (batch.DatasetId != datasetId)
        {
            throw Problems.DatasetMismatch(batch.Id, batch.DatasetId, datasetId);
        }

        if (requireLoading && batch.Status != BatchStatus.Loading)
        {
            throw Problems.BatchState($"Batch '{batch.Id}' is in state {batch.Status}; files can only be uploaded while it is loading.");
        }

        if (Find(batch, path.Name) is { } upload)
        {
            return upload;
        }

        if (batch.Files.Any(f => f.Name == path.Name))
        {
            throw Problems.FileAlreadyCompleted(
                $"The file '{path.Name}' of batch '{batch.Id}' is already completed; INITIALIZE it again to replace it with a new large upload.");
        }

        throw Problems.UploadNotFound(batch.Id, path.Name);
    }

    private static void CheckTotal(LargeFileUpload upload, long? total, RemoteFilePath path)
    {
        if (total is { } t && upload.DeclaredSize is { } known && t != known)
        {
            throw Problems.InvalidContentRange($"Content-Range declares a total of {t} bytes, but earlier chunks of '{path.Name}' declared {known}.");
        }
    }
}
