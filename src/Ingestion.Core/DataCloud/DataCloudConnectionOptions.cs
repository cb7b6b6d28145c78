using System.Security.Cryptography.X509Certificates;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.DataCloud;

/// <summary>
/// Everything needed to reach Salesforce Data Cloud with the OAuth 2.0 JWT bearer flow: a connected app's consumer key,
/// the user to act as, and the private key whose certificate is uploaded to the app (a PEM file or a certificate).
/// </summary>
public sealed class DataCloudConnectionOptions
{
    public static readonly Uri DefaultLoginUrl = new("https://login.salesforce.com/");
    public static readonly Uri SandboxLoginUrl = new("https://test.salesforce.com/");

    /// <summary>The connected app's consumer key (the JWT's <c>iss</c>).</summary>
    public required string ClientId { get; init; }

    /// <summary>The Salesforce user the session acts as (the JWT's <c>sub</c>).</summary>
    public required string UserName { get; init; }

    /// <summary>An unencrypted RSA private key in PEM form (PKCS#8 or PKCS#1); or give <see cref="Certificate"/>.</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>A certificate with its RSA private key; or give <see cref="PrivateKeyPath"/>.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>https://login.salesforce.com, https://test.salesforce.com (sandboxes), a My Domain URL, or the emulator. Also the JWT's <c>aud</c>.</summary>
    public Uri LoginUrl { get; init; } = DefaultLoginUrl;

    /// <summary>The Data Cloud dataspace; null: the org's default.</summary>
    public string? Dataspace { get; init; }

    public RetrySettings Retry { get; init; } = new();
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The innermost handler; tests swap it, everyone else leaves it null.</summary>
    public HttpMessageHandler? PrimaryHandler { get; init; }

    /// <summary>The largest upload; files above it are split. Only tests lower it.</summary>
    internal long MaxUploadBytes { get; init; } = DataCloudCsv.MaxUploadBytes;
}
