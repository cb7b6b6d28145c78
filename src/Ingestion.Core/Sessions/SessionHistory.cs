using Ingestion.Core.Models;

namespace Ingestion.Core.Sessions;

/// <summary>What kind of identifier a <see cref="SessionHistory"/> entry holds.</summary>
public enum HistoryKind
{
    /// <summary>An AEP dataset id.</summary>
    Dataset,

    /// <summary>An AEP batch id or a Data Cloud job id.</summary>
    Batch,

    /// <summary>A Campaign XDM mapping id.</summary>
    Mapping,

    /// <summary>A Data Cloud object name.</summary>
    DataCloudObject,

    /// <summary>A Data Cloud Ingestion API source (connector) name.</summary>
    DataCloudSource,

    /// <summary>A Campaign ingestion request, as <c>{mappingId}/{requestId}</c> (see <see cref="SessionHistory.MappingRequestId"/>).</summary>
    MappingRequest,
}

/// <summary>One identifier the session has seen, with a short description for completion tooltips.</summary>
public sealed record HistoryEntry(string Id, string? Description, DateTimeOffset Seen);

/// <summary>
/// Identifiers a session has seen (created, fetched or listed), newest first, plus one cached listing per kind
/// (Catalog datasets, recent batches or jobs). Small and bounded (<see cref="Capacity"/> per kind), thread-safe,
/// and never makes a request on its own: argument completers read it on every key press, and only
/// <see cref="RefreshIfStale"/> starts a background listing, at most once per <see cref="ListingTtl"/> and kind.
/// </summary>
public sealed class SessionHistory
{
    /// <summary>Entries kept per kind; the oldest is forgotten first.</summary>
    public const int Capacity = 200;

    /// <summary>Entries kept from one listing.</summary>
    public const int ListingCapacity = 1000;

    /// <summary>Recent batches or jobs asked for by one batch listing.</summary>
    public const int RecentBatches = 20;

    /// <summary>How long a listing is used before one new listing of the same kind may start.</summary>
    public static readonly TimeSpan ListingTtl = TimeSpan.FromMinutes(5);

    /// <summary>How long one background listing may take before it is given up.</summary>
    public static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a completion waits for the first listing of a kind when one is in flight and none has finished yet
    /// (the listing Connect-IngestService starts, or the one the first Tab starts). Later completions never wait.
    /// </summary>
    public static readonly TimeSpan FirstListingWait = TimeSpan.FromSeconds(1);

    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly Dictionary<HistoryKind, List<HistoryEntry>> seen = [];
    private readonly Dictionary<HistoryKind, Listing> listings = [];
    private readonly CancellationTokenSource closing = new();

    public SessionHistory(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <summary>Dataset listings started so far (each is one paged Catalog <c>GET /dataSets</c>).</summary>
    public int DatasetListFetches => ListFetches(HistoryKind.Dataset);

    /// <summary>Listings of <paramref name="kind"/> started so far.</summary>
    public int ListFetches(HistoryKind kind)
    {
        lock (gate)
        {
            return listings.TryGetValue(kind, out var listing) ? listing.Fetches : 0;
        }
    }

    /// <summary>True once a listing of <paramref name="kind"/> has been started within the last <see cref="ListingTtl"/>.</summary>
    public bool IsFresh(HistoryKind kind)
    {
        lock (gate)
        {
            return listings.TryGetValue(kind, out var listing) && listing.Started is { } started && time.GetUtcNow() - started < ListingTtl;
        }
    }

    /// <summary>Remembers <paramref name="id"/> as the newest of its kind; a known id moves to the front and gets the new description.</summary>
    public void Record(HistoryKind kind, string? id, string? description = null)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return;
        }

