using System.Text.RegularExpressions;
using Ingestion.Core.Aep;
using Ingestion.Core.Campaign;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;

namespace Ingestion.Core.Sessions;

/// <summary>
/// A connection to one AEP organisation and sandbox and/or one Campaign Standard instance: one handler chain, one token cache.
/// Holds the client secret only as the caller's SecureString; nothing here prints it.
/// </summary>
public sealed partial class IngestSession : IDisposable
{
    private readonly HttpClient platformHttp;
    private readonly HttpClient imsHttp;
    private readonly ImsTokenProvider? tokens;
    private readonly DataCloudTokenProvider? dataCloudTokens;
    private readonly DataCloudClient? dataCloud;
    private readonly System.Security.Cryptography.RSA? signingKey;

    private IngestSession(AepConnectionOptions options, Uri endpoint, Uri imsEndpoint, Uri? campaignEndpoint)
    {
        Endpoint = endpoint;
        ImsEndpoint = imsEndpoint;
        Platform = options.Platform;
        OrganizationId = options.OrganizationId;
        Sandbox = options.Sandbox;
        CampaignTenant = string.IsNullOrWhiteSpace(options.CampaignTenant) ? null : options.CampaignTenant;
        CampaignEndpoint = campaignEndpoint;
        ClientId = options.ClientId;
        Retry = options.Retry;
        Connected = options.TimeProvider.GetUtcNow();
        History = new SessionHistory(options.TimeProvider);

        // Both clients share the primary handler (connection pool); IMS calls skip the platform headers.
        var primary = options.PrimaryHandler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            Expect100ContinueTimeout = TimeSpan.FromSeconds(2),
        };
        imsHttp = new HttpClient(Chain(options, primary, headers: null), disposeHandler: options.PrimaryHandler is null) { Timeout = Timeout.InfiniteTimeSpan };
        tokens = new ImsTokenProvider(imsHttp, imsEndpoint, options.ClientId, options.ClientSecret, options.Scope, options.TimeProvider);
        platformHttp = new HttpClient(
            Chain(options, primary, new PlatformHeadersHandler(tokens, options.ClientId, options.OrganizationId, options.Sandbox)),
            disposeHandler: false)
        { Timeout = Timeout.InfiniteTimeSpan };

