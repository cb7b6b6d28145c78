using Ingestion.Core.Aep;

namespace Ingestion.Core.Models;

/// <summary>
/// How a file is uploaded: files larger than <see cref="ChunkThreshold"/> go through the chunked large-file upload,
/// in chunks of <see cref="ChunkSize"/> bytes, at most <see cref="ThrottleLimit"/> of them in flight at once.
/// </summary>
public sealed record UploadOptions
{
    /// <summary>The service takes at most 512,000,000 bytes in one chunk.</summary>
    public const long MaxChunkSize = 512_000_000;

    /// <summary>The smallest chunk -ChunkSize takes.</summary>
    public const long MinChunkSize = 1024;

    /// <summary>64 MiB: few requests per file, and a retried chunk re-sends little.</summary>
    public const long DefaultChunkSize = 64L * 1024 * 1024;

    public const int DefaultThrottleLimit = 4;

    public const int MaxThrottleLimit = 64;

    public static UploadOptions Default { get; } = new();

    /// <summary>Files larger than this many bytes are sent in chunks; at most (and by default) 256 MB, the single-upload limit.</summary>
    public long ChunkThreshold { get; init; } = BatchIngestionClient.MaxSmallFileBytes;

    public long ChunkSize { get; init; } = DefaultChunkSize;

    public int ThrottleLimit { get; init; } = DefaultThrottleLimit;

    /// <summary>
    /// Shared by the uploads of several files so that all their requests together stay within one limit; null: this
    /// upload gets its own <see cref="ThrottleLimit"/> requests.
    /// </summary>
    public UploadThrottle? Throttle { get; init; }

    /// <summary>Where chunked uploads keep their resume journals; null for <see cref="Uploads.UploadJournal.DefaultFolder"/>.</summary>
    public string? JournalFolder { get; init; }

    /// <summary>Receives warnings, such as a journal found for a file that has changed since (the upload then starts over).</summary>
    public IProgress<string>? Warnings { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ChunkThreshold, nameof(ChunkThreshold));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ChunkThreshold, BatchIngestionClient.MaxSmallFileBytes, nameof(ChunkThreshold));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ChunkSize, MaxChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ThrottleLimit, nameof(ThrottleLimit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ThrottleLimit, MaxThrottleLimit, nameof(ThrottleLimit));
    }
}
