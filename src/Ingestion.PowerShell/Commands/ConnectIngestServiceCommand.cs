using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using Ingestion.Core;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Connects to a platform and makes the connection the default for the other cmdlets.
/// Every parameter binds by property name, so <c>Start-IngestEmulator | Connect-IngestService</c> works (with
/// <c>-Platform DataCloud</c> too: the emulator's ClientId, UserName, PrivateKeyPath and LoginUrl bind).
/// The Data Cloud parameters belong to every parameter set and -ClientSecret is checked at run time rather than by the
/// binder: an emulator object carries both a ClientSecret and a key, and a separate Data Cloud set would make the
/// binder pick the Adobe set for it.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "IngestService", DefaultParameterSetName = ClientSecretSet)]
[OutputType(typeof(IngestSession))]
public sealed class ConnectIngestServiceCommand : IngestCmdlet
{
    private const string ClientSecretSet = "ClientSecret";
    private const string CredentialSet = "Credential";
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Aep (default; needs -OrganizationId and -Sandbox, -Tenant adds Campaign), Campaign (needs -Tenant only) or DataCloud (needs -UserName and a key).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public IngestPlatform Platform { get; set; } = IngestPlatform.Aep;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClientSecretSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string ClientId { get; set; } = null!;

    /// <summary>Needed for Aep and Campaign (checked when the command runs); not used by DataCloud.</summary>
    [Parameter(Position = 1, ParameterSetName = ClientSecretSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public SecureString? ClientSecret { get; set; }

    /// <summary>User name = client id, password = client secret.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
    [Credential]
    [ValidateNotNull]
    public PSCredential Credential { get; set; } = null!;

    /// <summary>The IMS organization; needed for -Platform Aep. With -Platform Campaign, typed together with -Sandbox, the session serves AEP too (piped in, it is ignored).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? OrganizationId { get; set; }

    /// <summary>The sandbox; needed for -Platform Aep. With -Platform Campaign, typed together with -OrganizationId, the session serves AEP too (piped in, it is ignored).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Sandbox { get; set; }

    /// <summary>The Campaign Standard instance id (not the IMS organization; stage instances end in -mkt-stage).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Tenant { get; set; }

    /// <summary>Where Campaign calls go: https://mc.adobe.io/ by default, the -Endpoint itself when that is loopback (the emulator).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? CampaignEndpoint { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Scope { get; set; } = AepConnectionOptions.DefaultScope;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri Endpoint { get; set; } = AepConnectionOptions.DefaultPlatformEndpoint;

    /// <summary>Adobe IMS for a remote platform; the platform endpoint itself for a loopback one (the emulator).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? ImsEndpoint { get; set; }

    /// <summary>Retries after the first attempt for calls that are safe to repeat.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MaximumRetryCount")]
    [ValidateRange(0, 20)]
    public int MaxRetries { get; set; } = new RetrySettings().MaxRetries;

    /// <summary>Base delay of the exponential backoff between retries; a Retry-After from the service wins. A bare number means seconds.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("RetryIntervalSec")]
    [SecondsToTimeSpan]
    public TimeSpan RetryDelay { get; set; } = new RetrySettings().RetryDelay;

    /// <summary>Time allowed for one attempt of one request, uploads included; at most a day (the engine's per-attempt timeout allows no more).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 86_400)]
    public int TimeoutSec { get; set; } = (int)new RetrySettings().AttemptTimeout.TotalSeconds;

    /// <summary>Time allowed for one call in all, its retries and waits included; never less than one attempt; file uploads are exempt.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 86_400)]
    public int OverallTimeoutSec { get; set; } = (int)new RetrySettings().OverallTimeout.TotalSeconds;

    /// <summary>DataCloud: the Salesforce user the session acts as (the JWT's sub).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    /// <summary>DataCloud: an unencrypted RSA private key in PEM form (PKCS#8 or PKCS#1) whose certificate is uploaded to the connected app.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? PrivateKeyPath { get; set; }

    /// <summary>DataCloud: a certificate with its RSA private key, instead of -PrivateKeyPath.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>DataCloud: https://login.salesforce.com (default), https://test.salesforce.com for sandboxes, or a My Domain URL.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? LoginUrl { get; set; }

    /// <summary>DataCloud: the dataspace to work in; the org's default when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Dataspace { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>-OrganizationId or -Sandbox typed on the command line (not bound from a piped emulator object).</summary>
    private bool aepTyped;

    protected override void OnBegin()
    {
        // Before the first record, only the parameters given on the command line are bound.
        aepTyped = MyInvocation.BoundParameters.ContainsKey(nameof(OrganizationId)) || MyInvocation.BoundParameters.ContainsKey(nameof(Sandbox));
    }

    protected override void ProcessRecord()
    {
        if (RetryDelay < TimeSpan.Zero || RetryDelay > MaxRetryDelay)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidRetryDelay, ErrorCategory.InvalidArgument, string.Format(Messages.RetryDelayOutOfRange, RetryDelay, MaxRetryDelay), RetryDelay));
        }

