using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>The resilience handler, with failures injected in front of a real emulator.</summary>
public class RetryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static RetrySettings Retry(int maxRetries = 4) => new()
    {
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Answers matching requests with <paramref name="status"/> the first <paramref name="times"/> times.</summary>
    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>> Fail(
        Func<HttpRequestMessage, bool> match, int times, HttpStatusCode status, Action<HttpResponseMessage>? configure = null)
    {
        var count = 0;
        return (request, _) => Task.FromResult(
            match(request) && Interlocked.Increment(ref count) <= times
                ? RecordingHandler.Respond(status, """{"error_code":"503000","message":"try later"}""", configure)
                : null);
    }

    private static bool IsBatchGet(HttpRequestMessage r) => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.Contains("/catalog/batches/");

    [Fact]
    public async Task Two_503s_then_success_succeeds_and_each_attempt_is_logged()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        handler.Intercept = Fail(IsBatchGet, 2, HttpStatusCode.ServiceUnavailable);
        var log = new ListLog();

        IngestStatus status;
        using (IngestLog.Begin(log))
        {
            status = await session.Catalog.GetBatchStatusAsync(batch.Id, None);
        }

        Assert.Equal(BatchStatus.Loading, status.Status);
        Assert.Equal(3, handler.Count(HttpMethod.Get, "/catalog/batches/"));
        var path = $"/data/foundation/catalog/batches/{batch.Id}";
        Assert.Equal(2, log.Lines.Count(l => l.StartsWith($"GET {path} -> 503", StringComparison.Ordinal)));
        Assert.Single(log.Lines, l => l.StartsWith($"GET {path} -> 200", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.StartsWith($"GET {path} failed (503 Service Unavailable); attempt 2 of 5 in ", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.StartsWith($"GET {path} failed (503 Service Unavailable); attempt 3 of 5 in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_is_logged_outside_a_log_scope()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var log = new ListLog();
        using (IngestLog.Begin(log))
        {
        }

        await session.ProfileDatasetAsync();

        Assert.Empty(log.Lines);
        Assert.Null(IngestLog.Current);
    }

    [Fact]
    public async Task Retry_After_in_seconds_is_honoured()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var clock = new RecordingTimeProvider { Watch = due => due < TimeSpan.FromSeconds(60) };
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock, Retry());
        var dataset = await session.ProfileDatasetAsync();
        handler.Intercept = Fail(
            r => r.Method == HttpMethod.Get, 1, HttpStatusCode.TooManyRequests,
            response => response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));
        var log = new ListLog();

        Task<IngestDataset> get;
        using (IngestLog.Begin(log))
        {
            get = session.Catalog.GetDatasetAsync(dataset.Id, None);
        }

        var delays = await clock.DriveAsync(get);

        Assert.Equal(dataset.Name, (await get).Name);
        // The service's 7 s wins over the 1 ms base delay.
        Assert.Equal([TimeSpan.FromSeconds(7)], delays);
        Assert.Contains(log.Lines, l => l.Contains("failed (429 Too Many Requests); attempt 2 of 5 in 7.0 s"));
    }

    [Fact]
    public async Task Retry_After_as_a_date_is_honoured()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var clock = new RecordingTimeProvider { Watch = due => due < TimeSpan.FromSeconds(60) };
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock, Retry());
        var dataset = await session.ProfileDatasetAsync();
        handler.Intercept = Fail(
            r => r.Method == HttpMethod.Get, 1, HttpStatusCode.ServiceUnavailable,
            response => response.Headers.RetryAfter = new RetryConditionHeaderValue(clock.GetUtcNow().AddSeconds(4)));

        var get = session.Catalog.GetDatasetAsync(dataset.Id, None);
        var delays = await clock.DriveAsync(get);

        Assert.Equal(dataset.Id, (await get).Id);
        Assert.Equal([TimeSpan.FromSeconds(4)], delays);
    }

    [Fact]
    public async Task Exhausted_retries_say_how_many_attempts_and_which_setting_to_raise()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry(maxRetries: 2));
        handler.Intercept = Fail(IsBatchGet, int.MaxValue, HttpStatusCode.ServiceUnavailable);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH000000000000000000", None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal("503000", ex.ServiceErrorCode);
        // The message itself (what the default error view shows) names the settings and their values.
        Assert.Contains("Gave up after 3 attempts (Connect-IngestService -MaxRetries 2 -RetryDelay 00:00:00.0010000 -TimeoutSec 60 -OverallTimeoutSec 1800)", ex.Message);
        Assert.Contains("-MaxRetries", ex.RecommendedAction);
        Assert.Contains("-RetryDelay", ex.RecommendedAction);
        Assert.Contains("-TimeoutSec", ex.RecommendedAction);
        Assert.Contains("-OverallTimeoutSec", ex.RecommendedAction);
        Assert.Equal(3, handler.Count(HttpMethod.Get, "/catalog/batches/"));
    }

    [Fact]
    public async Task Exhausted_retries_on_connection_failures_are_unavailable()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry(maxRetries: 2));
        handler.Intercept = (request, _) => IsBatchGet(request)
            ? throw new HttpRequestException("Connection refused")
            : Task.FromResult<HttpResponseMessage?>(null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH000000000000000000", None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Null(ex.StatusCode);
        Assert.Contains("Connection refused", ex.Message);
        Assert.Contains("-MaxRetries", ex.RecommendedAction);
        Assert.Equal(3, handler.Count(HttpMethod.Get, "/catalog/batches/"));
    }

    [Fact]
    public async Task An_attempt_that_hangs_times_out_and_is_retried()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: new RetrySettings
        {
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromMilliseconds(200),
        });
        handler.Intercept = async (request, ct) =>
        {
            if (IsBatchGet(request))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return null;
        };

        var log = new ListLog();

        IngestionException ex;
        using (IngestLog.Begin(log))
        {
            ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH000000000000000000", None));
        }

        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
        Assert.Equal("01JBATCH000000000000000000", ex.Target);
        Assert.Equal(2, handler.Count(HttpMethod.Get, "/catalog/batches/"));
        // Every attempt is in the log, the timed-out ones too, and the wait between them.
        var path = "/data/foundation/catalog/batches/01JBATCH000000000000000000";
        Assert.Single(log.Lines, l => Regex.IsMatch(l, $@"^GET {path} timed out after \d+ ms \(attempt 1 of 2\)$"));
        Assert.Single(log.Lines, l => l.StartsWith($"GET {path} failed (", StringComparison.Ordinal) && l.Contains("attempt 2 of 2 in ", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => Regex.IsMatch(l, $@"^GET {path} timed out after \d+ ms \(attempt 2 of 2\)$"));
        Assert.Contains("Gave up after 2 attempts", ex.Message);
    }

    [Fact]
    public async Task A_body_that_stalls_after_the_headers_times_out_and_is_retried()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: new RetrySettings
        {
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromMilliseconds(200),
        });
        handler.Intercept = (request, _) => Task.FromResult(IsBatchGet(request)
            ? new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(new StallingStream()) }
            : null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH000000000000000000", None));

        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
        Assert.Equal(2, handler.Count(HttpMethod.Get, "/catalog/batches/"));
    }

    /// <summary>A response body whose bytes never come.</summary>
    private sealed class StallingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());

        await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH000000000000000000", None));

        Assert.Equal(1, handler.Count(HttpMethod.Get, "/catalog/batches/"));
    }

    [Fact]
    public async Task Abort_is_not_retried_but_complete_is()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);
        await session.UploadAsync(batch, Samples.Profiles);
        handler.Intercept = Fail(r => r.RequestUri!.Query.Contains("action="), 1, HttpStatusCode.BadGateway);

        await Assert.ThrowsAsync<IngestionException>(() => session.Batches.AbortBatchAsync(batch.Id, None));
        Assert.Equal(1, handler.Requests.Count(r => r.Uri.Query == "?action=ABORT"));

        handler.Intercept = Fail(r => r.RequestUri!.Query.Contains("action="), 1, HttpStatusCode.BadGateway);
        await session.Batches.CompleteBatchAsync(batch.Id, None);
        Assert.Equal(2, handler.Requests.Count(r => r.Uri.Query == "?action=COMPLETE"));
        var status = await session.Catalog.WaitForBatchAsync(batch.Id, TestEmulator.FastWait, null, None);
        Assert.Equal(BatchStatus.Active, status.Status);
    }

    [Fact]
    public async Task A_retried_upload_sends_the_whole_file_again()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var bytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 3);
        var local = dir.Write("data.parquet", bytes);
        byte[]? firstAttempt = null;
        handler.Intercept = async (request, ct) =>
        {
            if (request.Method != HttpMethod.Put || firstAttempt is not null)
            {
                return null;
            }

            // The first attempt's body is read in full, then the connection "fails" with a 503.
            using var sink = new MemoryStream();
            await request.Content!.CopyToAsync(sink, ct);
            firstAttempt = sink.ToArray();
            return RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable);
        };

        await session.UploadAsync(batch, local);

        Assert.Equal(2, handler.Count(HttpMethod.Put, "/files/"));
        Assert.Equal(bytes, firstAttempt);
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(File.ReadAllBytes(stored.FullPath)));
    }

    [Fact]
    public async Task An_upload_cut_off_mid_body_is_sent_again_whole()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var local = dir.Write("data.parquet", bytes);
        var cut = false;
        handler.Intercept = async (request, ct) =>
        {
            if (request.Method != HttpMethod.Put || cut)
            {
                return null;
            }

            cut = true;
            // Read the start of the body, then drop the connection.
            try
            {
                await request.Content!.CopyToAsync(new LimitedStream(64 * 1024), ct);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                // The limit was reached: the rest of the body is never read.
            }

            throw new HttpRequestException("Error while copying content to a stream.", new IOException("Broken pipe"));
        };

        await session.UploadAsync(batch, local);

        Assert.Equal(2, handler.Count(HttpMethod.Put, "/files/"));
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(File.ReadAllBytes(stored.FullPath)));
    }

    private sealed class LimitedStream(int limit) : Stream
    {
        private readonly MemoryStream inner = new();

        public byte[] Received => inner.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = limit - (int)inner.Length;
            inner.Write(buffer.Span[..Math.Min(room, buffer.Length)]);
            return inner.Length >= limit ? throw new IOException("limit reached") : ValueTask.CompletedTask;
        }
    }
}
