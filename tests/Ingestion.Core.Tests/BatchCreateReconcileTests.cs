using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>
/// <c>POST /batches</c> is never blindly repeated: a create that may have reached the service is reconciled through
/// the Catalog by its externalId before it is sent again.
/// </summary>
public class BatchCreateReconcileTests
{
    private static RetrySettings Retry(int maxRetries = 4) => new()
    {
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(60),
    };

    private static bool IsCreate(HttpRequestMessage r) => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/import/batches", StringComparison.Ordinal);

    private static bool IsLookup(HttpRequestMessage r) => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.EndsWith("/catalog/batches", StringComparison.Ordinal);

    private static int Lookups(RecordingHandler handler) =>
        handler.Requests.Count(r => r.Method == HttpMethod.Get && r.Path.EndsWith("/catalog/batches", StringComparison.Ordinal) && r.Uri.Query.Contains("externalId=", StringComparison.Ordinal));

    private static async Task<int> BatchCountAsync(TestEmulator emulator, string datasetId) =>
        (await emulator.GetJsonAsync($"data/foundation/catalog/batches?dataSet={datasetId}")).EnumerateObject().Count();

    private static async Task<string?> ExternalIdOf(HttpRequestMessage request)
    {
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync());
        return (string?)body!["externalId"];
    }

    [Fact]
    public async Task Every_create_carries_an_externalId_the_callers_or_a_generated_one()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync(retry: Retry());
        var dataset = await session.ProfileDatasetAsync();

        var own = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, ExternalId = "run-7" }, CancellationToken.None);
        var generated = await session.NewBatchAsync(dataset.Id);
        var other = await session.NewBatchAsync(dataset.Id);

        Assert.Equal("run-7", own.ExternalId);
        Assert.Equal("run-7", (await emulator.CatalogBatchAsync(own.Id)).GetProperty("externalId").GetString());
        Assert.StartsWith("ingest-", generated.ExternalId);
        Assert.Equal(generated.ExternalId, (await emulator.CatalogBatchAsync(generated.Id)).GetProperty("externalId").GetString());
        Assert.NotEqual(generated.ExternalId, other.ExternalId);
    }

    [Fact]
    public async Task A_503_on_create_is_looked_up_then_sent_again_with_the_same_externalId_and_no_duplicate()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        var sentIds = new List<string?>();
        var failed = 0;
        handler.Intercept = async (request, _) =>
        {
            if (!IsCreate(request))
            {
                return null;
            }

            sentIds.Add(await ExternalIdOf(request));
            return Interlocked.Increment(ref failed) == 1 ? RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable) : null;
        };
        var log = new ListLog();

        IngestBatch batch;
        using (IngestLog.Begin(log))
        {
            batch = await session.NewBatchAsync(dataset.Id);
        }

        Assert.Equal(2, handler.Count(HttpMethod.Post, "/import/batches"));
        Assert.Equal(1, Lookups(handler));
        Assert.Equal(2, sentIds.Count);
        Assert.Equal(sentIds[0], sentIds[1]);
        Assert.Equal(batch.ExternalId, sentIds[0]);
        Assert.Equal(1, await BatchCountAsync(emulator, dataset.Id));
        Assert.Contains(log.Lines, l => l.StartsWith("POST /data/foundation/import/batches -> 503", StringComparison.Ordinal) && l.EndsWith("(attempt 1 of 5)", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("POST /data/foundation/import/batches failed (503", StringComparison.Ordinal) && l.Contains("attempt 2 of 5 in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_throttled_create_waits_out_Retry_After_in_seconds_and_as_a_date()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var clock = new RecordingTimeProvider { Watch = due => due < TimeSpan.FromSeconds(60) };
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock, Retry());
        var dataset = await session.ProfileDatasetAsync();
        var creates = 0;
        handler.Intercept = (request, _) => Task.FromResult(
            !IsCreate(request) ? null : Interlocked.Increment(ref creates) switch
            {
                1 => RecordingHandler.Respond(HttpStatusCode.TooManyRequests, """{"error_code":"429001","message":"slow down"}""", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))),
                2 => RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable, null, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(clock.GetUtcNow().AddSeconds(4))),
                _ => null,
            });
        var log = new ListLog();

        Task<IngestBatch> create;
        using (IngestLog.Begin(log))
        {
            create = session.NewBatchAsync(dataset.Id);
        }

        var delays = await clock.DriveAsync(create);

        // The service's waits win over the 1 ms base delay of the backoff.
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(4)], delays);
        Assert.Equal(3, handler.Count(HttpMethod.Post, "/import/batches"));
        Assert.Equal(1, await BatchCountAsync(emulator, dataset.Id));
        Assert.Equal(BatchStatus.Loading, (await create).Status);
        Assert.Contains(log.Lines, l => l.StartsWith("POST /data/foundation/import/batches failed (429", StringComparison.Ordinal) && l.Contains("attempt 2 of 5 in 7.0 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_is_reconciled_to_the_batch_the_service_made()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        string? madeByService = null;
        handler.Intercept = async (request, ct) =>
        {
            if (!IsCreate(request) || madeByService is not null)
            {
                return null;
            }

            // The service creates the batch, then the connection drops before the answer arrives.
            using var response = await handler.PassOnAsync(request, ct);
            madeByService = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["id"];
            throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"));
        };
        var log = new ListLog();

        IngestBatch batch;
        using (IngestLog.Begin(log))
        {
            batch = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, Format = IngestFormat.Parquet }, CancellationToken.None);
        }

        Assert.NotNull(madeByService);
        Assert.Equal(madeByService, batch.Id);
        Assert.Equal(IngestFormat.Parquet, batch.Format);
        Assert.Equal(BatchStatus.Loading, batch.Status);
        Assert.Equal(1, handler.Count(HttpMethod.Post, "/import/batches"));
        Assert.Equal(1, Lookups(handler));
        Assert.Equal(1, await BatchCountAsync(emulator, dataset.Id));
        Assert.Contains(log.Lines, l => l.Contains("reconciled", StringComparison.Ordinal) && l.Contains(batch.Id, StringComparison.Ordinal) && l.Contains(batch.ExternalId!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_lookup_says_the_batch_may_exist_and_names_the_externalId()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry(maxRetries: 1));
        var dataset = await session.ProfileDatasetAsync();
        handler.Intercept = (request, _) =>
            IsCreate(request) ? throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"))
            : IsLookup(request) ? Task.FromResult<HttpResponseMessage?>(RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable))
            : Task.FromResult<HttpResponseMessage?>(null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() =>
            session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, ExternalId = "run-42" }, CancellationToken.None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains("may or may not have reached the service", ex.Message);
        Assert.Contains("The batch may exist", ex.Message);
        Assert.Contains("'run-42'", ex.Message);
        Assert.Contains(dataset.Id, ex.Message);
        Assert.Equal("run-42", ex.Target);
        // One create, then the lookup (with its own retry); no second create while the first is unaccounted for.
        Assert.Equal(1, handler.Count(HttpMethod.Post, "/import/batches"));
        Assert.Equal(2, Lookups(handler));
    }

    [Fact]
    public async Task Creates_that_keep_failing_are_bounded_by_MaxRetries_and_looked_up_before_each_new_attempt()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry(maxRetries: 2));
        var dataset = await session.ProfileDatasetAsync();
        handler.Intercept = (request, _) => Task.FromResult(IsCreate(request)
            ? RecordingHandler.Respond(HttpStatusCode.BadGateway, """{"error_code":"502000","message":"bad gateway"}""")
            : null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() =>
            session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, ExternalId = "run-43" }, CancellationToken.None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Contains("Gave up after 3 attempts (Connect-IngestService -MaxRetries 2 ", ex.Message);
        Assert.Contains("No batch with externalId 'run-43'", ex.Message);
        Assert.Contains("-MaxRetries", ex.RecommendedAction);
        Assert.Equal(3, handler.Count(HttpMethod.Post, "/import/batches"));
        // Before attempts 2 and 3, and once after the last.
        Assert.Equal(3, Lookups(handler));
        Assert.Equal(0, await BatchCountAsync(emulator, dataset.Id));
    }

    [Fact]
    public async Task Without_retries_a_failed_create_is_still_looked_up_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry(maxRetries: 0));
        var dataset = await session.ProfileDatasetAsync();
        handler.Intercept = (request, _) => IsCreate(request)
            ? throw new HttpRequestException("Connection reset")
            : Task.FromResult<HttpResponseMessage?>(null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.NewBatchAsync(dataset.Id));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains("No batch with externalId", ex.Message);
        Assert.Equal(1, handler.Count(HttpMethod.Post, "/import/batches"));
        Assert.Equal(1, Lookups(handler));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task A_definite_refusal_is_final_without_a_lookup(HttpStatusCode status)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: Retry());
        var dataset = await session.ProfileDatasetAsync();
        handler.Intercept = (request, _) => Task.FromResult(IsCreate(request)
            ? RecordingHandler.Respond(status, """{"error_code":"400000","message":"no"}""")
            : null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.NewBatchAsync(dataset.Id));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(1, handler.Count(HttpMethod.Post, "/import/batches"));
        Assert.Equal(0, Lookups(handler));
    }
}
