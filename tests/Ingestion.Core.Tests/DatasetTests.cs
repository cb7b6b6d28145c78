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