        var retry = new RetrySettings
        {
            MaxRetries = MaxRetries,
            RetryDelay = RetryDelay,
            AttemptTimeout = TimeSpan.FromSeconds(TimeoutSec),
            OverallTimeout = TimeSpan.FromSeconds(OverallTimeoutSec),
        };

        if (Platform == IngestPlatform.DataCloud)
        {
            ConnectDataCloud(retry);
            return;
        }

        // The Data Cloud parameters are ignored here: an emulator object piped in carries them for every platform.
        if (ParameterSetName == ClientSecretSet && ClientSecret is null)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, string.Format(Messages.AdobeNeedsSecret, Platform), Platform));
        }

        if (Platform == IngestPlatform.Campaign && string.IsNullOrEmpty(Tenant))
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, Messages.CampaignNeedsTenant, Platform));
        }

        // -Platform Campaign ignores an organization and sandbox piped in (Start-IngestEmulator carries them), but one the
        // user typed is kept: the session serves both, as -Platform Aep -Tenant does. Half of the pair is refused.
        var platform = Platform;
        if (platform == IngestPlatform.Campaign && aepTyped)
        {
            if (string.IsNullOrEmpty(OrganizationId) || string.IsNullOrEmpty(Sandbox))
            {
                ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, Messages.CampaignOrganizationNeedsSandbox, Platform));
            }

            platform = IngestPlatform.Aep;
            WriteVerbose(string.Format(Messages.CampaignServesAepToo, Tenant, OrganizationId, Sandbox));
        }

        if (platform == IngestPlatform.Aep && (string.IsNullOrEmpty(OrganizationId) || string.IsNullOrEmpty(Sandbox)))
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, Messages.AepNeedsOrganization, Platform));
        }

        if (CampaignEndpoint is not null && string.IsNullOrEmpty(Tenant))
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, Messages.CampaignEndpointNeedsTenant, CampaignEndpoint));
        }

        var fromCredential = ParameterSetName == CredentialSet;
        var options = new AepConnectionOptions
        {
            ClientId = fromCredential ? Credential.UserName : ClientId,
            ClientSecret = fromCredential ? Credential.Password : ClientSecret!,
            Platform = platform,
            // A Campaign-only session never sends them (Start-IngestEmulator pipes them in anyway).
            OrganizationId = platform == IngestPlatform.Aep ? OrganizationId! : string.Empty,
            Sandbox = platform == IngestPlatform.Aep ? Sandbox! : string.Empty,
            CampaignTenant = Tenant,
            CampaignEndpoint = CampaignEndpoint,
            Scope = Scope,
            PlatformEndpoint = Endpoint,
            ImsEndpoint = ImsEndpoint,
            Retry = retry,
        };

        // Without a session nothing else can run: a failure here ends the command.
        if (!TryRun(token => IngestSession.ConnectAsync(options, token), Endpoint, out var session, static _ => true))
        {
            return;
        }

        Keep(session);
    }

    private void ConnectDataCloud(RetrySettings retry)
    {
        var clientId = ParameterSetName == CredentialSet ? Credential.UserName : ClientId;
        if (string.IsNullOrEmpty(UserName) || (PrivateKeyPath is null && Certificate is null))
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, Messages.DataCloudNeedsUser, Platform));
        }

        string? keyPath = null;
        if (PrivateKeyPath is not null)
        {
            // With -Certificate too, the engine refuses the pair (DcKeyBoth) rather than picking one silently.
            // Resolved through the provider, so relative paths and ~ work like everywhere else in PowerShell.
            keyPath = GetUnresolvedProviderPathFromPSPath(PrivateKeyPath);
        }

        var options = new DataCloudConnectionOptions
        {
            ClientId = clientId,
            UserName = UserName!,
            PrivateKeyPath = keyPath,
            Certificate = Certificate,
            LoginUrl = LoginUrl ?? DataCloudConnectionOptions.DefaultLoginUrl,
            Dataspace = Dataspace,
            Retry = retry,
        };

        var target = options.LoginUrl;
        if (!TryRun(token => IngestSession.ConnectAsync(options, token), target, out var session, static _ => true))
        {
            return;
        }

        Keep(session);
    }

    private void Keep(IngestSession session)
    {
        // The replaced session stays usable for whoever holds it (a -PassThru variable); only Disconnect closes it.
        SessionStore.Set(session);
        // Fill the completion cache in the background now, so the first Tab has ids to offer; this never waits.
        session.StartCompletionListings();
        WriteVerbose(string.Format(Messages.Connected, session));
        if (PassThru)
        {
            WriteObject(session);
        }
    }
}
