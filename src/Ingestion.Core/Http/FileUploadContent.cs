using System.Net;
using System.Net.Http.Headers;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;

namespace Ingestion.Core.Http;

/// <summary>
/// A file streamed from disk. The file is opened anew for every serialization, so a retried or
/// re-authenticated request sends the whole file again, and nothing is ever held in memory.
/// </summary>
internal sealed class FileUploadContent : HttpContent
{
    private const int BufferSize = 1 << 20;
    private readonly string path;
    private readonly long length;
    private readonly IProgress<TransferProgress>? progress;

    public FileUploadContent(string path, long length, IProgress<TransferProgress>? progress)
    {
        this.path = path;
        this.length = length;
        this.progress = progress;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = length;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var file = Open();
        // Two buffers: the next block is read from disk while the previous one is written to the socket.
        var current = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        var next = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long sent = 0;
            progress?.Report(new TransferProgress(path, 0, length));
            var read = await ReadBlockAsync(file, current, sent, cancellationToken).ConfigureAwait(false);
            while (read > 0)
            {
                var writing = stream.WriteAsync(current.AsMemory(0, read), cancellationToken);
                var reading = ReadBlockAsync(file, next, sent + read, cancellationToken);
                try
                {
                    await writing.ConfigureAwait(false);
                }
                catch
                {
                    // The read still fills a pooled buffer: let it finish before the buffers go back.
                    await Task.WhenAny(reading).ConfigureAwait(false);
                    throw;
                }

                sent += read;
                progress?.Report(new TransferProgress(path, sent, length));
                read = await reading.ConfigureAwait(false);
                (current, next) = (next, current);
            }

            // A file that shrank or grew since we measured it would be sent truncated or cut: refuse it.
            if (sent != length || file.Length != length)
            {
                throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.FileChangedDuringUpload, path, length, sent == length ? file.Length : sent)) { Target = path };
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(current);
            System.Buffers.ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>Reads up to a buffer's worth of the bytes still due at <paramref name="offset"/>; 0 at the announced length or the end of the file.</summary>
    private async Task<int> ReadBlockAsync(FileStream file, byte[] buffer, long offset, CancellationToken cancellationToken)
    {
        var due = (int)Math.Min(buffer.Length, length - offset);
        return due <= 0 ? 0 : await file.ReadAsync(buffer.AsMemory(0, due), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A file deleted or locked since it was measured is the caller's problem, not a network one: never retried.</summary>
    private FileStream Open() => Guard(path, () => new FileStream(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.Read,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        BufferSize = 0,
    }));

    /// <summary>A handle for positional reads (chunks), with the same errors as <see cref="Open"/>.</summary>
    internal static Microsoft.Win32.SafeHandles.SafeFileHandle OpenHandle(string path) =>
        Guard(path, () => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous));

    private static T Guard<T>(string path, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IngestionException(IngestErrorKind.NotFound, string.Format(Messages.FileVanished, path, ex.Message), ex) { Target = path };
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IngestionException(IngestErrorKind.PermissionDenied, string.Format(Messages.FileVanished, path, ex.Message), ex) { Target = path };
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = this.length;
        return true;
    }
}
