using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>What each attempt of a call is: a fresh message, a disposed failure, a logged line, and a bounded whole.</summary>
public class AttemptTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static RetrySettings Retry(int maxRetries = 4) => new()
    {
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(60),
    };

    private static bool IsBatchGet(HttpRequestMessage r) => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.Contains("/catalog/batches/");

    private static void AssertDistinct(IReadOnlyList<HttpRequestMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            for (var j = i + 1; j < messages.Count; j++)
            {
                Assert.False(ReferenceEquals(messages[i], messages[j]), $"attempts {i + 1} and {j + 1} sent the same HttpRequestMessage");
            }
        }
    }

    [Fact]
    public async Task Each_attempt_sends_a_fresh_request_message()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        var failures = 0;
        handler.Intercept = (request, _) => Task.FromResult(IsBatchGet(request) && Interlocked.Increment(ref failures) <= 2
            ? RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable)
            : null);

        var status = await session.Catalog.GetBatchStatusAsync(batch.Id, None);

        Assert.Equal(batch.Id, status.Id);
        var attempts = handler.Messages.Where(IsBatchGet).ToArray();
        Assert.Equal(3, attempts.Length);
        AssertDistinct(attempts);
        // Each carries the same call: method, URI and the platform headers.
        Assert.All(attempts, m => Assert.Equal(attempts[0].RequestUri, m.RequestUri));
        Assert.All(attempts, m => Assert.True(m.Headers.Contains("x-api-key")));
    }

    [Fact]
    public async Task A_retried_upload_sends_a_fresh_message_with_the_whole_body_each_time()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var bytes = RandomNumberGenerator.GetBytes(512 * 1024 + 7);
        var local = dir.Write("data.parquet", bytes);
        var bodies = new List<byte[]>();
        handler.Intercept = async (request, ct) =>
        {
            if (request.Method != HttpMethod.Put)
            {
                return null;
            }

            using var sink = new MemoryStream();
            await request.Content!.CopyToAsync(sink, ct);
            bodies.Add(sink.ToArray());
            return bodies.Count <= 2 ? RecordingHandler.Respond(HttpStatusCode.BadGateway) : null;
        };

        await session.UploadAsync(batch, local);

        var puts = handler.Messages.Where(m => m.Method == HttpMethod.Put).ToArray();
        Assert.Equal(3, puts.Length);
        AssertDistinct(puts);
        Assert.All(bodies, b => Assert.Equal(bytes, b));
        Assert.All(puts, m => Assert.Equal(bytes.Length, m.Content!.Headers.ContentLength));
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(File.ReadAllBytes(stored.FullPath)));
    }

    [Fact]
    public async Task A_401_is_sent_again_on_a_fresh_message_with_a_new_token()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        var refused = 0;
        handler.Intercept = (request, _) => Task.FromResult(IsBatchGet(request) && Interlocked.Increment(ref refused) == 1
            ? RecordingHandler.Respond(HttpStatusCode.Unauthorized, """{"error_code":"401013","message":"Oauth token is not valid"}""")
            : null);
        var imsBefore = handler.ImsCalls;

        var status = await session.Catalog.GetBatchStatusAsync(batch.Id, None);

        Assert.Equal(batch.Id, status.Id);
        Assert.Equal(imsBefore + 1, handler.ImsCalls);
        var attempts = handler.Messages.Where(IsBatchGet).ToArray();
        Assert.Equal(2, attempts.Length);
        AssertDistinct(attempts);
        Assert.NotEqual(attempts[0].Headers.Authorization!.Parameter, attempts[1].Headers.Authorization!.Parameter);
    }

    [Fact]
    public async Task A_failed_response_is_disposed_before_the_next_attempt()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var failed = new List<TrackedResponse>();
        handler.Intercept = (request, _) =>
        {
            if (request.Method != HttpMethod.Get || failed.Count >= 2)
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            // Each failure is checked when the next attempt arrives: the previous one must be disposed by then.
            Assert.All(failed, f => Assert.True(f.Disposed));
            var response = new TrackedResponse(HttpStatusCode.ServiceUnavailable);
            failed.Add(response);
            return Task.FromResult<HttpResponseMessage?>(response);
        };

        var got = await session.Catalog.GetDatasetAsync(dataset.Id, None);

        Assert.Equal(dataset.Id, got.Id);
        Assert.Equal(2, failed.Count);
        Assert.All(failed, f => Assert.True(f.Disposed));
    }

    private sealed class TrackedResponse(HttpStatusCode status) : HttpResponseMessage(status)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task Attempt_lines_show_method_path_status_duration_and_attempt_n_of_m_but_no_secret()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry(maxRetries: 2));
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        var failures = 0;
        handler.Intercept = (request, _) => IsBatchGet(request) && Interlocked.Increment(ref failures) == 1
            ? throw new HttpRequestException("Connection reset by peer")
            : Task.FromResult<HttpResponseMessage?>(null);
        var log = new ListLog();

        using (IngestLog.Begin(log))
        {
            await session.Catalog.GetBatchStatusAsync(batch.Id, None);
            await session.Catalog.GetDatasetAsync(dataset.Id, None);
        }

        var path = Regex.Escape($"/data/foundation/catalog/batches/{batch.Id}");
        Assert.Single(log.Lines, l => Regex.IsMatch(l, $@"^GET {path} failed after \d+ ms \(attempt 1 of 3\): HttpRequestException: Connection reset by peer$"));
        Assert.Single(log.Lines, l => Regex.IsMatch(l, $@"^GET {path} failed \(Connection reset by peer\); attempt 2 of 3 in \d+\.\d s\.$"));
        Assert.Single(log.Lines, l => Regex.IsMatch(l, $@"^GET {path} -> 200 OK in \d+ ms \(attempt 2 of 3\)$"));
        Assert.Single(log.Lines, l => Regex.IsMatch(l, $@"^GET /data/foundation/catalog/dataSets/{dataset.Id} -> 200 OK in \d+ ms \(attempt 1 of 3\)$"));
        var secrets = handler.Tokens.Append(emulator.Credentials.ClientSecret).ToArray();
        Assert.NotEmpty(handler.Tokens);
        Assert.DoesNotContain(log.Lines, l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_overall_timeout_bounds_a_call_with_its_retries()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: new RetrySettings
        {
            MaxRetries = 20,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(1),
            // Shorter than one attempt: one attempt's time wins.
            OverallTimeout = TimeSpan.FromMilliseconds(10),
        });
        var dataset = await session.ProfileDatasetAsync();
        var before = handler.Count(HttpMethod.Get, "/dataSets/");
        handler.Intercept = async (request, ct) =>
        {
            if (request.Method != HttpMethod.Get)
            {
                return null;
            }

            await Task.Delay(500, ct);
            return RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable);
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetDatasetAsync(dataset.Id, None));

        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
        Assert.Contains("overall limit of 1 s (-OverallTimeoutSec)", ex.Message);
        Assert.Contains("-OverallTimeoutSec", ex.RecommendedAction);
        // The first attempt ran its full 500 ms; the limit struck during the second or third, long before 21.
        Assert.InRange(handler.Count(HttpMethod.Get, "/dataSets/") - before, 2, 3);
    }

    [Fact]
    public async Task File_uploads_are_exempt_from_the_overall_timeout_each_attempt_is_bounded()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: new RetrySettings
        {
            MaxRetries = 4,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(2),
            OverallTimeout = TimeSpan.FromMilliseconds(10),
        });
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);
        using var dir = new TempDirectory();
        var local = dir.Write("data.parquet", RandomNumberGenerator.GetBytes(1024));
        var slow = 0;
        handler.Intercept = async (request, ct) =>
        {
            if (request.Method != HttpMethod.Put || Interlocked.Increment(ref slow) > 4)
            {
                return null;
            }

            await Task.Delay(700, ct);
            return RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable);
        };

        // Four slow failures (2.8 s in all) outlast the 2 s a GET would get in all (an attempt's time, since the
        // overall limit is shorter), each well inside its own 2 s, and still the upload succeeds.
        await session.UploadAsync(batch, local);

        Assert.Equal(5, handler.Count(HttpMethod.Put, "/files/"));
        Assert.Single(emulator.StoredFiles(batch.Id));
    }

    [Fact]
    public void An_overall_timeout_out_of_range_is_refused_naming_the_setting()
    {
        var ex = Assert.Throws<IngestionException>(() => new RetrySettings { OverallTimeout = TimeSpan.Zero }.Validate());
        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith("OverallTimeoutSec", ex.Message);
    }
}
