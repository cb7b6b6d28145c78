using System.Security;

namespace Ingestion.Core.Sessions;

/// <summary>Everything needed to reach an AEP organisation, a Campaign Standard instance, or both (or the emulator).</summary>
public sealed class AepConnectionOptions
{
    /// <summary>The scope Adobe's examples use for Experience Platform; the credential in Developer Console may list others.</summary>
    public const string DefaultScope = "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session";

    public static readonly Uri DefaultPlatformEndpoint = new("https://platform.adobe.io/");
    public static readonly Uri DefaultImsEndpoint = new("https://ims-na1.adobelogin.com/");
    public static readonly Uri DefaultCampaignEndpoint = new("https://mc.adobe.io/");

    public required string ClientId { get; init; }
    public required SecureString ClientSecret { get; init; }
    /// <summary>What the session is for; <see cref="IngestPlatform.Campaign"/> needs no organisation or sandbox, only <see cref="CampaignTenant"/>.</summary>
    public IngestPlatform Platform { get; init; } = IngestPlatform.Aep;

    /// <summary>The IMS organisation; required for <see cref="IngestPlatform.Aep"/>, unused by Campaign.</summary>
    public string OrganizationId { get; init; } = string.Empty;

    /// <summary>The sandbox; required for <see cref="IngestPlatform.Aep"/>, unused by Campaign.</summary>
    public string Sandbox { get; init; } = string.Empty;

    /// <summary>
    /// The Campaign Standard instance id (<c>&lt;ORGANIZATION&gt;</c> in <c>mc.adobe.io/&lt;ORGANIZATION&gt;/campaign</c>; stage
    /// instances end in <c>-mkt-stage</c>), not the IMS organisation. Required for Campaign; with Aep it lets the same
    /// session serve Campaign too (same credentials).
    /// </summary>
    public string? CampaignTenant { get; init; }

    /// <summary>Null: Adobe's Campaign gateway for a remote platform, the platform endpoint itself for a loopback one (the emulator).</summary>
    public Uri? CampaignEndpoint { get; init; }
    public string Scope { get; init; } = DefaultScope;
    public Uri PlatformEndpoint { get; init; } = DefaultPlatformEndpoint;

    /// <summary>Null: Adobe's IMS for a remote platform, the platform endpoint itself for a loopback one (the emulator serves both).</summary>
    public Uri? ImsEndpoint { get; init; }

    public RetrySettings Retry { get; init; } = new();
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The innermost handler; tests swap it, everyone else leaves it null.</summary>
    public HttpMessageHandler? PrimaryHandler { get; init; }
}
