using System.Net;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

public class DatasetTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<List<IngestDataset>> ListAsync(IngestSession session, string? name = null)
    {
        var all = new List<IngestDataset>();
        await foreach (var dataset in session.Catalog.ListDatasetsAsync(name, None))
        {
            all.Add(dataset);
        }

        return all;
    }

    [Fact]
    public async Task A_dataset_on_a_built_in_schema_reads_back_the_same()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var created = await session.Catalog.CreateDatasetAsync("Demo profiles", Samples.ProfileSchema, "nightly CRM export", None);
        var read = await session.Catalog.GetDatasetAsync(created.Id, None);

        foreach (var dataset in new[] { created, read })
        {
            Assert.Equal(created.Id, dataset.Id);
            Assert.Equal(created.Id, dataset.DatasetId);
            Assert.Equal("Demo profiles", dataset.Name);
            Assert.Equal(Samples.ProfileSchema, dataset.SchemaId);
            Assert.Equal("nightly CRM export", dataset.Description);
            Assert.NotNull(dataset.Created);
            Assert.Equal($"Demo profiles ({created.Id})", dataset.ToString());
        }
    }

    [Fact]
    public async Task A_csv_dataset_without_description()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var created = await session.Catalog.CreateDatasetAsync("Loyalty", Samples.LoyaltySchema, null, None);

        Assert.Equal(Samples.LoyaltySchema, created.SchemaId);
        Assert.Null(created.Description);
    }

    [Fact]
    public async Task An_unknown_schema_is_refused_by_the_service()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        const string schema = "https://ns.adobe.com/emulator/schemas/no-such-schema";

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.CreateDatasetAsync("x", schema, null, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains(schema, ex.ServiceMessage);
        Assert.Equal("x", ex.Target);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.Empty(await ListAsync(session));
    }

    [Theory]
    [InlineData("", Samples.ProfileSchema, "Name")]
    [InlineData(" ", Samples.ProfileSchema, "Name")]
    [InlineData("x", "", "SchemaId")]
    public async Task Empty_name_or_schema_is_refused_before_any_request(string name, string schema, string parameter)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.CreateDatasetAsync(name, schema, null, None));

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith(parameter, ex.Message);
        Assert.Empty(handler.PlatformRequests);
    }

    private static bool IsDatasetCreate(HttpRequestMessage r) => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/catalog/dataSets", StringComparison.Ordinal);

    private static bool IsDatasetList(HttpRequestMessage r) => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.EndsWith("/catalog/dataSets", StringComparison.Ordinal);

    [Fact]
    public async Task A_create_whose_answer_is_lost_is_reconciled_to_the_dataset_the_service_made_not_duplicated()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        // A dataset of the same name made earlier is not mistaken for this call's.
        var earlier = await session.Catalog.CreateDatasetAsync("Lost", Samples.ProfileSchema, null, None);
        string? madeByService = null;
        handler.Intercept = async (request, ct) =>
        {
            if (!IsDatasetCreate(request) || madeByService is not null)
            {
                return null;
            }

            // The service creates the dataset, then the connection drops before the answer arrives.
            using var response = await handler.PassOnAsync(request, ct);
            madeByService = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))![0]!.ToString().Split('/')[^1];
            throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"));
        };
        var log = new ListLog();

        IngestDataset dataset;
        using (IngestLog.Begin(log))
        {
            dataset = await session.Catalog.CreateDatasetAsync("Lost", Samples.ProfileSchema, null, None);
        }

        Assert.NotNull(madeByService);
        Assert.Equal(madeByService, dataset.Id);
        Assert.NotEqual(earlier.Id, dataset.Id);
        Assert.Equal("Lost", dataset.Name);
        Assert.Equal(Samples.ProfileSchema, dataset.SchemaId);
        Assert.Equal(2, (await ListAsync(session, "Lost")).Count);
        Assert.Equal(2, handler.Count(HttpMethod.Post, "/catalog/dataSets"));
        Assert.Contains(log.Lines, l => l.Contains("that is the one this call made", StringComparison.Ordinal) && l.Contains(dataset.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_create_that_failed_unanswered_and_made_nothing_says_so_and_how_to_check()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = (request, _) => IsDatasetCreate(request)
            ? throw new HttpRequestException("Connection reset by peer")
            : Task.FromResult<HttpResponseMessage?>(null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.CreateDatasetAsync("Never", Samples.ProfileSchema, null, None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal("Never", ex.Target);
        Assert.Contains("No new dataset named 'Never' was found in the Catalog afterwards", ex.Message);
        Assert.Contains("Get-IngestDataset -Name 'Never'", ex.RecommendedAction);
        Assert.DoesNotContain("-MaxRetries", ex.RecommendedAction);
        Assert.Empty(await ListAsync(session, "Never"));
        Assert.Equal(1, handler.Count(HttpMethod.Post, "/catalog/dataSets"));
    }

    [Fact]
    public async Task A_create_whose_first_listing_fails_sends_nothing_and_says_the_dataset_was_not_created()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: new RetrySettings { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1) });
        handler.Intercept = (request, _) => Task.FromResult(IsDatasetList(request) ? RecordingHandler.Respond(HttpStatusCode.BadGateway) : null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.CreateDatasetAsync("Unlisted", Samples.ProfileSchema, null, None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Equal("Unlisted", ex.Target);
        Assert.StartsWith("Dataset 'Unlisted' was not created:", ex.Message);
        Assert.Equal(0, handler.Count(HttpMethod.Post, "/catalog/dataSets"));
    }

    [Fact]
    public async Task A_lost_create_whose_lookup_fails_too_says_the_dataset_may_exist_and_not_to_retry_blindly()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: new RetrySettings { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1) });
        var created = false;
        handler.Intercept = async (request, ct) =>
        {
            if (IsDatasetCreate(request))
            {
                using var response = await handler.PassOnAsync(request, ct);
                created = true;
                throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"));
            }

            return created && IsDatasetList(request) ? RecordingHandler.Respond(HttpStatusCode.BadGateway) : null;
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.CreateDatasetAsync("Maybe", Samples.ProfileSchema, null, None));

        Assert.Equal("Maybe", ex.Target);
        Assert.Contains("Dataset 'Maybe' may have been created", ex.Message);
        Assert.Contains("Get-IngestDataset -Name 'Maybe'", ex.RecommendedAction);
        Assert.Contains("duplicate", ex.RecommendedAction);
        Assert.DoesNotContain("-MaxRetries", ex.RecommendedAction);
    }

    [Fact]
    public async Task An_unknown_dataset_is_not_found()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetDatasetAsync("5da9452f7de80400007ac52a", None));

        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.Equal("5da9452f7de80400007ac52a", ex.Target);
    }

    [Fact]
    public async Task Listing_pages_through_more_than_one_page()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            created.Add((await session.Catalog.CreateDatasetAsync($"dataset {i:000}", Samples.ProfileSchema, null, ct)).Id));
        var before = handler.Requests.Count;

        var listed = await ListAsync(session);

        Assert.Equal(created.OrderBy(x => x), listed.Select(d => d.Id).OrderBy(x => x));
        Assert.All(listed, d => Assert.Equal(Samples.ProfileSchema, d.SchemaId));
        var pages = handler.Requests.Skip(before).ToArray();
        Assert.Equal(2, pages.Length);
        Assert.Contains("limit=100", pages[0].Uri.Query);
        Assert.Contains("start=0", pages[0].Uri.Query);
        Assert.Contains("start=100", pages[1].Uri.Query);
    }

    [Fact]
    public async Task Listing_nothing_is_one_request()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);

        Assert.Empty(await ListAsync(session));
        Assert.Single(handler.PlatformRequests);
    }

    [Fact]
    public async Task The_name_filter_matches_exactly_and_is_escaped()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        const string odd = "needle & thread=1?#";
        var needle = await session.Catalog.CreateDatasetAsync(odd, Samples.ProfileSchema, null, None);
        var twinA = await session.Catalog.CreateDatasetAsync("twin", Samples.ProfileSchema, null, None);
        var twinB = await session.Catalog.CreateDatasetAsync("twin", Samples.LoyaltySchema, null, None);
        await session.Catalog.CreateDatasetAsync("needle", Samples.ProfileSchema, null, None);
        await session.Catalog.CreateDatasetAsync("Twin", Samples.ProfileSchema, null, None);

        var found = Assert.Single(await ListAsync(session, odd));
        Assert.Equal(needle.Id, found.Id);
        Assert.Equal(odd, found.Name);
        Assert.Equal(new[] { twinA.Id, twinB.Id }.Order(), (await ListAsync(session, "twin")).Select(d => d.Id).Order());
        Assert.Empty(await ListAsync(session, "nothing like it"));
        Assert.Equal(5, (await ListAsync(session, "")).Count);
    }
}
