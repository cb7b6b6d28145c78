using System.Text.Json.Nodes;

namespace Ingestion.Emulator.Hosting;

/// <summary>
/// The single JSON line a launcher waits for on stdout. It starts with <c>{"event":"ready"</c>; non-ASCII
/// characters are \u-escaped so the line survives any console encoding.
/// </summary>
internal static class ReadyLine
{
    public static string For(EmulatorHost host) => new JsonObject
    {
        ["event"] = "ready",
        ["endpoint"] = host.Endpoint.ToString(),
        ["dataDirectory"] = host.DataDirectory,
        ["processId"] = Environment.ProcessId,
        ["clientId"] = host.Credentials.ClientId,
        ["clientSecret"] = host.Credentials.ClientSecret,
        ["organizationId"] = host.Credentials.OrganizationId,
        ["sandbox"] = host.Credentials.Sandbox,
        ["userName"] = EmulatorHost.DataCloudUserName,
        ["privateKeyPath"] = host.DataCloudPrivateKeyPath,
        ["loginUrl"] = host.DataCloudLoginUrl,
        ["version"] = EmulatorHost.Version,
    }.ToJsonString();
}
