using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Ingestion.Emulator.Storage;

namespace Ingestion.Emulator.Import;

/// <summary>
/// Decides where an uploaded file lives under <c>batches/&lt;id&gt;/files/</c>: the client's folders and
/// names, made safe by <see cref="DiskFileName"/>. Disk names are compared ignoring case so a data directory
/// behaves the same on case-insensitive file systems.
/// </summary>
internal static class UploadPlacement
{
    public static string DiskPathFor(BatchState batch, RemoteFilePath path)
    {
        var existing = batch.Files.FirstOrDefault(f => f.Name == path.Name);
        if (existing is not null)
        {
            return existing.DiskPath;
        }

        var mapped = path.Segments.Select(DiskFileName.MapSegment).ToArray();
        var candidate = Join(batch.DatasetId, mapped);
        if (batch.Files.Any(f => string.Equals(f.DiskPath, candidate, StringComparison.OrdinalIgnoreCase)))
        {
            mapped[^1] = DiskFileName.WithSuffix(mapped[^1], path.Name);
            candidate = Join(batch.DatasetId, mapped);
        }

        // Object stores allow 'a' and 'a/b' side by side; a file system cannot have 'a' as both file and folder.
        var clash = batch.Files.FirstOrDefault(f =>
            f.DiskPath.StartsWith(candidate + "/", StringComparison.OrdinalIgnoreCase)
            || candidate.StartsWith(f.DiskPath + "/", StringComparison.OrdinalIgnoreCase));
        if (clash is not null)
        {
            throw Problems.FilePathConflict(
                $"The file path '{path.Name}' clashes with file '{clash.Name}' already in the batch: one name cannot be both a file and a folder.");
        }

        return candidate;
    }

    private static string Join(string datasetId, IEnumerable<string> segments) => string.Join('/', segments.Prepend(datasetId));
}
