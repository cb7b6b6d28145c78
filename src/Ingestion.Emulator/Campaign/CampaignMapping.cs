namespace Ingestion.Emulator.Campaign;

/// <summary>What a triggered ingestion of a mapping ends in.</summary>
internal enum CampaignOutcome
{
    Success,
    Failure,
    Abort,
}

/// <summary>
/// One Campaign Standard XDM mapping (Administration &gt; Development &gt; Platform &gt; Status of data export to platform)
/// and what triggering it does. Only a published, then stopped mapping can be triggered through the API.
/// </summary>
/// <param name="Id">The XDM mapping id, as in the trigger URL.</param>
/// <param name="Tenant">The Campaign instance (tenant id) the mapping belongs to.</param>
/// <param name="Records">What a successful ingestion reports as <c>numRecords</c>.</param>
/// <param name="ErrorCode">For <see cref="CampaignOutcome.Failure"/>: the ACP code that opens the status <c>info</c>.</param>
/// <param name="ErrorMessage">For <see cref="CampaignOutcome.Failure"/>: the text after the code.</param>
/// <param name="FailAfterBatch">The failure happens after the AEP batch was prepared or uploaded, so the status names its <c>batchId</c>.</param>
/// <param name="AbortAfterRecords">For <see cref="CampaignOutcome.Abort"/>: how many records had been sent when it was aborted (only in <c>info</c>).</param>
/// <param name="Delay">Time from the trigger to the outcome; the status is <c>In Progress</c> until then.</param>
internal sealed record CampaignMapping(
    string Id,
    string Tenant,
    bool Published,
    bool Stopped,
    long Records,
    CampaignOutcome Outcome,
    string ErrorCode,
    string ErrorMessage,
    bool FailAfterBatch,
    long? AbortAfterRecords,
    TimeSpan Delay)
{
    /// <summary>The tenant every emulator has, where the built-in mappings live.</summary>
    public const string BuiltInTenant = "emulator";

    public const long DefaultRecords = 14;
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(2);

    /// <summary>Documented by Adobe for a failed ingestion of a mapping; happens before any batch exists.</summary>
    public const string DatabaseErrorCode = "ACP-880056";

    /// <summary>Documented by Adobe for a failed ingestion of a mapping; happens once the batch was prepared (the status names it).</summary>
    public const string UploadErrorCode = "ACP-880096";

    public const string DefaultErrorCode = UploadErrorCode;

    /// <summary>The messages Adobe documents for its ACP codes; any other code gets <see cref="GenericErrorMessage"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownErrorMessages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DatabaseErrorCode] = "Failed to fetch the record from the database.",
        [UploadErrorCode] = "Sync Job failed to upload. Please check the error in the Platform UI.",
    };

    public const string GenericErrorMessage = "Data ingestion failed.";

    public static string MessageFor(string errorCode) => KnownErrorMessages.GetValueOrDefault(errorCode, GenericErrorMessage);

    /// <summary>An upload failure needs a batch to have failed to upload; any other code fails before a batch exists.</summary>
    public static bool DefaultFailAfterBatch(string errorCode) => errorCode == UploadErrorCode;

    /// <summary>Mappings every emulator has on tenant <see cref="BuiltInTenant"/>, so each answer can be tried without a config file.</summary>
    public static IReadOnlyList<CampaignMapping> BuiltIns { get; } =
    [
        Success("demo-profiles"),
        Success("demo-not-stopped") with { Stopped = false },
        Success("demo-not-published") with { Published = false, Stopped = false },
        Success("demo-db-failure") with
        {
            Outcome = CampaignOutcome.Failure, ErrorCode = DatabaseErrorCode, ErrorMessage = MessageFor(DatabaseErrorCode), FailAfterBatch = false,
        },
        Success("demo-upload-failure") with
        {
            Outcome = CampaignOutcome.Failure, ErrorCode = UploadErrorCode, ErrorMessage = MessageFor(UploadErrorCode), FailAfterBatch = true,
        },
        Success("demo-aborted") with { Outcome = CampaignOutcome.Abort, AbortAfterRecords = 5 },
    ];

    private static CampaignMapping Success(string id) =>
        new(id, BuiltInTenant, Published: true, Stopped: true, DefaultRecords, CampaignOutcome.Success,
            DefaultErrorCode, MessageFor(DefaultErrorCode), FailAfterBatch: false, AbortAfterRecords: null, DefaultDelay);
}

/// <summary>The Campaign instances and mappings one emulator knows: the built-ins plus the config file's <c>campaign</c>.</summary>
internal sealed class CampaignCatalog
{
    private readonly HashSet<string> _tenants;
    private readonly Dictionary<(string Tenant, string Id), CampaignMapping> _mappings;

    public CampaignCatalog(IEnumerable<string> tenants, IEnumerable<CampaignMapping> mappings)
    {
        _tenants = new HashSet<string>(tenants, StringComparer.Ordinal) { CampaignMapping.BuiltInTenant };
        _mappings = [];
        foreach (var mapping in CampaignMapping.BuiltIns.Concat(mappings))
        {
            // A configured mapping with a built-in's id replaces it.
            _mappings[(mapping.Tenant, mapping.Id)] = mapping;
        }
    }

    public static CampaignCatalog BuiltInOnly { get; } = new([], []);

    public IReadOnlyCollection<string> Tenants => _tenants;

    public IEnumerable<CampaignMapping> Mappings => _mappings.Values;

    public bool HasTenant(string tenant) => _tenants.Contains(tenant);

    public CampaignMapping? Find(string tenant, string id) => _mappings.GetValueOrDefault((tenant, id));
}
