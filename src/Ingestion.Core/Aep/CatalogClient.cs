using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.Aep;

/// <summary>AEP Catalog Service (<c>/data/foundation/catalog</c>): batch status and datasets.</summary>
public sealed class CatalogClient
{
    private const string Base = "data/foundation/catalog/";
    private const int PageSize = 100;
    private const string SchemaContentType = "application/vnd.adobe.xed-full+json;version=1";

    /// <summary>The Catalog tag of a dataset enabled for Profile that takes upserts (profile updates); its batches must be Parquet.</summary>
    public const string UnifiedProfileTag = "unifiedProfile";

    /// <summary>What Adobe's guide sets to create a Profile dataset for upserts: <c>unifiedProfile: ["enabled:true", "isUpsert:true"]</c>.</summary>
    public static IReadOnlyList<string> UpsertTagValues { get; } = ["enabled:true", "isUpsert:true"];
    private readonly PlatformConnection connection;
    private readonly TimeProvider time;

    /// <summary>Where ids this client sees are remembered for completion; none in tests that build a bare client.</summary>
    internal SessionHistory? History { get; init; }

    internal CatalogClient(PlatformConnection connection, TimeProvider time)
    {
        this.connection = connection;
        this.time = time;
    }

    public async Task<IngestStatus> GetBatchStatusAsync(string batchId, CancellationToken cancellationToken)
    {
        ServiceId.Check(batchId, "BatchId");
        var operation = string.Format(Messages.OpGetBatch, batchId);
        using var message = connection.Request(HttpMethod.Get, $"{Base}batches/{batchId}").MarkIdempotent();
        var response = await connection.SendAsync(message, operation, batchId, cancellationToken).ConfigureAwait(false);
        var root = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        var batch = AepJson.Unwrap(root, batchId)
            ?? throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.BatchMissingFromCatalog, batchId)) { Target = batchId };
        var status = CatalogBatchReader.Read(batchId, batch);
        History?.Record(status);
        return status;
    }

    /// <summary>
    /// The batch of <paramref name="datasetId"/> created with <paramref name="externalId"/>, or null when the Catalog
    /// has none (<c>GET /batches?externalId=…&amp;dataSet=…</c>; the answer is a map keyed by batch id). The match is
    /// checked here too, so a service that ignored a filter cannot hand back someone else's batch.
    /// </summary>
    internal async Task<IngestStatus?> FindBatchByExternalIdAsync(string externalId, string datasetId, CancellationToken cancellationToken)
    {
        var operation = string.Format(Messages.OpFindBatchByExternalId, externalId);
        var query = $"{Base}batches?externalId={Uri.EscapeDataString(externalId)}&dataSet={Uri.EscapeDataString(datasetId)}&limit={PageSize}";
        using var message = connection.Request(HttpMethod.Get, query).MarkIdempotent();
        var response = await connection.SendAsync(message, operation, externalId, cancellationToken).ConfigureAwait(false);
        var root = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        foreach (var (id, value) in root as JsonObject ?? [])
        {
            if (value is JsonObject batch && AepJson.String(batch, "externalId") == externalId)
            {
                var status = CatalogBatchReader.Read(id, batch);
                if (status.DatasetId is null || status.DatasetId == datasetId)
                {
                    return status;
                }
            }
        }

        return null;
    }

    /// <summary>The <paramref name="limit"/> newest batches (<c>GET /batches?orderBy=desc:created</c>), for completion: not recorded as seen.</summary>
    internal async Task<IReadOnlyList<IngestStatus>> ListRecentBatchesAsync(int limit, CancellationToken cancellationToken)
    {
        using var message = connection.Request(HttpMethod.Get, $"{Base}batches?limit={limit}&orderBy=desc:created").MarkIdempotent();
        var response = await connection.SendAsync(message, Messages.OpListBatches, null, cancellationToken).ConfigureAwait(false);
        var root = await connection.ReadJsonAsync(response, Messages.OpListBatches, cancellationToken).ConfigureAwait(false);
        var batches = new List<IngestStatus>();
        foreach (var (id, value) in root as JsonObject ?? [])
        {
            if (value is JsonObject batch)
            {
                batches.Add(CatalogBatchReader.Read(id, batch));
            }
        }

        return [.. batches.OrderByDescending(b => b.Created)];
    }

    /// <summary>Polls until the batch reaches a terminal state, with intervals that grow up to a cap.</summary>
    public Task<IngestStatus> WaitForBatchAsync(string batchId, WaitOptions options, IProgress<IngestStatus>? progress, CancellationToken cancellationToken) =>
        Polling.UntilTerminalAsync(
            token => GetBatchStatusAsync(batchId, token),
            status => status.IsTerminal,
            (status, elapsed) => new IngestionException(IngestErrorKind.Timeout, string.Format(Messages.WaitTimedOut, batchId, status.Status.ToCatalogValue(), elapsed.TotalSeconds))
            {
                Target = status,
                RecommendedAction = Messages.WaitTimedOutAction,
            },
            options,
            progress,
            time,
            cancellationToken);

    public Task<IngestDataset> CreateDatasetAsync(string name, string schemaId, string? description, CancellationToken cancellationToken) =>
        CreateDatasetAsync(name, schemaId, description, null, cancellationToken);

    /// <summary>Creates a dataset with Catalog tags, e.g. <see cref="UnifiedProfileTag"/> with <see cref="UpsertTagValues"/> for a Profile dataset that takes upserts.</summary>
    public async Task<IngestDataset> CreateDatasetAsync(string name, string schemaId, string? description, IReadOnlyDictionary<string, IReadOnlyList<string>>? tags, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, "Name"));
        }

        if (string.IsNullOrWhiteSpace(schemaId))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, "SchemaId"));
        }

        var body = new JsonObject
        {
            ["name"] = name,
            ["schemaRef"] = new JsonObject { ["id"] = schemaId, ["contentType"] = SchemaContentType },
        };
        if (!string.IsNullOrEmpty(description))
        {
            body["description"] = description;
        }

        if (tags is { Count: > 0 })
        {
            var json = new JsonObject();
            foreach (var (key, values) in tags)
            {
                json[key] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
            }

            body["tags"] = json;
        }

        var operation = string.Format(Messages.OpCreateDataset, name);
        // POST /dataSets is not idempotent and Catalog takes no client key for it, so the datasets already named so are
        // noted first: after a create that may have reached the service unanswered, a new one with this name and schema
        // is this call's (see ReconcileDatasetAsync), instead of a retry that would make a second.
        var before = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var existing in ListDatasetsAsync(name, record: false, cancellationToken).ConfigureAwait(false))
            {
                before.Add(existing.Id);
            }
        }
        catch (IngestionException ex)
        {
            throw ex.Restate(string.Format(Messages.DatasetCreateListingFailed, name, ex.Message), target: name);
        }

        using var message = connection.Request(HttpMethod.Post, Base + "dataSets", PlatformConnection.Json(body));
        JsonNode created;
        HttpResponseMessage response;
        try
        {
            response = await connection.SendAsync(message, operation, name, cancellationToken).ConfigureAwait(false);
            created = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (BatchIngestionClient.MayHaveReachedService(ex) && !cancellationToken.IsCancellationRequested)
        {
            return await ReconcileDatasetAsync(name, schemaId, before, ex, cancellationToken).ConfigureAwait(false);
        }

        // Catalog answers ["@/dataSets/<id>"].
        var reference = (created as JsonArray)?.FirstOrDefault()?.ToString();
        var id = reference?[(reference.LastIndexOf('/') + 1)..];
        if (string.IsNullOrEmpty(id))
        {
            throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBody, operation, (int)response.StatusCode)) { Target = name };
        }

        return await GetDatasetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a dataset create that failed in a way that may have reached the service (no answer, a timeout, a 5xx, 408
    /// or 429): the one dataset with this name and schema that was not there before is this call's, and is returned.
    /// None means the create did not happen; two or more, or a lookup that fails, leave it open, and the error says so
    /// and how to check, rather than advising a retry that could make a duplicate.
    /// </summary>
    private async Task<IngestDataset> ReconcileDatasetAsync(string name, string schemaId, HashSet<string> before, IngestionException failure, CancellationToken cancellationToken)
    {
        var made = new List<IngestDataset>();
        try
        {
            await foreach (var dataset in ListDatasetsAsync(name, record: false, cancellationToken).ConfigureAwait(false))
            {
                if (!before.Contains(dataset.Id) && dataset.Name == name && dataset.SchemaId == schemaId)
                {
                    made.Add(dataset);
                }
            }
        }
        catch (IngestionException lookup)
        {
            throw Unsettled(string.Format(Messages.DatasetCreateLookupFailed, name, failure.Message, lookup.Message), lookup);
        }

        switch (made.Count)
        {
            case 1:
                IngestLog.Verbose(string.Format(Messages.DatasetReconciled, name, made[0].Id));
                History?.Record(made[0]);
                return made[0];
            case 0:
                throw failure.Restate(failure.Message + " " + string.Format(Messages.DatasetCreateNotMade, name), target: name, recommendedAction: string.Format(Messages.DatasetCreateCheckAction, name));
            default:
                throw Unsettled(string.Format(Messages.DatasetCreateAmbiguous, name, failure.Message, string.Join("', '", made.Select(d => d.Id))), failure);
        }

        IngestionException Unsettled(string text, Exception inner) => new(failure.Kind, text, inner)
        {
            Target = name,
            StatusCode = failure.StatusCode,
            RequestId = failure.RequestId,
            RecommendedAction = string.Format(Messages.DatasetCreateCheckAction, name),
        };
    }

    public async Task<IngestDataset> GetDatasetAsync(string datasetId, CancellationToken cancellationToken)
    {
        ServiceId.Check(datasetId, "DatasetId");
        var operation = string.Format(Messages.OpGetDataset, datasetId);
        using var message = connection.Request(HttpMethod.Get, $"{Base}dataSets/{datasetId}").MarkIdempotent();
        var response = await connection.SendAsync(message, operation, datasetId, cancellationToken).ConfigureAwait(false);
        var root = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        var dataset = AepJson.Unwrap(root, datasetId)
            ?? throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBody, operation, 200)) { Target = datasetId };
        var result = ReadDataset(datasetId, dataset);
        History?.Record(result);
        return result;
    }

    /// <summary>All datasets (optionally those with exactly <paramref name="name"/>), a page at a time.</summary>
    public IAsyncEnumerable<IngestDataset> ListDatasetsAsync(string? name, CancellationToken cancellationToken) =>
        ListDatasetsAsync(name, record: true, cancellationToken);

    /// <summary>The listing; <paramref name="record"/> false for the completion cache's own listing, which must not crowd out the datasets a user touched.</summary>
    internal async IAsyncEnumerable<IngestDataset> ListDatasetsAsync(string? name, bool record, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var start = 0; ; start += PageSize)
        {
            var query = $"{Base}dataSets?limit={PageSize}&start={start}";
            if (!string.IsNullOrEmpty(name))
            {
                query += "&name=" + Uri.EscapeDataString(name);
            }

            using var message = connection.Request(HttpMethod.Get, query).MarkIdempotent();
            var response = await connection.SendAsync(message, Messages.OpListDatasets, null, cancellationToken).ConfigureAwait(false);
            var root = await connection.ReadJsonAsync(response, Messages.OpListDatasets, cancellationToken).ConfigureAwait(false);
            var page = root as JsonObject ?? [];
            foreach (var (id, value) in page)
            {
                var dataset = ReadDataset(id, value);
                if (record)
                {
                    History?.Record(dataset);
                }

                yield return dataset;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }

    private static IngestDataset ReadDataset(string id, JsonNode? node) => new()
    {
        Id = id,
        Name = AepJson.String(node, "name"),
        Description = AepJson.String(node, "description"),
        SchemaId = AepJson.String(node?["schemaRef"], "id"),
        Created = AepJson.EpochMillis(node, "created"),
        Tags = AepJson.Tags(node),
    };
}
