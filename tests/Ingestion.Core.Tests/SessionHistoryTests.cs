using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests;

/// <summary>What argument completion reads: small, bounded, newest first, and no request unless the listing is stale.</summary>
public class SessionHistoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async IAsyncEnumerable<IngestDataset> Datasets(params string[] ids)
    {
        foreach (var id in ids)
        {
            await Task.Yield();
            yield return new IngestDataset { Id = id, Name = "name of " + id };
        }
    }

    [Fact]
    public void Newest_first_and_a_seen_id_moves_to_the_front_keeping_its_description()
    {
        var history = new SessionHistory(new FakeTimeProvider());
        history.Record(HistoryKind.Batch, "B1", "loading");
        history.Record(HistoryKind.Batch, "B2", "loading");
        history.Record(HistoryKind.Batch, "B1");
        history.Record(HistoryKind.Mapping, "M1");

        Assert.Equal(["B1", "B2"], history.Recent(HistoryKind.Batch).Select(e => e.Id));
        Assert.Equal("loading", history.Recent(HistoryKind.Batch)[0].Description);
        Assert.Equal(["M1"], history.Recent(HistoryKind.Mapping).Select(e => e.Id));
        Assert.Empty(history.Recent(HistoryKind.DataCloudObject));
    }

    [Fact]
    public void Each_kind_is_bounded_and_forgets_the_oldest()
    {
        var history = new SessionHistory(new FakeTimeProvider());
        for (var i = 0; i < SessionHistory.Capacity + 50; i++)
        {
            history.Record(HistoryKind.Batch, $"B{i}");
        }

        var kept = history.Recent(HistoryKind.Batch);
        Assert.Equal(SessionHistory.Capacity, kept.Count);
        Assert.Equal($"B{SessionHistory.Capacity + 49}", kept[0].Id);
        Assert.DoesNotContain(kept, e => e.Id == "B0");
    }

    [Fact]
    public void Blank_ids_are_ignored()
    {
        var history = new SessionHistory(new FakeTimeProvider());
        history.Record(HistoryKind.Dataset, null);
        history.Record(HistoryKind.Dataset, " ");
        Assert.Empty(history.Datasets());
    }

    [Fact]
    public async Task Recording_from_many_threads_keeps_the_bound()
    {
        var history = new SessionHistory(new FakeTimeProvider());
        await Parallel.ForAsync(0, 2000, (i, token) =>
        {
            history.Record(HistoryKind.Batch, $"B{i % 400}");
            Assert.True(history.Recent(HistoryKind.Batch).Count <= SessionHistory.Capacity);
            return ValueTask.CompletedTask;
        });
        var kept = history.Recent(HistoryKind.Batch);
        Assert.Equal(SessionHistory.Capacity, kept.Count);
        Assert.Equal(kept.Count, kept.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task The_dataset_listing_runs_at_most_once_per_ttl()
    {
        var time = new FakeTimeProvider();
        var history = new SessionHistory(time);
        var listings = 0;
        IAsyncEnumerable<IngestDataset> List(CancellationToken token)
        {
            Interlocked.Increment(ref listings);
            return Datasets("D1", "D2");
        }

        await history.RefreshDatasetsIfStale(List)!;
        Assert.True(history.IsFresh(HistoryKind.Dataset));
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(history.RefreshDatasetsIfStale(List));
        }

        time.Advance(SessionHistory.ListingTtl - TimeSpan.FromSeconds(1));
        Assert.Null(history.RefreshDatasetsIfStale(List));
        Assert.Equal(1, listings);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(history.IsFresh(HistoryKind.Dataset));
        await history.RefreshDatasetsIfStale(List)!;
        Assert.Equal(2, listings);
        Assert.Equal(2, history.DatasetListFetches);
    }

    [Fact]
    public async Task Seen_datasets_come_before_listed_ones_without_repeats()
    {
        var history = new SessionHistory(new FakeTimeProvider());
        history.Record(new IngestDataset { Id = "D2", Name = "mine" });
        await history.RefreshDatasetsIfStale(_ => Datasets("D1", "D2", "D3"))!;

        var datasets = history.Datasets();
        Assert.Equal(["D2", "D1", "D3"], datasets.Select(e => e.Id));
        Assert.Equal("mine", datasets[0].Description);
        Assert.Equal("name of D1", datasets[1].Description);
    }

    [Fact]
    public async Task A_failed_listing_keeps_the_old_one_and_is_not_retried_before_the_ttl()
    {
        var time = new FakeTimeProvider();
        var history = new SessionHistory(time);
        await history.RefreshDatasetsIfStale(_ => Datasets("D1"))!;
        time.Advance(SessionHistory.ListingTtl);

        static async IAsyncEnumerable<IngestDataset> Failing([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
        {
            await Task.Yield();
            throw new Errors.IngestionException(Errors.IngestErrorKind.Service, "down");
#pragma warning disable CS0162 // An iterator needs a yield.
            yield break;
#pragma warning restore CS0162
        }

        await history.RefreshDatasetsIfStale(Failing)!;
        Assert.Equal(["D1"], history.Datasets().Select(e => e.Id));
        Assert.Null(history.RefreshDatasetsIfStale(Failing));
    }

    [Fact]
    public async Task Only_a_completion_before_the_first_listing_finished_waits_for_it_and_never_longer_than_asked()
    {
        var time = new FakeTimeProvider();
        var history = new SessionHistory(time);
        Assert.False(history.WaitForFirstListing(HistoryKind.Dataset, TimeSpan.FromSeconds(5)), "Nothing in flight: nothing to wait for.");

        var release = new TaskCompletionSource();
        async IAsyncEnumerable<IngestDataset> Gated([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
        {
            await release.Task.WaitAsync(token);
            yield return new IngestDataset { Id = "D1", Name = "listed" };
        }

        var pending = history.RefreshDatasetsIfStale(Gated)!;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(history.WaitForFirstListing(HistoryKind.Dataset, TimeSpan.FromMilliseconds(200)));
        Assert.InRange(clock.ElapsedMilliseconds, 150, 4000);

        _ = Task.Run(async () => { await Task.Delay(100); release.SetResult(); });
        clock.Restart();
        Assert.True(history.WaitForFirstListing(HistoryKind.Dataset, TimeSpan.FromSeconds(10)));
        Assert.InRange(clock.ElapsedMilliseconds, 0, 5000);
        Assert.Equal(["D1"], history.Datasets().Select(e => e.Id));
        await pending;

        // Once a listing has finished, a stale refresh in flight never holds a completion up.
        time.Advance(SessionHistory.ListingTtl);
        var never = new TaskCompletionSource();
        async IAsyncEnumerable<IngestDataset> Hanging([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
        {
            await never.Task.WaitAsync(token);
            yield break;
        }

        Assert.NotNull(history.RefreshDatasetsIfStale(Hanging));
        clock.Restart();
        Assert.True(history.WaitForFirstListing(HistoryKind.Dataset, TimeSpan.FromSeconds(10)));
        Assert.InRange(clock.ElapsedMilliseconds, 0, 100);
        history.Close();
    }

    [Fact]
    public async Task Closing_cancels_the_listing_in_flight_and_starts_no_more()
    {
        var history = new SessionHistory(new FakeTimeProvider());
        var cancelled = new TaskCompletionSource();
        async IAsyncEnumerable<IngestDataset> Hanging([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
        {
            using var _ = token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            yield break;
        }

        var pending = history.RefreshDatasetsIfStale(Hanging)!;
        history.Close();
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(history.Datasets());
        Assert.Null(history.RefreshIfStale(HistoryKind.Batch, _ => AsyncEnumerable.Empty<HistoryEntry>()));
        Assert.False(history.WaitForFirstListing(HistoryKind.Dataset, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Connecting_is_enough_to_fill_the_completion_listings_and_disposing_stops_them()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var maker = await emulator.ConnectAsync();
        var dataset = await maker.Catalog.CreateDatasetAsync("Early", Samples.ProfileSchema, null, None);
        var batch = await maker.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id }, None);

        var session = await emulator.ConnectAsync(new RecordingHandler(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        session.StartCompletionListings();
        Assert.Equal(1, session.History.DatasetListFetches);
        Assert.Equal(1, session.History.ListFetches(HistoryKind.Batch));
        Assert.True(session.History.WaitForFirstListing(HistoryKind.Dataset, TimeSpan.FromSeconds(10)));
        Assert.True(session.History.WaitForFirstListing(HistoryKind.Batch, TimeSpan.FromSeconds(10)));
        Assert.Contains(session.History.Datasets(), e => e.Id == dataset.Id);
        Assert.Contains(session.History.Candidates(HistoryKind.Batch), e => e.Id == batch.Id);

        session.Dispose();
        Assert.Null(session.RefreshDatasetHistory());
        Assert.Null(session.History.RefreshIfStale(HistoryKind.Batch, _ => AsyncEnumerable.Empty<HistoryEntry>()));
    }

    [Fact]
    public async Task The_session_remembers_what_its_clients_saw_and_lists_only_when_stale()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var recorder = new RecordingHandler();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var session = await emulator.ConnectAsync(recorder, time);

        var dataset = await session.Catalog.CreateDatasetAsync("History", Samples.ProfileSchema, null, None);
        var batch = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id }, None);
        await session.Catalog.GetBatchStatusAsync(batch.Id, None);

        Assert.Equal(dataset.Id, session.History.Datasets()[0].Id);
        Assert.Equal("History", session.History.Datasets()[0].Description);
        var seenBatch = Assert.Single(session.History.Recent(HistoryKind.Batch));
        Assert.Equal(batch.Id, seenBatch.Id);
        Assert.StartsWith("loading, " + dataset.Id, seenBatch.Description, StringComparison.Ordinal);

        var other = await session.Catalog.CreateDatasetAsync("Listed", Samples.ProfileSchema, null, None);
        var before = recorder.Requests.Count;
        await session.RefreshDatasetHistory()!;
        var afterListing = recorder.Requests.Count;
        // One listing (each create lists the datasets of its name first, to reconcile a lost answer; those are not counted).
        Assert.Equal(1, recorder.Requests.Skip(before).Count(r => r.Method == HttpMethod.Get && r.Path.EndsWith("/dataSets", StringComparison.Ordinal)));
        Assert.True(afterListing > before);

        // Warm: any number of completions reads memory only.
        for (var i = 0; i < 50; i++)
        {
            Assert.Null(session.RefreshDatasetHistory());
            _ = session.History.Datasets();
        }

        Assert.Equal(afterListing, recorder.Requests.Count);
        Assert.Contains(session.History.Datasets(), e => e.Id == other.Id);
    }

    [Fact]
    public async Task Recent_batches_of_the_catalog_follow_the_ones_this_session_saw()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var maker = await emulator.ConnectAsync();
        var dataset = await maker.Catalog.CreateDatasetAsync("Batches", Samples.ProfileSchema, null, None);
        var elsewhere = await maker.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id }, None);

        var recorder = new RecordingHandler();
        using var session = await emulator.ConnectAsync(recorder, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var mine = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id }, None);
        await session.RefreshBatchHistory()!;
        Assert.Null(session.RefreshBatchHistory());

        var candidates = session.History.Candidates(HistoryKind.Batch);
        Assert.Equal(mine.Id, candidates[0].Id);
        Assert.Contains(candidates, e => e.Id == elsewhere.Id && e.Description!.Contains(dataset.Id, StringComparison.Ordinal));
        Assert.Equal(candidates.Count, candidates.Select(e => e.Id).Distinct().Count());
        Assert.Equal(1, recorder.Count(HttpMethod.Get, "/catalog/batches"));
        Assert.Single(session.History.Recent(HistoryKind.Batch));
    }

    [Fact]
    public async Task Data_cloud_jobs_objects_and_sources_are_remembered_and_recent_jobs_listed_once()
    {
        using var dc = new DataCloud.FakeDataCloud();
        using var maker = await dc.ConnectAsync();
        var elsewhere = await maker.DataCloud.CreateJobAsync("orders", "emulator_connector", Core.DataCloud.DataCloudOperation.Upsert, true, null, None);

        using var session = await dc.ConnectAsync();
        var mine = await session.DataCloud.CreateJobAsync("customers", "crm", Core.DataCloud.DataCloudOperation.Upsert, true, null, None);
        Assert.Equal(["customers"], session.History.Recent(HistoryKind.DataCloudObject).Select(e => e.Id));
        Assert.Equal(["crm"], session.History.Recent(HistoryKind.DataCloudSource).Select(e => e.Id));
        Assert.Equal("object customers", session.History.Recent(HistoryKind.DataCloudSource)[0].Description);

        var before = dc.Handler.Count(HttpMethod.Get, "/api/v1/ingest/jobs");
        await session.RefreshBatchHistory()!;
        Assert.Null(session.RefreshBatchHistory());
        Assert.Equal(before + 1, dc.Handler.Count(HttpMethod.Get, "/api/v1/ingest/jobs"));

        var candidates = session.History.Candidates(HistoryKind.Batch);
        Assert.Equal(mine.Id, candidates[0].Id);
        Assert.Contains(candidates, e => e.Id == elsewhere.Id);
        // The listing is a cache, not something the user touched.
        Assert.Equal([mine.Id], session.History.Recent(HistoryKind.Batch).Select(e => e.Id));
    }
}
