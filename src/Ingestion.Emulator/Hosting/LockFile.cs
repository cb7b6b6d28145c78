using System.Text.Json;
using Ingestion.Emulator.Storage;
using Ingestion.Shared;

namespace Ingestion.Emulator.Hosting;

/// <summary>
/// <c>&lt;data-dir&gt;/emulator.lock.json</c>: which process serves a data directory and where, so a launcher
/// can find or stop it and a second emulator does not start on the same files.
/// </summary>
internal sealed record LockFile(
    int ProcessId,
    string Endpoint,
    DateTimeOffset Started,
    string DataDirectory,
    string ClientId,
    string ClientSecret,
    string OrganizationId,
    string Sandbox,
    string Version,
    string? UserName = null,
    string? PrivateKeyPath = null,
    string? LoginUrl = null)
{
    /// <summary>Fails when the recorded emulator is still running; a lock left behind by a dead process is ignored.</summary>
    public static void ThrowIfHeld(string path)
    {
        if (ReadLive(path) is { } live)
        {
            throw new EmulatorStartException(
                $"Another emulator (process {live.ProcessId}, {live.Endpoint}) is already using data directory '{live.DataDirectory}'. " +
                "Stop it first, or choose another data directory.");
        }
    }

    /// <summary>The lock's content when its process is alive, else null.</summary>
    public static LockFile? ReadLive(string path)
    {
        LockFile? content;
        try
        {
            content = File.Exists(path) ? AtomicFile.ReadJson<LockFile>(path) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return content is not null && EmulatorFiles.IsAlive(content.ProcessId, content.Started) ? content : null;
    }

    /// <summary>
    /// Writes the lock unless another live emulator got there first (two starts racing); true when written.
    /// </summary>
    public bool TryWrite(string path)
    {
        if (ReadLive(path) is { } live && live.ProcessId != ProcessId)
        {
            return false;
        }

        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, PersistenceJson.Options));
        return true;
    }

    /// <summary>Removes the lock if it is still this emulator's.</summary>
    public void Remove(string path)
    {
        try
        {
            var current = File.Exists(path) ? AtomicFile.ReadJson<LockFile>(path) : null;
            if (current is not null && current.ProcessId == ProcessId && current.Endpoint == Endpoint)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
        }
    }
}
