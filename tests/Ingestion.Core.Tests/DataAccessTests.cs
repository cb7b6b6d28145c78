using System.Net;
using System.Text;
using Ingestion.Core.Aep;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>The Data Access client: failed files and row-level errors of rejected batches, against the emulator.</summary>
public class DataAccessTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Header = "customerId,tier,points";

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var all = new List<T>();
        await foreach (var item in items)
        {
            all.Add(item);
        }

        return all;
    }

    /// <summary>A loyalty CSV batch with the given files, completed and waited for.</summary>
    private static async Task<IngestBatch> FailedCsvBatchAsync(IngestSession session, TempDirectory files, bool diagnostics, params (string Name, string Content)[] contents)
    {
        var dataset = await session.LoyaltyDatasetAsync();
        var batch = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, Format = IngestFormat.Csv, ErrorDiagnostics = diagnostics }, None);
        foreach (var (name, content) in contents)
        {
            var path = Path.Combine(files.Path, name);
            await File.WriteAllTextAsync(path, content);
            await session.UploadAsync(batch, path);
        }

        var status = await session.CompleteAndWaitAsync(batch);
        Assert.Equal(BatchStatus.Failed, status.Status);
        return batch;
    }

    [Fact]
    public async Task Row_errors_of_a_csv_batch_name_the_file_row_code_and_record()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        using var files = new TempDirectory();
        var batch = await FailedCsvBatchAsync(session, files, diagnostics: true, ("points.csv", $"{Header}\nC1,gold,1200\nC2,silver,lots\n"));

        var error = Assert.Single(await ListAsync(session.DataAccess.GetRowErrorsAsync(batch.Id, None)));

        Assert.Equal(batch.Id, error.BatchId);
        Assert.Equal("points.csv", error.File);
        Assert.Equal(2, error.Row);
        Assert.Equal("1402", error.Code);
        Assert.Contains("'points'", error.Message);
        Assert.Equal("C2,silver,lots", error.Record);
        Assert.Equal("row_errors/conversion_errors_0.json", error.Source);
        Assert.StartsWith("points.csv:2: [1402] Field 'points'", error.ToString());
    }

    [Fact]
    public async Task A_row_with_several_wrong_fields_gives_one_error_each_and_listings_show_the_files()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        using var files = new TempDirectory();
        var batch = await FailedCsvBatchAsync(session, files, diagnostics: true,
            ("a.csv", $"{Header},lastPurchase\nC1,gold,x,yesterday\nC2,gold,1\n"));

        var errors = await ListAsync(session.DataAccess.GetRowErrorsAsync(batch.Id, None));
        var meta = await ListAsync(session.DataAccess.ListMetaAsync(batch.Id, DataAccessClient.RowErrorsPath, None));

        Assert.Equal(3, errors.Count);
        Assert.Equal([1, 1, 2], errors.Select(e => e.Row!.Value));
        Assert.Contains("'points'", errors[0].Message);
        Assert.Contains("'lastPurchase'", errors[1].Message);
        Assert.Equal("1401", errors[2].Code);
        Assert.Equal(["conversion_errors_0.json", "parsing_errors_0.json"], meta.Select(f => f.Name));
        Assert.All(meta, f => Assert.True(f.Length > 0));
        Assert.All(meta, f => Assert.Contains("meta?path=row_errors%2F", f.Href));
    }

    [Fact]
    public async Task Without_diagnostics_the_error_says_how_to_get_them()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        using var files = new TempDirectory();
        var batch = await FailedCsvBatchAsync(session, files, diagnostics: false, ("a.csv", $"{Header}\nC1,gold,x\n"));

        var ex = await Assert.ThrowsAsync<IngestionException>(() => ListAsync(session.DataAccess.GetRowErrorsAsync(batch.Id, None)));

        Assert.True(DataAccessClient.IsDiagnosticsNotEnabled(ex));
        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("INGEST-1211-400", ex.ServiceErrorCode);
        Assert.Equal(batch.Id, ex.Target);
        Assert.Contains("without error diagnostics", ex.Message);
        Assert.Contains("-ErrorDiagnostics", ex.RecommendedAction);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));

        // The failed files do not need diagnostics.
        var failed = Assert.Single(await ListAsync(session.DataAccess.GetFailedFilesAsync(batch.Id, None)));
        Assert.Equal("a.csv", failed.Name);
        Assert.Equal(Encoding.UTF8.GetByteCount($"{Header}\nC1,gold,x\n"), failed.Length);
    }

    [Fact]
    public async Task A_failed_file_downloads_as_it_was_sent()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        using var files = new TempDirectory();
        var content = $"{Header}\nC1,\"gold, ünïcode\",x\n";
        var batch = await FailedCsvBatchAsync(session, files, diagnostics: false, ("a b.csv", content));

        using var copy = new MemoryStream();
        var bytes = await session.DataAccess.DownloadFailedFileAsync(batch.Id, "a b.csv", copy, None);

        Assert.Equal(copy.Length, bytes);
        Assert.Equal(content, Encoding.UTF8.GetString(copy.ToArray()));
        var missing = await Assert.ThrowsAsync<IngestionException>(() => session.DataAccess.DownloadFailedFileAsync(batch.Id, "other.csv", Stream.Null, None));
        Assert.Equal(IngestErrorKind.NotFound, missing.Kind);
        Assert.Equal("other.csv", missing.Target);
    }

    [Fact]
    public async Task Failed_files_page_through_more_than_one_page()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var files = new TempDirectory();
        var batch = await FailedCsvBatchAsync(session, files, diagnostics: false,
            Enumerable.Range(0, 101).Select(i => ($"empty-{i:000}.csv", string.Empty)).ToArray());
        var before = handler.Requests.Count;

        var failed = await ListAsync(session.DataAccess.GetFailedFilesAsync(batch.Id, None));

        Assert.Equal(Enumerable.Range(0, 101).Select(i => $"empty-{i:000}.csv"), failed.Select(f => f.Name));
        var pages = handler.Requests.Skip(before).ToArray();
        Assert.Equal(2, pages.Length);
        Assert.Equal("?start=0&limit=100", pages[0].Uri.Query);
        Assert.Equal("?start=100&limit=100", pages[1].Uri.Query);
    }

    [Fact]
    public async Task A_batch_that_succeeded_has_nothing_to_report()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.LoyaltyDatasetAsync();
        var batch = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, Format = IngestFormat.Csv, ErrorDiagnostics = true }, None);
        await session.UploadAsync(batch, Samples.Loyalty);
        Assert.True((await session.CompleteAndWaitAsync(batch)).IsSuccess);

        Assert.Empty(await ListAsync(session.DataAccess.GetRowErrorsAsync(batch.Id, None)));
        Assert.Empty(await ListAsync(session.DataAccess.GetFailedFilesAsync(batch.Id, None)));
    }

    [Fact]
    public async Task An_unknown_batch_is_not_found_and_a_bad_id_never_leaves_the_machine()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        var missing = await Assert.ThrowsAsync<IngestionException>(() => ListAsync(session.DataAccess.GetRowErrorsAsync("NOSUCHBATCH", None)));
        Assert.Equal(IngestErrorKind.NotFound, missing.Kind);

        var before = handler.PlatformRequests.Count;
        var invalid = await Assert.ThrowsAsync<IngestionException>(() => ListAsync(session.DataAccess.GetFailedFilesAsync("../catalog", None)));
        Assert.Equal(IngestErrorKind.InvalidArgument, invalid.Kind);
        Assert.Equal(before, handler.PlatformRequests.Count);
    }

    [Fact]
    public async Task Listing_and_reading_are_retried_like_any_read()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        using var files = new TempDirectory();
        var batch = await FailedCsvBatchAsync(session, files, diagnostics: true, ("a.csv", $"{Header}\nC1,gold,x\n"));
        var failures = 0;
        handler.Intercept = (request, _) => Task.FromResult(
            request.RequestUri!.AbsolutePath.Contains("/export/") && Interlocked.Increment(ref failures) % 2 == 1
                ? RecordingHandler.Respond(HttpStatusCode.BadGateway)
                : null);

        var error = Assert.Single(await ListAsync(session.DataAccess.GetRowErrorsAsync(batch.Id, None)));

        Assert.Equal("a.csv", error.File);
        Assert.Equal(4, handler.Count(HttpMethod.Get, "/export/"));
    }

    [Fact]
    public async Task Row_error_files_are_read_whatever_their_layout()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        const string body = """
            [
            {
                "_corrupt_record": "{missingQuotes: \"v1\"}",
                "_errors": [{ "code": 1401, "message": "Row is corrupted and cannot be read, please fix and resend." }],
                "_filename": "parsing_errors_0.json"
            },
            {"_corrupt_record":{"a":"} {"},"_errors":[],"_filename":"b.json","_row":"7"}
            ]
            not json at all
            {"_corrupt_record":"x","_errors":[{"code":"1","message":"one"},{"code":"2","message":"two"}]}
            """;
        handler.Intercept = (request, _) => Task.FromResult(
            request.RequestUri!.Query.Contains("row_errors%2Ferrors.json")
                ? RecordingHandler.Respond(HttpStatusCode.OK, body)
                : null);

        var errors = await ListAsync(session.DataAccess.ReadRowErrorsAsync("B1", "errors.json", None));

        Assert.Equal(5, errors.Count);
        Assert.Equal("1401", errors[0].Code);
        Assert.Equal("{missingQuotes: \"v1\"}", errors[0].Record);
        Assert.Equal("parsing_errors_0.json", errors[0].File);
        Assert.Null(errors[0].Row);
        Assert.Equal("b.json", errors[1].File);
        Assert.Equal(7, errors[1].Row);
        Assert.Null(errors[1].Code);
        Assert.Equal("""{"a":"} {"}""", errors[1].Record);
        Assert.Equal("not json at all", errors[2].Record);
        Assert.StartsWith("Line 9 of 'row_errors/errors.json'", errors[2].Message);
        Assert.Equal(["one", "two"], errors.Skip(3).Select(e => e.Message));
        Assert.All(errors, e => Assert.Equal("row_errors/errors.json", e.Source));
    }
}
