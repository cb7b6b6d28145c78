using System.Security.Cryptography;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;
using Ingestion.Core.Uploads;

namespace Ingestion.Core.Tests;

/// <summary>Resuming an interrupted chunked upload from its journal, against the emulator.</summary>
public class UploadResumeTests
{
    private const int Chunk = 1024;
    private const int Size = (10 * Chunk) + 7;
    private const int Chunks = 11;

    [Fact]
    public async Task An_interrupted_upload_leaves_a_journal_and_the_next_run_sends_only_the_missing_chunks()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var options = Options(dir);
        var (batch, local) = await NewFileAsync(session, dir);

        await InterruptAfterAsync(handler, session, batch, local, options, sentChunks: 3);

        var journal = Assert.Single(UploadJournal.List(options.JournalFolder));
        Assert.Equal(batch.Id, journal.BatchId);
        Assert.Equal(batch.DatasetId, journal.DatasetId);
        Assert.Equal("data.parquet", journal.RemoteName);
        Assert.Equal(Path.GetFullPath(local), journal.Path);
        Assert.Equal(Size, journal.Size);
        Assert.Equal(3, journal.ChunksConfirmed);
        Assert.Equal(Chunks, journal.ChunksTotal);
        var text = File.ReadAllText(journal.JournalPath);
        Assert.All(handler.Tokens, token => Assert.DoesNotContain(token, text));
        Assert.Empty(Directory.GetFiles(options.JournalFolder!, "*.tmp"));

