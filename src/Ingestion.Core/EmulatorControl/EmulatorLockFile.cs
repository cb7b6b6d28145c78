using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ingestion.Core.EmulatorControl;

/// <summary>
/// Reads <c>&lt;data-dir&gt;/emulator.lock.json</c>, which a running emulator keeps with its process id,
/// endpoint and credentials. A lock left by a dead process (or one whose id now belongs to a newer process) is stale.
/// </summary>
internal sealed class EmulatorLockFile
{
    public const string FileName = Shared.EmulatorFiles.LockFileName;

    [JsonPropertyName("processId")]
    public int ProcessId { get; init; }

    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; init; }

    [JsonPropertyName("started")]
    public DateTimeOffset Started { get; init; }

    [JsonPropertyName("dataDirectory")]
    public string? DataDirectory { get; init; }

    [JsonPropertyName("clientId")]
    public string? ClientId { get; init; }

    [JsonPropertyName("clientSecret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("organizationId")]
    public string? OrganizationId { get; init; }

    [JsonPropertyName("sandbox")]
    public string? Sandbox { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("userName")]
    public string? UserName { get; init; }

    [JsonPropertyName("privateKeyPath")]
    public string? PrivateKeyPath { get; init; }

    [JsonPropertyName("loginUrl")]
    public string? LoginUrl { get; init; }

    public static string PathFor(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static EmulatorLockFile? Read(string dataDirectory)
    {
        var path = PathFor(dataDirectory);
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return JsonSerializer.Deserialize<EmulatorLockFile>(stream);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public bool IsAlive() => Shared.EmulatorFiles.IsAlive(ProcessId, Started);

    public EmulatorInstance? ToInstance(string dataDirectory)
    {
        if (Endpoint is null || !Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || ClientId is null || ClientSecret is null
            || OrganizationId is null || Sandbox is null)
        {
            return null;
        }

        return new EmulatorInstance
        {
            Endpoint = endpoint,
            DataDirectory = DataDirectory ?? dataDirectory,
            ProcessId = ProcessId,
            ClientId = ClientId,
            ClientSecret = EmulatorInstance.Secure(ClientSecret),
            OrganizationId = OrganizationId,
            Sandbox = Sandbox,
            Version = Version,
            UserName = UserName,
            PrivateKeyPath = PrivateKeyPath,
            LoginUrl = LoginUrl,
        };
    }
}
