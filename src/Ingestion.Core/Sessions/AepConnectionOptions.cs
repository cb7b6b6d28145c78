using System.Security;

namespace Ingestion.Core.Sessions;

/// <summary>Everything needed to reach an AEP organisation (or the emulator).</summary>
public sealed class AepConnectionOptions
{
    /// <summary>The scope Adobe's examples use for Experience Platform; the credential in Developer Console may list others.</summary>
    public const string DefaultScope = "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session";

    public static readonly Uri DefaultPlatformEndpoint = new("https://platform.adobe.io/");
    public static readonly Uri DefaultImsEndpoint = new("https://ims-na1.adobelogin.com/");

    public required string ClientId { get; init; }
    public required SecureString ClientSecret { get; init; }
    public required string OrganizationId { get; init; }
    public required string Sandbox { get; init; }
    public string Scope { get; init; } = DefaultScope;
    public Uri PlatformEndpoint { get; init; } = DefaultPlatformEndpoint;

    /// <summary>Null: Adobe's IMS for a remote platform, the platform endpoint itself for a loopback one (the emulator serves both).</summary>
    public Uri? ImsEndpoint { get; init; }

    public RetrySettings Retry { get; init; } = new();
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The innermost handler; tests swap it, everyone else leaves it null.</summary>
    public HttpMessageHandler? PrimaryHandler { get; init; }
}