        handler.Intercept = null;
        var before = handler.Count(HttpMethod.Patch, "/files/");
        var initializes = handler.Requests.Count(r => r.Uri.Query.Contains("INITIALIZE", StringComparison.Ordinal));
        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, CancellationToken.None);

        Assert.Equal(Chunks - 3, handler.Count(HttpMethod.Patch, "/files/") - before);
        Assert.Equal(initializes, handler.Requests.Count(r => r.Uri.Query.Contains("INITIALIZE", StringComparison.Ordinal)));
        Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
        Assert.Empty(UploadJournal.List(options.JournalFolder));
    }

    [Fact]
    public async Task Chunks_of_32_MB_are_in_the_journal_before_the_next_is_sent_so_a_killed_process_loses_none()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        const int big = 32 * 1024 * 1024;
        var options = new UploadOptions { ChunkThreshold = 0, ChunkSize = big, ThrottleLimit = 1, JournalFolder = dir.File("journals") };
        var bytes = new byte[(3 * big) + 5];
        new Random(3).NextBytes(bytes);
        var local = dir.Write("big.bin", bytes);
        var batch = await session.NewBatchAsync((await session.ProfileDatasetAsync()).Id, IngestFormat.Parquet);

        // What a SIGKILL just before each PATCH would leave behind.
        var journaledAtPatch = new List<int>();
        handler.BeforeSend = request =>
        {
            if (request.Method == HttpMethod.Patch)
            {
                journaledAtPatch.Add(UploadJournal.List(options.JournalFolder).SingleOrDefault()?.ChunksConfirmed ?? -1);
            }
        };
        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "big.parquet", options, null, CancellationToken.None);

        Assert.Equal([0, 1, 2, 3], journaledAtPatch);
    }

    [Fact]
    public async Task A_second_upload_of_the_same_target_is_refused_while_the_first_holds_it_and_nothing_is_sent()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var options = Options(dir);
        var (batch, local) = await NewFileAsync(session, dir);
        var sent = handler.Requests.Count;

        using (UploadJournal.TryLock(options.JournalFolder!, batch.Id, batch.DatasetId, "data.parquet"))
        {
            var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, CancellationToken.None));
            Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
            Assert.Contains("already being uploaded", ex.Message, StringComparison.Ordinal);
            Assert.Contains(batch.Id, ex.Message, StringComparison.Ordinal);
            Assert.Equal(sent, handler.Requests.Count);
        }

        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, CancellationToken.None);
        Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
        Assert.Empty(UploadJournal.List(options.JournalFolder));
    }

    [Fact]
    public async Task A_file_changed_since_its_journal_is_sent_again_whole_with_a_warning()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var warnings = new ListWarnings();
        var options = Options(dir) with { Warnings = warnings };
        var (batch, local) = await NewFileAsync(session, dir);
        await InterruptAfterAsync(handler, session, batch, local, options, sentChunks: 4);
        Assert.Single(UploadJournal.List(options.JournalFolder));

        var changed = File.ReadAllBytes(local);
        Array.Reverse(changed);
        File.WriteAllBytes(local, changed);
        File.SetLastWriteTimeUtc(local, DateTime.UtcNow.AddMinutes(5));
        handler.Intercept = null;
        var before = handler.Count(HttpMethod.Patch, "/files/");
        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, CancellationToken.None);

        Assert.Equal(Chunks, handler.Count(HttpMethod.Patch, "/files/") - before);
        Assert.Contains("changed since", Assert.Single(warnings.Messages));
        Assert.Equal(SHA256.HashData(changed), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
        Assert.Empty(UploadJournal.List(options.JournalFolder));
    }

    [Fact]
    public async Task A_resumed_upload_keeps_the_chunk_size_of_its_journal_whatever_this_run_asks_for()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var warnings = new ListWarnings();
        var options = Options(dir) with { Warnings = warnings };
        var (batch, local) = await NewFileAsync(session, dir);
        await InterruptAfterAsync(handler, session, batch, local, options, sentChunks: 5);
        Assert.Equal(Chunk, Assert.Single(UploadJournal.List(options.JournalFolder)).ChunkSize);

        handler.Intercept = null;
        var before = handler.Count(HttpMethod.Patch, "/files/");
        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options with { ChunkSize = 4 * Chunk }, null, CancellationToken.None);

        // Chunks 5 to 10 of the first run's 1 KiB chunking, not the three 4 KiB chunks this run asked for.
        Assert.Equal(Chunks - 5, handler.Count(HttpMethod.Patch, "/files/") - before);
        Assert.Empty(warnings.Messages);
        Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
        Assert.Empty(UploadJournal.List(options.JournalFolder));
    }

    [Fact]
    public async Task A_completed_upload_leaves_no_journal()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var options = Options(dir);
        var (batch, local) = await NewFileAsync(session, dir);

        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, CancellationToken.None);

        Assert.Empty(UploadJournal.List(options.JournalFolder));
        Assert.Equal(Chunks, handler.Count(HttpMethod.Patch, "/files/"));
    }

    [Fact]
    public async Task A_journal_left_by_a_completed_upload_whose_answer_was_lost_ends_without_sending_anything()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var dir = new TempDirectory();
        var options = Options(dir);
        var (batch, local) = await NewFileAsync(session, dir);
        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, CancellationToken.None);

        // The journal as it stood just before COMPLETE, whose answer this run "lost".
        var bytes = File.ReadAllBytes(local);
        var chunks = new SortedDictionary<int, string>();
        for (var i = 0; i < Chunks; i++)
        {
            chunks[i] = XxHash64.HashToHex(bytes.AsSpan(i * Chunk, Math.Min(Chunk, Size - (i * Chunk))));
        }

        UploadJournal.Write(options.JournalFolder!, new JournalState
        {
            BatchId = batch.Id,
            DatasetId = batch.DatasetId,
            RemoteName = "data.parquet",
            Path = Path.GetFullPath(local),
            Size = Size,
            LastWriteTimeUtc = File.GetLastWriteTimeUtc(local),
            ChunkSize = Chunk,
            Chunks = chunks,
            Updated = DateTimeOffset.UtcNow,
        });
        var before = handler.Count(HttpMethod.Patch, "/files/");

        await session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, CancellationToken.None);

        Assert.Equal(before, handler.Count(HttpMethod.Patch, "/files/"));
        Assert.Equal(Sha256(local), Sha256(Assert.Single(emulator.StoredFiles(batch.Id)).FullPath));
        Assert.Empty(UploadJournal.List(options.JournalFolder));
    }

    [Fact]
    public void Journals_are_listed_and_removed()
    {
        using var dir = new TempDirectory();
        var folder = dir.File("journals");
        Assert.Empty(UploadJournal.List(folder));
        foreach (var name in new[] { "a.parquet", "part=1/b.parquet" })
        {
            UploadJournal.Write(folder, new JournalState
            {
                BatchId = "batch1",
                DatasetId = "dataset1",
                RemoteName = name,
                Path = dir.File(name),
                Size = 5000,
                ChunkSize = 1024,
                Chunks = new() { [0] = "00", [2] = "11" },
                Updated = DateTimeOffset.UtcNow,
            });
        }

        var listed = UploadJournal.List(folder);
        Assert.Equal(2, listed.Count);
        Assert.All(listed, j => Assert.Equal((2, 5, 1024L), (j.ChunksConfirmed, j.ChunksTotal, j.ChunkSize)));

        var removed = UploadJournal.Remove("batch1", "dataset1", "a.parquet", folder);
        Assert.Equal("a.parquet", removed?.RemoteName);
        Assert.Null(UploadJournal.Remove("batch1", "dataset1", "a.parquet", folder));
        var left = Assert.Single(UploadJournal.List(folder));
        Assert.Equal("part=1/b.parquet", UploadJournal.Remove(left, folder)?.RemoteName);
        Assert.Empty(UploadJournal.List(folder));
    }

    private static UploadOptions Options(TempDirectory dir) =>
        new() { ChunkThreshold = 0, ChunkSize = Chunk, ThrottleLimit = 1, JournalFolder = dir.File("journals") };

    /// <summary>Lets <paramref name="sentChunks"/> chunks through, then cancels the upload while the next one is in flight.</summary>
    private static async Task InterruptAfterAsync(RecordingHandler handler, Sessions.IngestSession session, IngestBatch batch, string local, UploadOptions options, int sentChunks)
    {
        using var cts = new CancellationTokenSource();
        var patches = 0;
        handler.Intercept = async (request, token) =>
        {
            if (request.Method == HttpMethod.Patch && Interlocked.Increment(ref patches) > sentChunks)
            {
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, token);
            }

            return null;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            session.Batches.UploadFileAsync(batch.Id, batch.DatasetId, local, "data.parquet", options, null, cts.Token).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<(IngestBatch Batch, string Local)> NewFileAsync(Sessions.IngestSession session, TempDirectory dir)
    {
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        var bytes = new byte[Size];
        new Random(Size).NextBytes(bytes);
        return (batch, dir.Write("data.bin", bytes));
    }

    private static byte[] Sha256(string path) => SHA256.HashData(File.ReadAllBytes(path));

    private sealed class ListWarnings : IProgress<string>
    {
        private readonly object gate = new();

        public List<string> Messages { get; } = [];

        public void Report(string value)
        {
            lock (gate)
            {
                Messages.Add(value);
            }
        }
    }
}
