using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Ingestion.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests.DataCloud;

/// <summary>Bulk jobs: every transition, the errors, listing, the 100-file rule, the session's job limits and 429s.</summary>
public class DataCloudJobTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_job_goes_from_open_to_upload_complete_and_is_deleted()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var client = session.DataCloud;

        var job = await client.CreateJobAsync("orders", "emulator_connector", DataCloudOperation.Upsert, true, null, None);
        Assert.Equal("Open", job.State);
        Assert.Equal("orders", job.Object);
        Assert.Equal("emulator_connector", job.SourceName);
        Assert.Equal("upsert", job.Operation);
        Assert.Equal(job.Id, job.BatchId);
        var create = JsonNode.Parse(dc.Bodies.First())!;
        Assert.Equal("upsert", create["operation"]!.GetValue<string>());
        Assert.Equal("orders", create["object"]!.GetValue<string>());
        Assert.Equal("emulator_connector", create["sourceName"]!.GetValue<string>());

        var csv = dc.Temp.Write("orders.csv", "order_id,amount\n1,10\n2,20\n");
        var sent = await client.SendCsvAsync(job, csv, new DataCloudUploadOptions(), None);
        Assert.Equal(job.Id, Assert.Single(sent).BatchId);
        Assert.Equal("text/csv", Assert.Single(dc.UploadContentTypes));
        Assert.Equal("order_id,amount\n1,10\n2,20\n", Encoding.UTF8.GetString(Assert.Single(dc.Uploads[job.Id])));

        var closed = await client.CloseJobAsync(job.Id, None);
        Assert.Equal("UploadComplete", closed.State);
        Assert.Equal("{\"state\":\"UploadComplete\"}", dc.Bodies.Last());
        Assert.Contains(dc.Handler.Requests, r => r.Method == HttpMethod.Patch && r.Path == $"/api/v1/ingest/jobs/{job.Id}");

        await client.DeleteJobAsync(job.Id, None);
        Assert.False(dc.Jobs.ContainsKey(job.Id));
        Assert.Equal(1, dc.Handler.Count(HttpMethod.Delete, "/api/v1/ingest/jobs/"));
    }

    [Fact]
    public async Task Abort_sets_aborted_and_a_closed_job_takes_no_more_files()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var aborted = await session.DataCloud.AbortJobAsync(job.Id, None);
        Assert.Equal("Aborted", aborted.State);
        Assert.True(aborted.IsTerminal);
        Assert.Equal("{\"state\":\"Aborted\"}", dc.Bodies.Last());

        var csv = dc.Temp.Write("a.csv", "order_id\n1\n");
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.SendCsvAsync(aborted, csv, new DataCloudUploadOptions(), None));
        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.Contains("Aborted", ex.Message);
    }

    [Fact]
    public async Task Deleting_an_open_job_is_refused_naming_its_state_without_a_delete()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.DeleteJobAsync(job.Id, None));
        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
        Assert.Contains("'Open'", ex.Message);
        Assert.Equal(0, dc.Handler.Count(HttpMethod.Delete, "/api/"));
    }

    [Fact]
    public async Task Service_errors_in_salesforces_list_shape_keep_code_and_message()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.GetJobAsync("nope", None));
        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal("NOT_FOUND", ex.ServiceErrorCode);
        Assert.Equal("The requested resource does not exist", ex.ServiceMessage);
        Assert.Contains("nope", ex.Message);

        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        await session.DataCloud.CloseJobAsync(job.Id, None);
        var conflict = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.AbortJobAsync(job.Id, None));
        Assert.Equal(IngestErrorKind.InvalidState, conflict.Kind);
        Assert.Equal("INVALID_STATE", conflict.ServiceErrorCode);
    }

    [Fact]
    public async Task Waiting_ends_at_a_terminal_state()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        await session.DataCloud.CloseJobAsync(job.Id, None);
        var polls = 0;
        dc.Override = (request, _) =>
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith(job.Id, StringComparison.Ordinal) && ++polls == 3)
            {
                dc.Jobs[job.Id]["state"] = "JobComplete";
            }

            return null;
        };
        var seen = new List<string?>();
        var final = await session.DataCloud.WaitForJobAsync(job.Id, TestEmulator.FastWait, new SyncProgress<DataCloudJob>(j => seen.Add(j.State)), None);
        Assert.Equal("JobComplete", final.State);
        Assert.True(final.IsSuccess);
        Assert.Equal(["UploadComplete", "UploadComplete", "JobComplete"], seen);
    }

    [Fact]
    public async Task Listing_pages_with_limit_and_offset_and_filters_states()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var limiter = session.DataCloud.Limiter = new DataCloudJobLimiter(TimeProvider.System, 1000, 1000);
        for (var i = 0; i < 130; i++)
        {
            var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
            if (i % 2 == 0)
            {
                await session.DataCloud.CloseJobAsync(job.Id, None);
            }
        }

        var all = new List<DataCloudJob>();
        await foreach (var job in session.DataCloud.ListJobsAsync(null, null, null, None))
        {
            all.Add(job);
        }

        Assert.Equal(130, all.Count);
        var lists = dc.Handler.Requests.Where(r => r.Method == HttpMethod.Get && r.Path == "/api/v1/ingest/jobs").Select(r => r.Uri.Query).ToList();
        Assert.Equal(["?limit=100&offset=0", "?limit=100&offset=100"], lists);

        var open = new List<DataCloudJob>();
        await foreach (var job in session.DataCloud.ListJobsAsync(["open"], 7, null, None))
        {
            open.Add(job);
        }

        Assert.Equal(7, open.Count);
        Assert.All(open, j => Assert.Equal("Open", j.State));
        Assert.EndsWith("?limit=7&offset=0&states=Open", dc.Handler.Requests.Last().Uri.Query);
        await Assert.ThrowsAsync<IngestionException>(async () =>
        {
            await foreach (var _ in session.DataCloud.ListJobsAsync(["Done"], null, null, None))
            {
            }
        });
    }

    [Fact]
    public async Task Listing_all_reads_every_page_by_created_date_before_returning_newest_first()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        session.DataCloud.Limiter = new DataCloudJobLimiter(TimeProvider.System, 1000, 1000);
        for (var i = 0; i < 130; i++)
        {
            await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        }

        var newest = await session.DataCloud.ListAllJobsAsync(null, null, descending: true, first: 3, None);
        Assert.Equal(["job-130", "job-129", "job-128"], newest.Select(j => j.Id));
        var lists = dc.Handler.Requests.Where(r => r.Method == HttpMethod.Get && r.Path == "/api/v1/ingest/jobs").Select(r => r.Uri.Query).ToList();
        Assert.Equal(["?limit=100&offset=0&orderBy=createdDate", "?limit=100&offset=100&orderBy=createdDate"], lists);

        // Every job is in the answer even when the caller removes each one as it goes: the pages were all read first.
        var all = await session.DataCloud.ListAllJobsAsync(null, null, descending: false, first: null, None);
        Assert.Equal(130, all.Count);
        Assert.Equal("job-1", all[0].Id);
        foreach (var job in all)
        {
            await session.DataCloud.AbortJobAsync(job.Id, None);
            await session.DataCloud.DeleteJobAsync(job.Id, None);
        }

        Assert.Empty(dc.Jobs);
    }

    [Fact]
    public async Task The_101st_file_of_a_job_is_refused_or_with_auto_split_continues_in_a_new_job()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync(maxUpload: 40);
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        // Header "id\n" (3 bytes) + rows of 10 bytes: three rows a part; 303 rows make 101 parts.
        var rows = string.Concat(Enumerable.Range(0, 303).Select(i => $"{i:D9}\n"));
        var csv = dc.Temp.Write("big.csv", "id\n" + rows);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.SendCsvAsync(job, csv, new DataCloudUploadOptions(), None));
        Assert.True(DataCloudClient.IsJobFileLimitReached(ex));
        Assert.Contains("100 files", ex.Message);
        Assert.Equal(100, dc.Uploads[job.Id].Count);

        var job2 = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var warnings = new List<string>();
        var results = await session.DataCloud.SendCsvAsync(job2, csv, new DataCloudUploadOptions { AutoSplitJobs = true, Warnings = new SyncProgress<string>(warnings.Add) }, None);
        Assert.Equal(101, results.Count);
        var next = results[^1].BatchId;
        Assert.NotEqual(job2.Id, next);
        Assert.Equal("UploadComplete", dc.Jobs[job2.Id]["state"]!.GetValue<string>());
        Assert.Single(dc.Uploads[next]);
        Assert.Contains(warnings, w => w.Contains(next, StringComparison.Ordinal) && w.Contains(job2.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_services_file_limit_refusal_keeps_the_job_and_with_auto_split_continues_in_a_new_job()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        // Another process already filled the job up to 99 files: the service refuses the second file sent here.
        var puts = 0;
        dc.Override = (request, _) => request.Method == HttpMethod.Put && dc.Uploads.Values.Sum(u => u.Count) >= 1 && Interlocked.Increment(ref puts) == 1
            ? RecordingHandler.Respond(HttpStatusCode.BadRequest, "[{\"errorCode\":\"LIMIT_EXCEEDED\",\"message\":\"Job already holds 100 files\"}]")
            : null;
        var csv = dc.Temp.Write("a.csv", "id\n1\n");
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        await session.DataCloud.SendCsvAsync(job, csv, new DataCloudUploadOptions(), None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.SendCsvAsync(job, csv, new DataCloudUploadOptions(), None));
        Assert.True(DataCloudClient.IsJobFileLimitReached(ex));
        Assert.Null(ex.Data[DataCloudClient.AbortedJobKey]);
        Assert.Equal("Open", dc.Jobs[job.Id]["state"]!.GetValue<string>());
        Assert.Single(dc.Uploads[job.Id]);
        Assert.Equal(DataCloudClient.MaxFilesPerJob, session.DataCloud.FilesSentTo(job.Id));

        // From now on the job counts as full here too: refused without a PUT.
        var putsBefore = dc.Handler.Count(HttpMethod.Put, "/api/");
        await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.SendCsvAsync(job, csv, new DataCloudUploadOptions(), None));
        Assert.Equal(putsBefore, dc.Handler.Count(HttpMethod.Put, "/api/"));

        // With -AutoSplitJobs the refused file goes to a new job, and the full one is closed with its files.
        var job2 = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        puts = 0;
        var results = await session.DataCloud.SendCsvAsync(job2, csv, new DataCloudUploadOptions { AutoSplitJobs = true }, None);
        var next = Assert.Single(results).BatchId;
        Assert.NotEqual(job2.Id, next);
        Assert.Equal("UploadComplete", dc.Jobs[job2.Id]["state"]!.GetValue<string>());
        Assert.Single(dc.Uploads[next]);
    }

    [Fact]
    public async Task Completing_a_job_already_closed_returns_its_state_and_an_aborted_one_is_refused()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        await session.DataCloud.CloseJobAsync(job.Id, None);
        var again = await session.DataCloud.CompleteJobAsync(job.Id, None);
        Assert.Equal("UploadComplete", again.State);

        var aborted = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        await session.DataCloud.AbortJobAsync(aborted.Id, None);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.CompleteJobAsync(aborted.Id, None));
        Assert.Equal(IngestErrorKind.InvalidState, ex.Kind);
    }

    [Fact]
    public async Task Cancelling_an_upload_aborts_the_job_it_was_sending_to()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var csv = dc.Temp.Write("a.csv", "id\n1\n");

        // Ctrl+C while the file is on its way: the caller's token is cancelled during the PUT.
        async Task CancelDuringPutAsync(DataCloudJob target, DataCloudUploadOptions options)
        {
            using var cts = new CancellationTokenSource();
            dc.Override = (request, _) =>
            {
                if (request.Method == HttpMethod.Put)
                {
                    cts.Cancel();
                    throw new OperationCanceledException(cts.Token);
                }

                return null;
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.DataCloud.SendCsvAsync(target, csv, options, cts.Token));
        }

        await CancelDuringPutAsync(job, new DataCloudUploadOptions());
        Assert.Equal("Aborted", dc.Jobs[job.Id]["state"]!.GetValue<string>());

        var kept = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        await CancelDuringPutAsync(kept, new DataCloudUploadOptions { KeepOpenOnError = true });
        Assert.Equal("Open", dc.Jobs[kept.Id]["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_upload_aborts_the_job_unless_kept_open()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var csv = dc.Temp.Write("a.csv", "id\n1\n");
        dc.Override = (request, _) => request.Method == HttpMethod.Put
            ? RecordingHandler.Respond(HttpStatusCode.BadRequest, "[{\"errorCode\":\"INVALID_CSV\",\"message\":\"bad\"}]")
            : null;

        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.SendCsvAsync(job, csv, new DataCloudUploadOptions(), None));
        Assert.Equal(job.Id, ex.Data[DataCloudClient.AbortedJobKey]);
        Assert.Equal("Aborted", dc.Jobs[job.Id]["state"]!.GetValue<string>());
        Assert.Equal("INVALID_CSV", ex.ServiceErrorCode);

        var kept = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.SendCsvAsync(kept, csv, new DataCloudUploadOptions { KeepOpenOnError = true }, None));
        Assert.Equal("Open", dc.Jobs[kept.Id]["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_429_on_a_create_is_sent_again_after_retry_after()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var posts = 0;
        dc.Override = (request, _) => request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/v1/ingest/jobs" && Interlocked.Increment(ref posts) == 1
            ? RecordingHandler.Respond((HttpStatusCode)429, "[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}]", r => r.Headers.TryAddWithoutValidation("Retry-After", "1"))
            : null;
        var started = DateTime.UtcNow;
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        Assert.Equal("Open", job.State);
        Assert.Equal(2, posts);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
        Assert.Single(dc.Jobs);
    }

    [Fact]
    public async Task A_429_on_a_read_is_retried_by_the_chain_and_a_lasting_429_is_rate_limited()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var gets = 0;
        dc.Override = (request, _) => request.Method == HttpMethod.Get && Interlocked.Increment(ref gets) <= 2
            ? RecordingHandler.Respond((HttpStatusCode)429, "[]", r => r.Headers.TryAddWithoutValidation("Retry-After", "0"))
            : null;
        Assert.Equal("Open", (await session.DataCloud.GetJobAsync(job.Id, None)).State);
        Assert.Equal(3, gets);

        dc.Override = (request, _) => request.Method == HttpMethod.Get
            ? RecordingHandler.Respond((HttpStatusCode)429, "[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}]", r => r.Headers.TryAddWithoutValidation("Retry-After", "0"))
            : null;
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.GetJobAsync(job.Id, None));
        Assert.Equal(IngestErrorKind.RateLimited, ex.Kind);
        Assert.False(DataCloudClient.IsJobLimitReached(ex));
    }

    [Fact]
    public async Task A_closed_job_holds_its_slot_until_processed_and_the_waiting_creation_polls_it()
    {
        using var dc = new FakeDataCloud();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var session = await dc.ConnectAsync(time);
        var jobs = new List<DataCloudJob>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add(await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None));
        }

        // UploadComplete still counts: the service runs Open, UploadComplete and InProgress jobs at once.
        await session.DataCloud.CloseJobAsync(jobs[0].Id, None);
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None));
        Assert.True(DataCloudClient.IsJobLimitReached(ex));
        Assert.Equal(5, dc.Jobs.Count);

        var waits = new List<DataCloudLimitWait>();
        var sixth = session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, false, new SyncProgress<DataCloudLimitWait>(waits.Add), None);
        await Task.Delay(200);
        Assert.False(sixth.IsCompleted);
        var polls = dc.Handler.Requests.Count(r => r.Method == HttpMethod.Get && r.Path == $"/api/v1/ingest/jobs/{jobs[0].Id}");
        Assert.True(polls >= 1);

        // Processed: the next poll sees it and frees its slot.
        dc.Jobs[jobs[0].Id]["state"] = "JobComplete";
        time.Advance(session.DataCloud.Limiter.PollInterval);
        Assert.Equal("Open", (await sixth.WaitAsync(TimeSpan.FromSeconds(10))).State);
        Assert.Contains("UploadComplete", Assert.Single(waits).Reason);
    }

    [Fact]
    public async Task When_every_slot_is_held_by_an_open_job_the_creation_fails_at_once_naming_them()
    {
        using var dc = new FakeDataCloud();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var session = await dc.ConnectAsync(time);
        var jobs = new List<DataCloudJob>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add(await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None));
        }

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, false, null, None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(DataCloudClient.IsJobLimitReached(ex));
        Assert.All(jobs, j => Assert.Contains(j.Id, ex.Message));
        Assert.Equal(5, dc.Jobs.Count);

        // A job aborted from another process (or the UI) frees its slot: the poll finds it.
        dc.Jobs[jobs[3].Id]["state"] = "Aborted";
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, false, null, None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Open", job.State);
        Assert.False(session.DataCloud.Limiter.IsTracked(jobs[3].Id));
    }

    [Fact]
    public async Task A_wait_for_a_slot_ends_at_the_timeout()
    {
        using var dc = new FakeDataCloud();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var session = await dc.ConnectAsync(time);
        for (var i = 0; i < 5; i++)
        {
            var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
            await session.DataCloud.CloseJobAsync(job.Id, None);
        }

        var sixth = session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, false, null, TimeSpan.FromSeconds(30), None);
        for (var i = 0; i < 4 && !sixth.IsCompleted; i++)
        {
            await Task.Delay(200);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        var ex = await Assert.ThrowsAsync<IngestionException>(() => sixth.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(IngestErrorKind.Timeout, ex.Kind);
        Assert.True(DataCloudClient.IsJobLimitReached(ex));
        Assert.Equal(5, dc.Jobs.Count);
    }

    [Fact]
    public async Task A_429_on_a_create_is_reported_through_the_limit_progress()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var posts = 0;
        dc.Override = (request, _) => request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/v1/ingest/jobs" && Interlocked.Increment(ref posts) == 1
            ? RecordingHandler.Respond((HttpStatusCode)429, "[{\"errorCode\":\"LIMIT_EXCEEDED\",\"message\":\"too many jobs\"}]", r => r.Headers.TryAddWithoutValidation("Retry-After", "0"))
            : null;
        var waits = new List<DataCloudLimitWait>();
        await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, false, new SyncProgress<DataCloudLimitWait>(waits.Add), None);
        Assert.Contains("429", Assert.Single(waits).Reason);
        Assert.NotNull(waits[0].Until);
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_reconciled_with_the_job_it_made()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var posts = 0;
        dc.Override = (request, _) =>
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/v1/ingest/jobs" && Interlocked.Increment(ref posts) == 1)
            {
                // The service made the job, then the answer was lost.
                dc.Jobs["job-900"] = new JsonObject
                {
                    ["id"] = "job-900", ["operation"] = "upsert", ["object"] = "orders", ["sourceName"] = "src", ["state"] = "Open",
                    ["createdDate"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                };
                return RecordingHandler.Respond(HttpStatusCode.BadGateway, "<html>bad gateway</html>");
            }

            return null;
        };
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        Assert.Equal("job-900", job.Id);
        Assert.Equal(1, posts);
        Assert.True(session.DataCloud.Limiter.IsTracked("job-900"));
    }

    [Fact]
    public async Task A_create_that_failed_with_a_502_and_made_nothing_is_sent_again()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var posts = 0;
        dc.Override = (request, _) => request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/v1/ingest/jobs" && Interlocked.Increment(ref posts) == 1
            ? RecordingHandler.Respond(HttpStatusCode.BadGateway, "<html>bad gateway</html>")
            : null;
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        Assert.Equal(2, posts);
        Assert.Single(dc.Jobs);
        Assert.Equal(job.Id, dc.Jobs.Keys.Single());
    }

    [Fact]
    public async Task A_lost_create_that_cannot_be_looked_up_says_a_job_may_exist()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        dc.Override = (request, _) => request.RequestUri!.AbsolutePath == "/api/v1/ingest/jobs"
            ? RecordingHandler.Respond(HttpStatusCode.BadGateway, "<html>bad gateway</html>")
            : null;
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None));
        Assert.Contains("may have been created", ex.Message);
        Assert.Contains("Get-IngestBatch -State Open", ex.RecommendedAction);
        Assert.Equal(1, dc.Handler.Count(HttpMethod.Post, "/api/v1/ingest/jobs"));
    }

    [Fact]
    public async Task An_upload_whose_answer_was_lost_is_not_sent_again_and_says_why()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var csv = dc.Temp.Write("a.csv", "id\n1\n");
        dc.Override = (request, _) => request.Method == HttpMethod.Put ? RecordingHandler.Respond(HttpStatusCode.ServiceUnavailable, "[]") : null;
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.SendCsvAsync(job, csv, new DataCloudUploadOptions { KeepOpenOnError = true }, None));
        Assert.Contains("not sent again", ex.Message);
        Assert.Equal(1, dc.Handler.Count(HttpMethod.Put, "/api/"));
    }

    [Fact]
    public async Task Reads_state_changes_and_deletes_are_retried_on_a_502_and_a_reset()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        var job = await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
        var failures = new Dictionary<HttpMethod, int>();
        dc.Override = (request, _) =>
        {
            if (request.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) && request.Method != HttpMethod.Post)
            {
                lock (failures)
                {
                    var n = failures[request.Method] = failures.GetValueOrDefault(request.Method) + 1;
                    if (n == 1)
                    {
                        return RecordingHandler.Respond(HttpStatusCode.BadGateway, "<html>bad gateway</html>");
                    }

                    if (n == 2)
                    {
                        throw new HttpRequestException("connection reset", new IOException("reset"));
                    }
                }
            }

            return null;
        };

        Assert.Equal("Open", (await session.DataCloud.GetJobAsync(job.Id, None)).State);
        Assert.Equal("UploadComplete", (await session.DataCloud.CloseJobAsync(job.Id, None)).State);
        await session.DataCloud.DeleteJobAsync(job.Id, None);
        Assert.Equal(3, failures[HttpMethod.Patch]);
        Assert.Equal(3, failures[HttpMethod.Delete]);
        Assert.False(dc.Jobs.ContainsKey(job.Id));
    }

    [Fact]
    public async Task A_refused_create_does_not_hold_a_slot()
    {
        using var dc = new FakeDataCloud();
        using var session = await dc.ConnectAsync();
        session.DataCloud.Limiter = new DataCloudJobLimiter(TimeProvider.System, maxOpen: 1, maxPerHour: 1);
        dc.Override = (request, _) => request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/v1/ingest/jobs"
            ? RecordingHandler.Respond(HttpStatusCode.BadRequest, "[{\"errorCode\":\"INVALID_OBJECT\",\"message\":\"no such object\"}]")
            : null;
        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.DataCloud.CreateJobAsync("nope", "src", DataCloudOperation.Upsert, true, null, None));
        Assert.Equal("INVALID_OBJECT", ex.ServiceErrorCode);
        Assert.Contains("no such object", ex.Message);
        dc.Override = null;
        await session.DataCloud.CreateJobAsync("orders", "src", DataCloudOperation.Upsert, true, null, None);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
