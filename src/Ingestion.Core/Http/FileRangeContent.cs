using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Ingestion.Core.Errors;
using Ingestion.Core.Uploads;

namespace Ingestion.Core.Http;

/// <summary>
/// One chunk of a file: <paramref name="length"/> bytes from <paramref name="offset"/>. The file is opened anew for
/// every serialization and the range read with positional reads into a small pooled buffer, so a retried chunk
/// re-reads its range from disk, parallel chunks share no stream position, and the file is never held in memory.
/// The bytes are hashed as they are sent, so the upload journal needs no second read of the chunk.
/// </summary>
internal sealed class FileRangeContent : HttpContent
{
    private const int BufferSize = 1 << 20;
    private readonly string path;
    private readonly long offset;
    private readonly long length;
    private readonly long fileLength;

    public FileRangeContent(string path, long offset, long length, long fileLength)
    {
        this.path = path;
        this.offset = offset;
        this.length = length;
        this.fileLength = fileLength;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = length;
        // Inclusive end, with the total so the service can tell a short file from a missing chunk.
        Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + length - 1, fileLength);
    }

    /// <summary>The XXH64 (hex) of the bytes of the last complete send, for the journal; null before one.</summary>
    public string? Hash { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var handle = FileUploadContent.OpenHandle(path);
        // A file that shrank or grew since we measured it would arrive cut or mixed: refuse it.
        var current = RandomAccess.GetLength(handle);
        if (current != fileLength)
        {
            throw Changed(current);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, Math.Max(length, 1)));
        Hash = null;
        // Each send hashes afresh: only a complete send names the bytes the service holds.
        var hash = new XxHash64();
        try
        {
            long sent = 0;
            while (sent < length)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent)), offset + sent, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw Changed(RandomAccess.GetLength(handle));
                }

                // Hashing overlaps the send: both only read the buffer, and the next read waits for both.
                var write = stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                hash.Append(buffer.AsSpan(0, read));
                await write.ConfigureAwait(false);
                sent += read;
            }

            Hash = hash.ToHex();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private IngestionException Changed(long current) =>
        new(IngestErrorKind.InvalidArgument, string.Format(Messages.FileChangedDuringUpload, path, fileLength, current)) { Target = path };

    protected override bool TryComputeLength(out long length)
    {
        length = this.length;
        return true;
    }
}
