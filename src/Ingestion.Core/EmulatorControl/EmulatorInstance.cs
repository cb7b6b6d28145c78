using System.Security;

namespace Ingestion.Core.EmulatorControl;

/// <summary>A running emulator process and the credentials it accepts (not secret; kept in a SecureString because sessions take one).</summary>
public sealed class EmulatorInstance
{
    public required Uri Endpoint { get; init; }
    public required string DataDirectory { get; init; }
    public required int ProcessId { get; init; }
    public required string ClientId { get; init; }
    public required SecureString ClientSecret { get; init; }
    public required string OrganizationId { get; init; }
    public required string Sandbox { get; init; }

    /// <summary>
    /// The Salesforce Data Cloud user (the JWT's <c>sub</c>); <see cref="ClientId"/> is the connected app's consumer key.
    /// Null for an emulator too old to emulate Data Cloud.
    /// </summary>
    public string? UserName { get; init; }

    /// <summary>The built-in connected app's private key, a PKCS#8 PEM file in the data directory, to sign JWT assertions with.</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>The Salesforce login URL (<c>http://127.0.0.1:port</c>, no trailing slash), also the JWT audience.</summary>
    public string? LoginUrl { get; init; }

    /// <summary>The emulator's version, when it reported one.</summary>
    public string? Version { get; init; }

    /// <summary>The log file the emulator writes after it is ready.</summary>
    public string LogPath => Path.Combine(DataDirectory, EmulatorLauncher.LogFileName);

    public override string ToString() => $"{Endpoint} (process {ProcessId})";

    internal static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
