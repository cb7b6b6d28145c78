using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ingestion.Core.Models;

namespace Ingestion.Core.Uploads;

/// <summary>
/// The journals of unfinished chunked uploads: one JSON file per (batch, dataset, remote name) in a per-user folder,
/// written atomically (temporary file, then rename). A journal names the target and the local file and lists the
/// chunks the service confirmed with an XXH64 of each; it never holds credentials or tokens.
/// </summary>
public static class UploadJournal
{
    private const string Extension = ".upload.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><c>LocalApplicationData/Ingestion/uploads</c>.</summary>
    public static string DefaultFolder =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "Ingestion", "uploads");

    /// <summary>The journals in <paramref name="folder"/> (the default folder when null); unreadable files are skipped.</summary>
    public static IReadOnlyList<UploadJournalInfo> List(string? folder = null)
    {
        folder ??= DefaultFolder;
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var found = new List<UploadJournalInfo>();
        foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            if (Load(file) is { } state)
            {
                found.Add(Describe(state, file));
            }
        }

        return [.. found.OrderBy(j => j.Updated)];
    }

    /// <summary>Deletes the journal of one upload; returns what it recorded, or null when there was none.</summary>
    public static UploadJournalInfo? Remove(string batchId, string datasetId, string remoteName, string? folder = null)
    {
        var file = FileFor(folder ?? DefaultFolder, batchId, datasetId, remoteName);
        var state = Load(file);
        if (state is null)
        {
            return null;
        }

        File.Delete(file);
        return Describe(state, file);
    }

    /// <summary>Deletes a journal listed by <see cref="List"/>.</summary>
    public static UploadJournalInfo? Remove(UploadJournalInfo journal, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return Remove(journal.BatchId, journal.DatasetId, journal.RemoteName, folder);
    }

    internal static string FileFor(string folder, string batchId, string datasetId, string remoteName)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', batchId, datasetId, remoteName)));
        return Path.Combine(folder, Convert.ToHexString(key.AsSpan(0, 16)).ToLowerInvariant() + Extension);
    }

    /// <summary>
    /// Holds the upload of one target for this process until disposed: a second upload of the same file to the same
    /// place (another shell, a second scheduled run) would interleave chunks and journal writes with this one. The lock
    /// is an open file without sharing beside the journal (an empty <c>.lock</c> file that stays), which the OS releases
    /// even when the process is killed.
    /// </summary>
    internal static IDisposable? TryLock(string folder, string batchId, string datasetId, string remoteName)
    {
        Directory.CreateDirectory(folder);
        var file = Path.ChangeExtension(FileFor(folder, batchId, datasetId, remoteName), ".lock");
        try
        {
            // Kept, not deleted on close: deleting it while another process opens it would let two processes lock
            // different files (Unix) or fail the open outright (Windows).
            return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static JournalState? Read(string folder, string batchId, string datasetId, string remoteName)
    {
        var state = Load(FileFor(folder, batchId, datasetId, remoteName));
        return state is not null && state.Version == JournalState.CurrentVersion && state.BatchId == batchId && state.DatasetId == datasetId && state.RemoteName == remoteName ? state : null;
    }

    internal static void Write(string folder, JournalState state)
    {
        Directory.CreateDirectory(folder);
        var file = FileFor(folder, state.BatchId, state.DatasetId, state.RemoteName);
        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(state, Json));
        File.Move(temporary, file, overwrite: true);
    }

    internal static void Delete(string folder, string batchId, string datasetId, string remoteName)
    {
        var file = FileFor(folder, batchId, datasetId, remoteName);
        if (File.Exists(file))
        {
            File.Delete(file);
        }
    }

    private static JournalState? Load(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<JournalState>(File.ReadAllBytes(file), Json) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static UploadJournalInfo Describe(JournalState state, string file) => new()
    {
        BatchId = state.BatchId,
        DatasetId = state.DatasetId,
        RemoteName = state.RemoteName,
        Path = state.Path,
        Size = state.Size,
        ChunkSize = state.ChunkSize,
        ChunksConfirmed = state.Chunks.Count,
        ChunksTotal = state.ChunkSize <= 0 ? 0 : (int)((state.Size + state.ChunkSize - 1) / state.ChunkSize),
        Updated = state.Updated,
        JournalPath = file,
    };
}

/// <summary>What a journal file holds.</summary>
internal sealed record JournalState
{
    /// <summary>2 since chunk hashes are XXH64; a journal of another version is not resumed from.</summary>
    public int Version { get; init; } = CurrentVersion;

    public const int CurrentVersion = 2;

    public required string BatchId { get; init; }

    public required string DatasetId { get; init; }

    public required string RemoteName { get; init; }

    public required string Path { get; init; }

    public long Size { get; init; }

    public DateTime LastWriteTimeUtc { get; init; }

    public long ChunkSize { get; init; }

    /// <summary>Confirmed chunk index to the XXH64 (16 hex digits) of its bytes.</summary>
    public SortedDictionary<int, string> Chunks { get; init; } = [];

    public DateTimeOffset Updated { get; init; }
}