        var connection = new PlatformConnection(platformHttp, endpoint);
        Catalog = new CatalogClient(connection, options.TimeProvider) { History = History };
        Batches = new BatchIngestionClient(connection, Catalog, options.Retry, options.TimeProvider) { History = History };
        Schemas = new SchemaRegistryClient(connection, Catalog);
        DataAccess = new DataAccessClient(connection);
        Campaign = new CampaignClient(
            campaignEndpoint is null ? null : new PlatformConnection(platformHttp, campaignEndpoint),
            CampaignTenant,
            options.TimeProvider)
        { History = History };
    }

    private IngestSession(DataCloudConnectionOptions options, Uri loginUrl, System.Security.Cryptography.RSA key)
    {
        Platform = IngestPlatform.DataCloud;
        Endpoint = loginUrl;
        ImsEndpoint = loginUrl;
        LoginUrl = loginUrl;
        OrganizationId = string.Empty;
        Sandbox = string.Empty;
        ClientId = options.ClientId;
        UserName = options.UserName;
        Dataspace = string.IsNullOrWhiteSpace(options.Dataspace) ? null : options.Dataspace;
        Retry = options.Retry;
        Connected = options.TimeProvider.GetUtcNow();
        History = new SessionHistory(options.TimeProvider);
        signingKey = key;

        var primary = options.PrimaryHandler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            Expect100ContinueTimeout = TimeSpan.FromSeconds(2),
        };

        // Login and exchange go without a bearer token; API calls get the Data Cloud token (and one re-login on 401).
        imsHttp = new HttpClient(Chain(options.Retry, options.TimeProvider, primary, headers: null), disposeHandler: options.PrimaryHandler is null) { Timeout = Timeout.InfiniteTimeSpan };
        dataCloudTokens = new DataCloudTokenProvider(imsHttp, loginUrl, options.ClientId, options.UserName, key, Dataspace, options.TimeProvider);
        dataCloudHttp = new HttpClient(
            Chain(options.Retry, options.TimeProvider, primary, new DataCloudAuthHandler(dataCloudTokens, options.ClientId)),
            disposeHandler: false)
        { Timeout = Timeout.InfiniteTimeSpan };
        dataCloud = new DataCloudClient(dataCloudHttp, dataCloudTokens, options.Retry, options.TimeProvider, options.MaxUploadBytes) { History = History };

        // The Adobe clients exist on every session; on this one each call fails at once, saying why.
        platformHttp = new HttpClient(new RefusingHandler(Messages.SessionIsDataCloud, Messages.SessionIsDataCloudAction)) { Timeout = Timeout.InfiniteTimeSpan };
        var connection = new PlatformConnection(platformHttp, AepConnectionOptions.DefaultPlatformEndpoint);
        Catalog = new CatalogClient(connection, options.TimeProvider) { History = History };
        Batches = new BatchIngestionClient(connection, Catalog, options.Retry, options.TimeProvider) { History = History };
        Schemas = new SchemaRegistryClient(connection, Catalog);
        DataAccess = new DataAccessClient(connection);
        Campaign = new CampaignClient(null, null, options.TimeProvider);
    }

    private readonly HttpClient? dataCloudHttp;

    public Guid Id { get; } = Guid.NewGuid();
    /// <summary>What the session was opened for; an Aep session with a <see cref="CampaignTenant"/> serves Campaign too.</summary>
    public IngestPlatform Platform { get; }
    public Uri Endpoint { get; }
    public Uri ImsEndpoint { get; }
    public string OrganizationId { get; }
    public string Sandbox { get; }
    public string ClientId { get; }

    /// <summary>The Campaign Standard instance id, or null when the session serves AEP only.</summary>
    public string? CampaignTenant { get; }

    /// <summary>Where Campaign calls go (<c>https://mc.adobe.io/</c>, or the emulator); null without a tenant.</summary>
    public Uri? CampaignEndpoint { get; }

    public RetrySettings Retry { get; }
    public DateTimeOffset Connected { get; }
    public DateTimeOffset? TokenExpires => tokens?.Expires ?? dataCloudTokens?.Expires;

    /// <summary>Data Cloud: the Salesforce login URL (the JWT's audience); null on Adobe sessions.</summary>
    public Uri? LoginUrl { get; }

    /// <summary>Data Cloud: the Salesforce user the session acts as; null on Adobe sessions.</summary>
    public string? UserName { get; }

    /// <summary>Data Cloud: the dataspace given at login, null for the org's default (and on Adobe sessions).</summary>
    public string? Dataspace { get; }

    /// <summary>Data Cloud: where the Ingestion API lives (the token exchange's instance_url); null on Adobe sessions.</summary>
    public Uri? InstanceUrl => dataCloudTokens?.InstanceUrl;

    /// <summary>
    /// Salesforce Data Cloud's Ingestion API. Only a session opened with <see cref="IngestPlatform.DataCloud"/> has one;
    /// on any other session reading it throws an <see cref="IngestionException"/> saying how to connect.
    /// </summary>
    public DataCloudClient DataCloud => dataCloud ?? throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.SessionNotDataCloud, this))
    {
        RecommendedAction = Messages.SessionNotDataCloudAction,
    };

    /// <summary>True once Dispose (Disconnect-IngestService) closed the session: it cannot send anything any more.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Ids this session has seen (datasets, batches, jobs, mappings, Data Cloud objects), for argument completion.</summary>
    public SessionHistory History { get; }

    /// <summary>
    /// Starts, in the background, the listings argument completion reads (datasets and recent batches on AEP, recent
    /// jobs on Data Cloud; nothing on a Campaign-only session, which has no Catalog), so that the first Tab of a new
    /// session has something to offer. Never waits and never throws: a listing that fails leaves completion to the
    /// ids the session sees, and closing the session cancels what is in flight.
    /// </summary>
    public void StartCompletionListings()
    {
        if (IsClosed || Platform == IngestPlatform.Campaign)
        {
            return;
        }

        _ = RefreshDatasetHistory();
        _ = RefreshBatchHistory();
    }

    /// <summary>
    /// Starts one background Catalog listing for dataset completion when the cached one is older than
    /// <see cref="SessionHistory.ListingTtl"/>; null when fresh, closed or not an AEP session. Never waits.
    /// </summary>
    public Task? RefreshDatasetHistory() =>
        IsClosed || Platform == IngestPlatform.DataCloud ? null : History.RefreshDatasetsIfStale(token => Catalog.ListDatasetsAsync(null, record: false, token));

    /// <summary>
    /// Starts one background listing of the <see cref="SessionHistory.RecentBatches"/> newest batches (Catalog) or
    /// jobs (Data Cloud) for batch completion when the cached one is older than <see cref="SessionHistory.ListingTtl"/>;
    /// null when fresh or closed. Never waits.
    /// </summary>
    public Task? RefreshBatchHistory()
    {
        if (IsClosed)
        {
            return null;
        }

        return Platform == IngestPlatform.DataCloud
            ? History.RefreshIfStale(HistoryKind.Batch, token => RecentJobsAsync(token))
            : History.RefreshIfStale(HistoryKind.Batch, token => RecentBatchesAsync(token));
    }

    private async IAsyncEnumerable<HistoryEntry> RecentBatchesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var status in await Catalog.ListRecentBatchesAsync(SessionHistory.RecentBatches, cancellationToken).ConfigureAwait(false))
        {
            yield return new HistoryEntry(status.Id, SessionHistory.Describe(status), status.Created ?? Connected);
        }
    }

    private async IAsyncEnumerable<HistoryEntry> RecentJobsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var job in DataCloud.ListJobsAsync(null, SessionHistory.RecentBatches, null, record: false, cancellationToken).ConfigureAwait(false))
        {
            yield return new HistoryEntry(job.Id, SessionHistory.Describe(job), job.Created ?? Connected);
        }
    }

    public BatchIngestionClient Batches { get; }
    public CatalogClient Catalog { get; }
    public SchemaRegistryClient Schemas { get; }
    public DataAccessClient DataAccess { get; }

    /// <summary>Campaign Standard's XDM mapping ingestion; its calls fail with a clear error when the session has no tenant.</summary>
    public CampaignClient Campaign { get; }

    /// <summary>Checks the options, then acquires the first token so that wrong credentials fail here, not mid-job.</summary>
    public static async Task<IngestSession> ConnectAsync(AepConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Require(options.ClientId, "ClientId");
        if (options.Platform == IngestPlatform.Campaign)
        {
            // Campaign addresses the instance, not the IMS organisation: only the tenant is needed.
            Require(options.CampaignTenant, "CampaignTenant");
        }
        else
        {
            Require(options.OrganizationId, "OrganizationId");
            Require(options.Sandbox, "Sandbox");
        }

        if (options.CampaignTenant is { } tenant && !string.IsNullOrWhiteSpace(tenant))
        {
            CampaignClient.CheckTenant(tenant);
        }
        if (options.ClientSecret is null || options.ClientSecret.Length == 0)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, "ClientSecret"));
        }

        if (options.Sandbox.Length > 0 && !SandboxName().IsMatch(options.Sandbox))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.SandboxLowercase, options.Sandbox)) { Target = options.Sandbox };
        }

        options.Retry.Validate();
        var endpoint = EndpointRules.Check(options.PlatformEndpoint);
        var ims = EndpointRules.Check(options.ImsEndpoint
            ?? (EndpointRules.IsLoopback(endpoint) ? endpoint : AepConnectionOptions.DefaultImsEndpoint));

        Uri? campaign = null;
        if (!string.IsNullOrWhiteSpace(options.CampaignTenant))
        {
            campaign = EndpointRules.Check(options.CampaignEndpoint
                ?? (EndpointRules.IsLoopback(endpoint) ? endpoint : AepConnectionOptions.DefaultCampaignEndpoint));
        }

        var session = new IngestSession(options, endpoint, ims, campaign);
        try
        {
            await session.tokens!.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a Data Cloud session: loads the key (an encrypted PEM is refused), then logs in and exchanges the token
    /// at once, so a wrong key, user or consumer key fails here, naming the step that failed.
    /// </summary>
    public static async Task<IngestSession> ConnectAsync(DataCloudConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Require(options.ClientId, "ClientId");
        Require(options.UserName, "UserName");
        options.Retry.Validate();
        var loginUrl = EndpointRules.Check(options.LoginUrl ?? DataCloudConnectionOptions.DefaultLoginUrl);
        var key = DataCloudSigningKey.Load(options.PrivateKeyPath, options.Certificate);
        var session = new IngestSession(options, loginUrl, key);
        try
        {
            await session.dataCloudTokens!.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        IsClosed = true;
        History.Close();
        platformHttp.Dispose();
        imsHttp.Dispose();
        dataCloudHttp?.Dispose();
        signingKey?.Dispose();
    }

    public override string ToString() => Platform == IngestPlatform.DataCloud
        ? $"DataCloud {UserName} at {InstanceUrl?.ToString() ?? LoginUrl?.ToString()}{(Dataspace is null ? string.Empty : $" (dataspace {Dataspace})")}"
        : Platform == IngestPlatform.Campaign
        ? $"Campaign {CampaignTenant} at {CampaignEndpoint}"
        : CampaignTenant is null
            ? $"{Platform} {OrganizationId}/{Sandbox} at {Endpoint}"
            : $"{Platform} {OrganizationId}/{Sandbox} at {Endpoint}, Campaign {CampaignTenant} at {CampaignEndpoint}";

    private static HttpMessageHandler Chain(AepConnectionOptions options, HttpMessageHandler primary, DelegatingHandler? headers) =>
        Chain(options.Retry, options.TimeProvider, primary, headers);

    private static HttpMessageHandler Chain(RetrySettings retry, TimeProvider time, HttpMessageHandler primary, DelegatingHandler? headers)
    {
        // Outermost first: retry wraps auth (so each attempt carries a current token), auth wraps logging (so each send is logged).
        var logging = new LoggingHandler { InnerHandler = primary };
        HttpMessageHandler inner = logging;
        if (headers is not null)
        {
            headers.InnerHandler = logging;
            inner = headers;
        }

        return new ResilienceHandler(retry, time) { InnerHandler = inner };
    }

    private static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, name));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,127}$")]
    private static partial Regex SandboxName();
}
