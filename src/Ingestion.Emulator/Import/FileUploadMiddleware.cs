using System.Buffers;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Gateway;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Ingestion.Emulator.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Ingestion.Emulator.Import;

/// <summary>
/// <c>PUT /import/batches/{batchId}/datasets/{datasetId}/files/{filePath}</c>. Matched on the raw request
/// target rather than through routing, because routing only sees the path after Kestrel has decoded it and
/// removed dot segments, and a file name must arrive exactly as the client sent it.
/// </summary>
internal sealed class FileUploadMiddleware(RequestDelegate next, EmulatorContext emulator, ILogger<FileUploadMiddleware> logger)
{
    /// <summary>The gateway's limit for a single-request upload (256 MB, batch ingestion guide).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Batch ingestion guardrail: at most 1500 files per batch.</summary>
    public const int MaxFilesPerBatch = 1500;

    private const string Prefix = "/data/foundation/import/batches/";

    private readonly LargeFileUploads _large = new(emulator, logger);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!TryMatch(PlatformRequest.RawPath(context), out var batchId, out var datasetId, out var encodedPath))
        {
            await next(context);
            return;
        }

        var method = context.Request.Method;
        if (HttpMethods.IsPut(method))
        {
            await UploadAsync(context, batchId, datasetId, encodedPath);
        }
        else if (HttpMethods.IsPost(method))
        {
            var path = RemoteFilePath.Parse(encodedPath);
            var action = context.Request.Query["action"].ToString();
            switch (action.ToUpperInvariant())
            {
                case "INITIALIZE":
                    await _large.InitializeAsync(context, batchId, datasetId, path);
                    break;
                case "COMPLETE":
                    await _large.CompleteAsync(context, batchId, datasetId, path);
                    break;
                default:
                    throw Problems.InvalidAction(action.Length == 0
                        ? "The 'action' query parameter is required on a file POST: INITIALIZE or COMPLETE."
                        : $"Action '{action}' is not one of INITIALIZE, COMPLETE.");
            }
        }
        else if (HttpMethods.IsPatch(method))
        {
            await _large.PatchAsync(context, batchId, datasetId, RemoteFilePath.Parse(encodedPath));
        }
        else if (HttpMethods.IsHead(method))
        {
            await _large.HeadAsync(context, batchId, datasetId, RemoteFilePath.Parse(encodedPath));
        }
        else
        {
            throw Problems.MethodNotAllowed(method, "/data/foundation/import/batches/{batchId}/datasets/{datasetId}/files/{filePath}");
        }
    }

    private async Task UploadAsync(HttpContext context, string batchId, string datasetId, string encodedPath)
    {
        var path = RemoteFilePath.Parse(encodedPath);
        RequireOctetStream(context.Request.ContentType);

        var batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
        CheckAcceptsFiles(batch, datasetId, path);

        // Answered before the body is read: with "Expect: 100-continue" the client never sends it.
        if (context.Request.ContentLength > MaxFileBytes)
        {
            context.Response.Headers.Connection = "close";
            throw Problems.FileTooLarge(MaxFileBytes);
        }

        var uploadDirectory = emulator.Layout.BatchUploadDirectory(batchId);
        Directory.CreateDirectory(uploadDirectory);
        var temp = Path.Combine(uploadDirectory, Guid.NewGuid().ToString("N") + ".part");
        try
        {
            var size = await ReceiveAsync(context, temp);
            var created = await PublishAsync(batchId, datasetId, path, temp, size);
            logger.LogInformation("Batch {BatchId}: received '{File}' ({Size} bytes).", batchId, path.Name, size);
            await HttpJson.WriteAsync(
                context,
                created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                new JsonObject { ["name"] = path.Name, ["sizeInBytes"] = size });
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }
    }

    internal static void CheckAcceptsFiles(BatchState batch, string datasetId, RemoteFilePath path)
    {
        if (batch.DatasetId != datasetId)
        {
            throw Problems.DatasetMismatch(batch.Id, batch.DatasetId, datasetId);
        }

        if (batch.Status != BatchStatus.Loading)
        {
            throw Problems.BatchState($"Batch '{batch.Id}' is in state {batch.Status}; files can only be uploaded while it is loading.");
        }

        if (batch.Files.Count >= MaxFilesPerBatch && batch.Files.All(f => f.Name != path.Name))
        {
            throw Problems.TooManyFiles(batch.Id, MaxFilesPerBatch);
        }
    }

    /// <summary>Streams the body to the temp file; the limit is enforced here too for bodies without Content-Length.</summary>
    private static async Task<long> ReceiveAsync(HttpContext context, string temp)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            long size = 0;
            await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                size += read;
                if (size > MaxFileBytes)
                {
                    context.Response.Headers.Connection = "close";
                    throw Problems.FileTooLarge(MaxFileBytes);
                }

                await output.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            }

            await output.FlushAsync(context.RequestAborted);
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the complete upload into place and records it; returns whether the name is new to the batch.</summary>
    private async Task<bool> PublishAsync(string batchId, string datasetId, RemoteFilePath path, string temp, long size)
    {
        // Not cancellable: once the bytes are in, the file and the batch state must agree.
        using (await emulator.Batches.LockAsync(batchId, CancellationToken.None))
        {
            var batch = emulator.Batches.Find(batchId) ?? throw Problems.BatchNotFound(batchId);
            CheckAcceptsFiles(batch, datasetId, path);

            var diskPath = UploadPlacement.DiskPathFor(batch, path);
            var destination = emulator.Layout.UploadedFile(batchId, diskPath);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(temp, destination, overwrite: true);

            var file = new BatchFile(path.Name, diskPath, size, emulator.NowMs);
            var existed = batch.Files.Any(f => f.Name == path.Name);
            var files = existed
                ? batch.Files.Select(f => f.Name == path.Name ? file : f).ToList()
                : batch.Files.Append(file).ToList();
            await emulator.Batches.SaveAsync(batch with { Files = files, Updated = emulator.NowMs }, CancellationToken.None);
            return !existed;
        }
    }

    internal static void RequireOctetStream(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw Problems.UnsupportedMediaType(
                $"Files must be sent as raw bytes with Content-Type application/octet-stream, not '{contentType}' (multipart uploads such as curl -F are not accepted).");
        }
    }

    private static bool TryMatch(string rawPath, out string batchId, out string datasetId, out string encodedPath)
    {
        batchId = datasetId = encodedPath = string.Empty;
        if (!rawPath.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parts = rawPath[Prefix.Length..].Split('/', 5);
        if (parts.Length < 4 || parts[1] != "datasets" || parts[3] != "files" || parts[0].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        batchId = Uri.UnescapeDataString(parts[0]);
        datasetId = Uri.UnescapeDataString(parts[2]);
        encodedPath = parts.Length == 5 ? parts[4] : string.Empty;
        return true;
    }
}