        lock (gate)
        {
            if (!seen.TryGetValue(kind, out var list))
            {
                seen[kind] = list = [];
            }

            var index = list.FindIndex(e => string.Equals(e.Id, id, StringComparison.Ordinal));
            if (index >= 0)
            {
                description ??= list[index].Description;
                list.RemoveAt(index);
            }

            list.Insert(0, new HistoryEntry(id, description, time.GetUtcNow()));
            if (list.Count > Capacity)
            {
                list.RemoveRange(Capacity, list.Count - Capacity);
            }
        }
    }

    /// <summary>Remembers a dataset, described by its name.</summary>
    public void Record(IngestDataset dataset) => Record(HistoryKind.Dataset, dataset.Id, dataset.Name);

    /// <summary>Remembers an AEP batch as just created.</summary>
    public void Record(IngestBatch batch) => Record(HistoryKind.Batch, batch.Id, Describe(batch));

    /// <summary>Remembers an AEP batch with its latest status.</summary>
    public void Record(IngestStatus status) => Record(HistoryKind.Batch, status.Id, Describe(status));

    /// <summary>Remembers a Campaign mapping with its latest ingestion request, and the request itself when it has an id.</summary>
    public void Record(XdmIngestRequest request)
    {
        Record(HistoryKind.Mapping, request.MappingId, request.RequestId is null ? request.Status.ToString() : $"{request.Status} (request {request.RequestId})");
        if (request.RequestId is { } requestId)
        {
            Record(HistoryKind.MappingRequest, MappingRequestId(request.MappingId, requestId), request.Status.ToString());
        }
    }

    /// <summary>The id a <see cref="HistoryKind.MappingRequest"/> entry has: the mapping and the request, split at the last '/'.</summary>
    public static string MappingRequestId(string mappingId, long requestId) =>
        $"{mappingId}/{requestId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Remembers a Data Cloud job (as a batch) with its object and source.</summary>
    public void Record(DataCloud.DataCloudJob job)
    {
        Record(HistoryKind.Batch, job.Id, Describe(job));
        RecordTarget(job.SourceName, job.Object);
    }

    /// <summary>Remembers a Data Cloud source and object a command wrote to.</summary>
    public void RecordTarget(string? sourceName, string? objectName)
    {
        Record(HistoryKind.DataCloudObject, objectName, sourceName is null ? null : $"source {sourceName}");
        Record(HistoryKind.DataCloudSource, sourceName, objectName is null ? null : $"object {objectName}");
    }

    /// <summary>A batch's tooltip: status, dataset and creation time.</summary>
    public static string Describe(IngestBatch batch) => Describe(batch.Status.ToCatalogValue(), batch.DatasetId, batch.Created);

    /// <summary>A batch's tooltip: status, dataset and creation time.</summary>
    public static string Describe(IngestStatus status) => Describe(status.Status.ToCatalogValue(), status.DatasetId, status.Created);

    /// <summary>A job's tooltip: state, object and creation time.</summary>
    public static string Describe(DataCloud.DataCloudJob job) => Describe(job.State ?? string.Empty, job.Object, job.Created);

    private static string Describe(string state, string? owner, DateTimeOffset? created)
    {
        var text = owner is null ? state : $"{state}, {owner}";
        return created is { } at ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{text}, created {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z") : text;
    }

    /// <summary>The entries of one kind seen in this session, newest first.</summary>
    public IReadOnlyList<HistoryEntry> Recent(HistoryKind kind)
    {
        lock (gate)
        {
            return seen.TryGetValue(kind, out var list) ? [.. list] : [];
        }
    }

    /// <summary>
    /// What completion offers: the entries seen in this session first (newest first), then those of the last
    /// listing not already named. Reads memory only.
    /// </summary>
    public IReadOnlyList<HistoryEntry> Candidates(HistoryKind kind)
    {
        lock (gate)
        {
            var mine = seen.TryGetValue(kind, out var list) ? list : [];
            var listed = listings.TryGetValue(kind, out var listing) ? listing.Entries : [];
            var ids = new HashSet<string>(mine.Select(e => e.Id), StringComparer.Ordinal);
            return [.. mine, .. listed.Where(e => ids.Add(e.Id))];
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the listing of <paramref name="kind"/> in flight, but only while no
    /// listing of that kind has ever finished: the first completion of a new session gets the listing Connect started
    /// (or that it just started itself) instead of nothing. Returns at once otherwise. True when a listing has finished.
    /// </summary>
    public bool WaitForFirstListing(HistoryKind kind, TimeSpan timeout)
    {
        Task? pending;
        lock (gate)
        {
            if (!listings.TryGetValue(kind, out var listing) || listing.Finished)
            {
                return listing?.Finished ?? false;
            }

            pending = listing.Pending;
        }

        if (pending is null || closing.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            pending.Wait(timeout);
        }
        catch (AggregateException)
        {
            // The listing's own failure is swallowed there; nothing to report to a completion.
        }

        lock (gate)
        {
            return listings[kind].Finished;
        }
    }

    /// <summary>Cancels the listings in flight and starts no more (the session was closed).</summary>
    public void Close()
    {
        lock (gate)
        {
            if (closing.IsCancellationRequested)
            {
                return;
            }

            closing.Cancel();
        }
    }

    /// <summary>Datasets for completion: <see cref="Candidates"/> of <see cref="HistoryKind.Dataset"/>.</summary>
    public IReadOnlyList<HistoryEntry> Datasets() => Candidates(HistoryKind.Dataset);

    /// <summary>Starts one background dataset listing when none was started within <see cref="ListingTtl"/>.</summary>
    public Task? RefreshDatasetsIfStale(Func<CancellationToken, IAsyncEnumerable<IngestDataset>> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return RefreshIfStale(HistoryKind.Dataset, token => Entries(list(token)));

        async IAsyncEnumerable<HistoryEntry> Entries(IAsyncEnumerable<IngestDataset> datasets)
        {
            await foreach (var dataset in datasets.ConfigureAwait(false))
            {
                yield return new HistoryEntry(dataset.Id, dataset.Name, time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// Starts one background listing of <paramref name="kind"/> when none was started within <see cref="ListingTtl"/>,
    /// and returns it (callers need not wait: completion answers from memory and the next key press sees the result);
    /// null when the cache is fresh. A listing that fails or takes longer than <see cref="ListingTimeout"/> leaves
    /// the previous one and is not retried before the TTL either.
    /// </summary>
    public Task? RefreshIfStale(HistoryKind kind, Func<CancellationToken, IAsyncEnumerable<HistoryEntry>> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (!listings.TryGetValue(kind, out var listing))
            {
                listings[kind] = listing = new Listing();
            }

            if (closing.IsCancellationRequested || (listing.Started is { } started && now - started < ListingTtl))
            {
                return null;
            }

            listing.Started = now;
            listing.Fetches++;
            return listing.Pending = Task.Run(() => ListAsync(kind, list));
        }
    }

    private async Task ListAsync(HistoryKind kind, Func<CancellationToken, IAsyncEnumerable<HistoryEntry>> list)
    {
        using var timeout = new CancellationTokenSource(ListingTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, closing.Token);
        var found = new List<HistoryEntry>();
        try
        {
            await foreach (var entry in list(linked.Token).WithCancellation(linked.Token).ConfigureAwait(false))
            {
                found.Add(entry);
                if (found.Count >= ListingCapacity)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or Errors.IngestionException or HttpRequestException)
        {
            // Completion is a convenience: a failed or slow listing leaves what was cached.
            return;
        }

        lock (gate)
        {
            listings[kind].Entries = found;
            listings[kind].Finished = true;
        }
    }

    private sealed class Listing
    {
        public IReadOnlyList<HistoryEntry> Entries { get; set; } = [];

        public DateTimeOffset? Started { get; set; }

        /// <summary>The listing in flight or last run.</summary>
        public Task? Pending { get; set; }

        /// <summary>True once a listing of this kind has succeeded.</summary>
        public bool Finished { get; set; }

        public int Fetches { get; set; }
    }
}
