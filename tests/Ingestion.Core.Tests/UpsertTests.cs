using System.Net;
using Ingestion.Core.Aep;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>Datasets with Catalog tags, and the upsert rule: such a dataset takes Parquet batches only.</summary>
public class UpsertTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly Dictionary<string, IReadOnlyList<string>> UpsertTags = new()
    {
        [CatalogClient.UnifiedProfileTag] = CatalogClient.UpsertTagValues,
        ["owner"] = ["crm", "nightly"],
    };

    [Fact]
    public async Task A_dataset_keeps_its_tags_and_knows_it_takes_upserts()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();

        var created = await session.Catalog.CreateDatasetAsync("upserts", Samples.ProfileSchema, null, UpsertTags, None);
        var plain = await session.Catalog.CreateDatasetAsync("plain", Samples.ProfileSchema, null, None);

        Assert.True(created.IsUpsert);
        Assert.Equal(["enabled:true", "isUpsert:true"], created.Tags[CatalogClient.UnifiedProfileTag]);
        Assert.Equal(["crm", "nightly"], created.Tags["owner"]);
        Assert.False(plain.IsUpsert);
        Assert.Empty(plain.Tags);
    }

    [Fact]
    public async Task A_json_batch_in_an_upsert_dataset_is_refused_with_the_services_reason()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync();
        var dataset = await session.Catalog.CreateDatasetAsync("upserts", Samples.ProfileSchema, null, UpsertTags, None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.NewBatchAsync(dataset.Id));
        var parquet = await session.NewBatchAsync(dataset.Id, IngestFormat.Parquet);

        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("isUpsert:true", ex.ServiceMessage);
        Assert.Contains("Parquet", ex.Message);
        Assert.Equal(dataset.Id, ex.Target);
        Assert.Equal(BatchStatus.Loading, parquet.Status);
    }
}
