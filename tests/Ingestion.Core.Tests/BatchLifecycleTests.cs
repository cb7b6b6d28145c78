using System.Net;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

public class BatchLifecycleTests
{
    private const string UnknownBatch = "01JZZZZZZZZZZZZZZZZZZZZZZZ";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Multi_line_json_batch_becomes_active_with_every_record()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();

        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Json, multiLine: true);
        Assert.False(string.IsNullOrEmpty(batch.Id));
        Assert.Equal(dataset.Id, batch.DatasetId);
        Assert.Equal(BatchStatus.Loading, batch.Status);
        Assert.Equal(IngestFormat.Json, batch.Format);
        Assert.True(batch.MultiLineJson);
        Assert.NotNull(batch.Created);

        var loading = await session.Catalog.GetBatchStatusAsync(batch.Id, None);
        Assert.Equal(BatchStatus.Loading, loading.Status);
        Assert.Equal(batch.Id, loading.Id);
        Assert.Equal(dataset.Id, loading.DatasetId);
        Assert.False(loading.IsTerminal);

        var uploaded = await session.UploadAsync(batch, Samples.Profiles);
        Assert.Equal("profiles.json", uploaded.RemoteName);
        Assert.Equal(new FileInfo(Samples.Profiles).Length, uploaded.Bytes);
        Assert.Equal(Path.GetFullPath(Samples.Profiles), uploaded.Path);
        Assert.Equal(batch.Id, uploaded.BatchId);

        var status = await session.CompleteAndWaitAsync(batch);

        Assert.Equal(BatchStatus.Active, status.Status);
        Assert.True(status.IsSuccess);
        Assert.Equal(Samples.ProfileRecords, status.Records);
        Assert.True(status.FailedRecords is null or 0, $"failed records: {status.FailedRecords}");
        Assert.Empty(status.Errors);
        Assert.Equal(dataset.Id, status.DatasetId);
        Assert.NotNull(status.Created);
        Assert.NotNull(status.Completed);

        var format = (await emulator.CatalogBatchAsync(batch.Id)).GetProperty("inputFormat");
        Assert.Equal("json", format.GetProperty("format").GetString());
        Assert.True(format.GetProperty("isMultiLineJson").GetBoolean());
    }

    [Fact]
    public async Task Csv_batch_becomes_active_with_every_row()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.LoyaltyDatasetAsync();

        var (batch, status) = await session.IngestAsync(dataset.Id, Samples.Loyalty, IngestFormat.Csv);

        Assert.Equal(BatchStatus.Active, status.Status);
        Assert.Equal(Samples.LoyaltyRecords, status.Records);
        var format = (await emulator.CatalogBatchAsync(batch.Id)).GetProperty("inputFormat");
        Assert.Equal("csv", format.GetProperty("format").GetString());
        // Only JSON has the multi-line flag.
        Assert.False(format.TryGetProperty("isMultiLineJson", out _));
    }

    [Fact]
    public async Task Parquet_batch_is_created_with_the_parquet_format()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();

        var batch = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);

        Assert.Equal(IngestFormat.Parquet, batch.Format);
        Assert.Equal(BatchStatus.Loading, batch.Status);
        var format = (await emulator.CatalogBatchAsync(batch.Id)).GetProperty("inputFormat");
        Assert.Equal("parquet", format.GetProperty("format").GetString());
    }

    [Fact]
    public async Task Replay_tags_and_error_diagnostics_reach_the_catalog()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var (first, firstStatus) = await session.IngestAsync(dataset.Id, Samples.Profiles, multiLine: true);
        Assert.Equal(BatchStatus.Active, firstStatus.Status);

        var replacement = await session.Batches.CreateBatchAsync(
            new NewBatchRequest
            {
                DatasetId = dataset.Id,
                MultiLineJson = true,
                ReplacedBatchIds = [first.Id],
                Tags = new Dictionary<string, IReadOnlyList<string>> { ["source"] = ["crm", "nightly"] },
                ErrorDiagnostics = true,
            },
            None);

        var catalog = await emulator.CatalogBatchAsync(replacement.Id);
        var replay = catalog.GetProperty("replay");
        Assert.Equal(["$" + first.Id], replay.GetProperty("predecessors").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("replace", replay.GetProperty("reason").GetString());
        var tags = catalog.GetProperty("tags");
        Assert.Equal(["crm", "nightly"], tags.GetProperty("source").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["true"], tags.GetProperty("acp_enableErrorDiagnostics").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task A_predecessor_given_with_its_dollar_sign_is_not_doubled()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var (first, _) = await session.IngestAsync(dataset.Id, Samples.Profiles, multiLine: true);

        var replacement = await session.Batches.CreateBatchAsync(
            new NewBatchRequest { DatasetId = dataset.Id, ReplacedBatchIds = ["$" + first.Id], ReplayReason = "correction" },
            None);

        var replay = (await emulator.CatalogBatchAsync(replacement.Id)).GetProperty("replay");
        Assert.Equal(["$" + first.Id], replay.GetProperty("predecessors").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("correction", replay.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("../other")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task A_malformed_predecessor_is_refused_before_any_request(string predecessor)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.CreateBatchAsync(
            new NewBatchRequest { DatasetId = "5da9452f7de80400007ac52a", ReplacedBatchIds = [predecessor] }, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("Replace", ex.Message);
        Assert.Empty(handler.PlatformRequests);
    }

    [Fact]
    public async Task A_json_array_without_the_multi_line_flag_fails_with_errors()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();

        var (_, status) = await session.IngestAsync(dataset.Id, Samples.Profiles, multiLine: false);

        Assert.Equal(BatchStatus.Failed, status.Status);
        Assert.True(status.IsTerminal);
        Assert.False(status.IsSuccess);
        Assert.NotEmpty(status.Errors);
        Assert.All(status.Errors, e => Assert.False(string.IsNullOrEmpty(e.Code)));
        Assert.All(status.Errors, e => Assert.False(string.IsNullOrEmpty(e.Description)));
    }

    [Fact]
    public async Task Records_that_do_not_match_the_schema_fail_the_batch_with_row_numbers()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        using var dir = new TempDirectory();
        var file = dir.Write("bad.json", string.Join('\n',
            """{"_id":"p1","loyalty":{"points":"many"}}""",
            """{"_id":"p2","loyalty":{"points":"lots"}}""",
            """{"_id":"p3","loyalty":{"points":"plenty"}}""") + "\n");

        var (_, status) = await session.IngestAsync(dataset.Id, file);

        Assert.Equal(BatchStatus.Failed, status.Status);
        Assert.Equal(3, status.FailedRecords);
        var error = Assert.Single(status.Errors);
        Assert.Contains("points", error.Description);
        Assert.Equal(["1", "2", "3"], error.Rows);
    }

    [Fact]
    public async Task Abort_while_loading_aborts()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        await session.UploadAsync(batch, Samples.Profiles);

        await session.Batches.AbortBatchAsync(batch.Id, None);

        var status = await session.Catalog.GetBatchStatusAsync(batch.Id, None);
        Assert.Equal(BatchStatus.Aborted, status.Status);
        Assert.True(status.IsTerminal);
    }

    [Fact]
    public async Task Abort_after_active_is_an_invalid_state()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var (batch, status) = await session.IngestAsync(dataset.Id, Samples.Profiles, multiLine: true);
        Assert.Equal(BatchStatus.Active, status.Status);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.AbortBatchAsync(batch.Id, None));

        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(batch.Id, ex.Target);
        Assert.Contains("ABORT", ex.Message);
        Assert.False(string.IsNullOrEmpty(ex.ServiceErrorCode));
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.Equal(BatchStatus.Active, (await session.Catalog.GetBatchStatusAsync(batch.Id, None)).Status);
    }

    [Fact]
    public async Task Revert_of_an_active_batch_makes_it_inactive()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.LoyaltyDatasetAsync();
        var (batch, _) = await session.IngestAsync(dataset.Id, Samples.Loyalty, IngestFormat.Csv);

        await session.Batches.RevertBatchAsync(batch.Id, None);

        var status = await session.Catalog.GetBatchStatusAsync(batch.Id, None);
        Assert.Equal(BatchStatus.Inactive, status.Status);
        Assert.True(status.IsTerminal);
        Assert.False(status.IsSuccess);
    }

    [Fact]
    public async Task Complete_twice_is_fine()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);
        await session.UploadAsync(batch, Samples.Profiles);

        await session.Batches.CompleteBatchAsync(batch.Id, None);
        await session.Batches.CompleteBatchAsync(batch.Id, None);
        var status = await session.Catalog.WaitForBatchAsync(batch.Id, TestEmulator.FastWait, null, None);
        await session.Batches.CompleteBatchAsync(batch.Id, None);

        Assert.Equal(BatchStatus.Active, status.Status);
        Assert.Equal(Samples.ProfileRecords, status.Records);
    }

    [Fact]
    public async Task Upload_after_complete_is_refused_naming_the_state()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var (batch, _) = await session.IngestAsync(dataset.Id, Samples.Profiles, multiLine: true);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.UploadAsync(batch, Samples.Profiles, "late.json"));

        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("active", ex.ServiceMessage);
        Assert.Contains($"Batch '{batch.Id}' is active, not loading", ex.Message);
        Assert.Equal(Samples.Profiles, ex.Target);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_to_an_aborted_batch_is_an_invalid_state_whole_or_chunked(bool chunked)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        await session.Batches.AbortBatchAsync(batch.Id, None);
        var options = chunked ? new UploadOptions { ChunkThreshold = 0, ChunkSize = UploadOptions.MinChunkSize } : null;

        var ex = await Assert.ThrowsAsync<IngestionException>(() =>
            session.Batches.UploadFileAsync(batch.Id, dataset.Id, Samples.Profiles, null, options, null, None));

        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains($"Batch '{batch.Id}' is aborted, not loading", ex.Message);
        Assert.Contains(Samples.Profiles, ex.Message);
    }

    [Fact]
    public async Task A_400_about_the_file_in_a_loading_batch_stays_an_invalid_argument()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var other = await session.Catalog.CreateDatasetAsync("Other", Samples.ProfileSchema, null, None);
        var batch = await session.NewBatchAsync(dataset.Id);

        // The batch is loading; the dataset named with it is not the batch's.
        var ex = await Assert.ThrowsAsync<IngestionException>(() =>
            session.Batches.UploadFileAsync(batch.Id, other.Id, Samples.Profiles, null, null, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain("not loading", ex.Message);
    }

    [Fact]
    public async Task Complete_of_an_aborted_batch_is_an_invalid_state()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        await session.Batches.AbortBatchAsync(batch.Id, None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.CompleteBatchAsync(batch.Id, None));

        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("COMPLETE", ex.Message);
    }

    [Fact]
    public async Task Unknown_batch_is_not_found_for_status_complete_abort_and_upload()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.ProfileDatasetAsync();

        var status = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync(UnknownBatch, None));
        var complete = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.CompleteBatchAsync(UnknownBatch, None));
        var abort = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.AbortBatchAsync(UnknownBatch, None));
        var upload = await Assert.ThrowsAsync<IngestionException>(() =>
            session.Batches.UploadFileAsync(UnknownBatch, dataset.Id, Samples.Profiles, null, null, None));

        foreach (var ex in new[] { status, complete, abort, upload })
        {
            Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
            Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
            Assert.False(string.IsNullOrEmpty(ex.RequestId));
            Assert.Contains(UnknownBatch, ex.Message);
        }

        Assert.Equal(UnknownBatch, status.Target);
        Assert.Equal(UnknownBatch, complete.Target);
        Assert.Equal(Samples.Profiles, upload.Target);
    }

    [Fact]
    public async Task Unknown_dataset_is_not_found_on_create()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.NewBatchAsync("5da9452f7de80400007ac52a"));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("5da9452f7de80400007ac52a", ex.Target);
        Assert.Contains("5da9452f7de80400007ac52a", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a?action=ABORT")]
    [InlineData("..")]
    public async Task Malformed_ids_are_refused_before_any_request(string id)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        var failures = new[]
        {
            await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync(id, None)),
            await Assert.ThrowsAsync<IngestionException>(() => session.Batches.CompleteBatchAsync(id, None)),
            await Assert.ThrowsAsync<IngestionException>(() => session.Batches.RevertBatchAsync(id, None)),
            await Assert.ThrowsAsync<IngestionException>(() => session.NewBatchAsync(id)),
            await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetDatasetAsync(id, None)),
            await Assert.ThrowsAsync<IngestionException>(() => session.Batches.UploadFileAsync(id, "ds", Samples.Profiles, null, null, None)),
        };

        Assert.All(failures, ex => Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind));
        Assert.Empty(handler.PlatformRequests);
    }
}
