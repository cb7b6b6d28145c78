using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Ingestion.Core.Aep;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>The chunked large-file upload (INITIALIZE, PATCH chunks, COMPLETE) against the emulator.</summary>
public class LargeFileUploadTests
{
    private const int Chunk = 1024;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly UploadOptions Tiny = new()
    {
        ChunkThreshold = 0,
        ChunkSize = Chunk,
        ThrottleLimit = 4,
        // Interrupted uploads leave journals: kept out of the user's own folder.
        JournalFolder = Path.Combine(Path.GetTempPath(), "ingestion-core-tests", "journals"),
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(Chunk - 1, 0)]
    [InlineData(Chunk, 0)]
    [InlineData(Chunk + 1, 0)]
    [InlineData(4095, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 4096)]
    [InlineData((10 * Chunk) + 7, Chunk)]
    public async Task Files_arrive_byte_identical_in_chunks_above_the_threshold(int size, int threshold)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var local = dir.Write("data.bin", RandomBytes(size));
        var progress = new ListProgress();

        var result = await session.Batches.UploadFileAsync(batch.Id, dataset.Id, local, "data.parquet", Tiny with { ChunkThreshold = threshold }, progress, None);

        Assert.Equal(size, result.Bytes);
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(size, stored.Size);
        Assert.Equal(Sha256(local), Sha256(stored.FullPath));
        var chunked = size > threshold;
        Assert.Equal(chunked ? (size + Chunk - 1) / Chunk : 0, handler.Count(HttpMethod.Patch, "/files/"));
        Assert.Equal(chunked ? 0 : 1, handler.Count(HttpMethod.Put, "/files/"));
        Assert.Equal(size, progress.Reports[^1].BytesSent);
        Assert.True(progress.Reports.Zip(progress.Reports.Skip(1)).All(p => p.First.BytesSent <= p.Second.BytesSent));
    }

    [Fact]
    public async Task Chunks_go_in_parallel_within_the_throttle()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var current = 0;
        var max = 0;
        handler.Intercept = async (request, token) =>
        {
            if (request.Method == HttpMethod.Patch)
            {
                var now = Interlocked.Increment(ref current);
                InterlockedMax(ref max, now);
                await Task.Delay(100, token);
                Interlocked.Decrement(ref current);
            }

            return null;
        };
        using var session = await emulator.ConnectAsync(handler);
        var (batch, local) = await NewFileAsync(emulator, session, 12 * Chunk, out var dir);
        using (dir)
        {
            await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", Tiny with { ThrottleLimit = 3 }, null, None);

            Assert.True(max >= 2, $"at most {max} PATCH at a time");
            Assert.True(max <= 3, $"{max} PATCHes at a time, over the throttle of 3");
            Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
        }
    }

    [Fact]
    public async Task A_chunk_failing_with_503_is_retried_alone()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var ranges = new ConcurrentQueue<long>();
        var failed = 0;
        handler.Intercept = (request, token) =>
        {
            if (request.Method == HttpMethod.Patch && request.Content!.Headers.ContentRange!.From is { } from)
            {
                ranges.Enqueue(from);
                if (from == 2 * Chunk && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    return Task.FromResult<HttpResponseMessage?>(RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable, """{"message":"busy"}"""));
                }
            }

            return Task.FromResult<HttpResponseMessage?>(null);
        };
        using var session = await emulator.ConnectAsync(handler);
        var (batch, local) = await NewFileAsync(emulator, session, (5 * Chunk) + 3, out var dir);
        using (dir)
        {
            await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", Tiny, null, None);

            var counts = ranges.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(6, counts.Count);
            Assert.Equal(2, counts[2 * Chunk]);
            Assert.All(counts.Where(c => c.Key != 2 * Chunk), c => Assert.Equal(1, c.Value));
            Assert.Single(handler.Requests, r => r.Uri.Query.Contains("INITIALIZE", StringComparison.Ordinal));
            Assert.Single(handler.Requests, r => r.Uri.Query.Contains("COMPLETE", StringComparison.Ordinal));
            Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
        }
    }

    [Fact]
    public async Task A_chunk_failing_for_good_cancels_its_siblings_and_names_the_range()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var cancelled = 0;
        handler.Intercept = async (request, token) =>
        {
            if (request.Method != HttpMethod.Patch)
            {
                return null;
            }

            if (request.Content!.Headers.ContentRange!.From == Chunk)
            {
                return RecordingHandler.Respond(HttpStatusCode.Forbidden, """{"message":"no"}""");
            }

            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return null;
        };
        using var session = await emulator.ConnectAsync(handler);
        var (batch, local) = await NewFileAsync(emulator, session, 10 * Chunk, out var dir);
        using (dir)
        {
            var ex = await Assert.ThrowsAsync<IngestionException>(() =>
                session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", Tiny, null, None).WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
            Assert.Contains($"bytes {Chunk:N0}-{(2 * Chunk) - 1:N0}", ex.Message);
            Assert.Contains(local, ex.Message);
            Assert.True(cancelled >= 1, "no sibling chunk was cancelled");
            Assert.True(handler.Count(HttpMethod.Patch, "/files/") < 10, "every chunk was still sent");
            Assert.DoesNotContain(handler.Requests, r => r.Uri.Query.Contains("COMPLETE", StringComparison.Ordinal));
            Assert.Empty(emulator.StoredFiles(batch.Id));
        }
    }

    [Fact]
    public async Task Cancellation_mid_upload_stops_promptly()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        handler.Intercept = async (request, token) =>
        {
            if (request.Method == HttpMethod.Patch)
            {
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, token);
            }

            return null;
        };
        using var session = await emulator.ConnectAsync(handler);
        var (batch, local) = await NewFileAsync(emulator, session, 10 * Chunk, out var dir);
        using (dir)
        {
            var upload = session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", Tiny, null, cts.Token);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.DoesNotContain(handler.Requests, r => r.Uri.Query.Contains("COMPLETE", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_file_that_changes_size_during_the_upload_fails_with_the_existing_message()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var (batch, local) = await NewFileAsync(emulator, session, 4 * Chunk, out var dir);
        using (dir)
        {
            var shrunk = 0;
            handler.Intercept = (request, token) =>
            {
                if (request.Method == HttpMethod.Patch && Interlocked.Exchange(ref shrunk, 1) == 0)
                {
                    using var stream = new FileStream(local, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                    stream.SetLength(Chunk);
                }

                return Task.FromResult<HttpResponseMessage?>(null);
            };

            var ex = await Assert.ThrowsAsync<IngestionException>(() =>
                session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", Tiny with { ThrottleLimit = 1 }, null, None));

            Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
            Assert.Equal(local, ex.Target);
            Assert.Contains("changed size", ex.Message);
            Assert.Empty(emulator.StoredFiles(batch.Id));
        }
    }

    [Fact]
    public async Task A_sparse_300_MB_file_goes_through_the_chunked_path_by_default()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var big = dir.File("big.parquet");
        const long size = 300_000_000;
        using (var stream = new FileStream(big, FileMode.CreateNew))
        {
            // Sparse: the length is set, nothing is written.
            stream.SetLength(size);
        }

        Assert.True(size > BatchIngestionClient.MaxSmallFileBytes);

        var result = await session.UploadAsync(batch, big);

        Assert.Equal(size, result.Bytes);
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(size, stored.Size);
        Assert.Equal(size, new FileInfo(stored.FullPath).Length);
        Assert.Equal((size + UploadOptions.DefaultChunkSize - 1) / UploadOptions.DefaultChunkSize, handler.Count(HttpMethod.Patch, "/files/"));
        Assert.Equal(0, handler.Count(HttpMethod.Put, "/files/"));
    }

    [Fact]
    public async Task A_sparse_file_past_4_GiB_arrives_byte_identical_with_marks_at_the_32_bit_boundaries()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var batch = await session.NewBatchAsync((await session.ProfileDatasetAsync()).Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var big = dir.File("big.parquet");
        const long size = (4L << 30) + 4097;
        var mark = new byte[4096];
        new Random(4).NextBytes(mark);
        using (var stream = new FileStream(big, FileMode.CreateNew))
        {
            // Sparse apart from random marks across the offsets where 31- and 32-bit arithmetic would wrap.
            stream.SetLength(size);
            foreach (var at in new[] { 0L, int.MaxValue - 100L, uint.MaxValue - 100L, size - mark.Length })
            {
                stream.Position = at;
                stream.Write(mark);
            }
        }

        var result = await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, big, null, new UploadOptions { ThrottleLimit = 8, JournalFolder = dir.File("journals") }, null, CancellationToken.None);

        Assert.Equal(size, result.Bytes);
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(size, new FileInfo(stored.FullPath).Length);
        Assert.Equal(Sha256(big), Sha256(stored.FullPath));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task A_file_COMPLETE_refused_for_a_passing_reason_is_sent_again(HttpStatusCode status)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var refused = 0;
        handler.Intercept = (request, _) => Task.FromResult(
            request.RequestUri!.Query.Contains("action=COMPLETE", StringComparison.Ordinal) && request.RequestUri.AbsolutePath.Contains("/files/", StringComparison.Ordinal)
            && Interlocked.Increment(ref refused) == 1
                ? RecordingHandler.Respond(status, """{"error_code":"503050","message":"busy"}""")
                : null);
        using var session = await emulator.ConnectAsync(handler);
        var (batch, local) = await NewFileAsync(emulator, session, (3 * Chunk) + 5, out var dir);
        using (dir)
        {
            await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", Tiny, null, None);

            Assert.Equal(2, handler.Requests.Count(r => r.Uri.Query.Contains("COMPLETE", StringComparison.Ordinal)));
            Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
            await session.CompleteAndWaitAsync(batch);
        }
    }

    [Fact]
    public async Task A_file_COMPLETE_whose_answer_is_lost_is_confirmed_by_HEAD_when_the_repeat_is_refused()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        var lost = 0;
        handler.Intercept = async (request, token) =>
        {
            if (!request.RequestUri!.Query.Contains("action=COMPLETE", StringComparison.Ordinal)
                || !request.RequestUri.AbsolutePath.Contains("/files/", StringComparison.Ordinal)
                || Interlocked.Increment(ref lost) != 1)
            {
                return null;
            }

            // The service completes the file, then the connection drops before the answer arrives.
            using var response = await handler.PassOnAsync(request, token);
            Assert.True(response.IsSuccessStatusCode);
            throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"));
        };
        using var session = await emulator.ConnectAsync(handler);
        var (batch, local) = await NewFileAsync(emulator, session, (3 * Chunk) + 5, out var dir);
        var log = new ListLog();
        using (dir)
        {
            using (Sessions.IngestLog.Begin(log))
            {
                await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", Tiny, null, None);
            }

            // The repeat is refused (already completed); HEAD shows the service holds every byte.
            Assert.Equal(2, handler.Requests.Count(r => r.Uri.Query.Contains("COMPLETE", StringComparison.Ordinal)));
            Assert.Single(handler.Requests, r => r.Method == HttpMethod.Head);
            Assert.Contains(log.Lines, l => l.Contains("completed the file and its answer was lost", StringComparison.Ordinal));
            Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
            await session.CompleteAndWaitAsync(batch);
        }
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UploadOptions { ChunkSize = UploadOptions.MaxChunkSize + 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new UploadOptions { ChunkThreshold = BatchIngestionClient.MaxSmallFileBytes + 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new UploadOptions { ThrottleLimit = 0 }.Validate());
    }

    private static Task<(IngestBatch Batch, string Local)> NewFileAsync(TestEmulator emulator, Sessions.IngestSession session, int size, out TempDirectory dir)
    {
        var directory = dir = new TempDirectory();
        return Create();

        async Task<(IngestBatch, string)> Create()
        {
            var dataset = await session.ProfileDatasetAsync();
            var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
            return (batch, directory.Write("data.bin", RandomBytes(size)));
        }
    }

    private static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static byte[] Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return SHA256.HashData(file);
    }

    private sealed class ListProgress : IProgress<TransferProgress>
    {
        private readonly object gate = new();

        public List<TransferProgress> Reports { get; } = [];

        public void Report(TransferProgress value)
        {
            lock (gate)
            {
                Reports.Add(value);
            }
        }
    }
}
