using Ingestion.Emulator.Http;

namespace Ingestion.Emulator.Import;

/// <summary>
/// The <c>{filePath}</c> of an upload URL. Its folders are kept ("can be used to denote partitions"), so
/// <c>part1=a/part2=b/x.parquet</c> is fine, as are spaces and unicode; what could not be a path is refused.
/// </summary>
internal sealed record RemoteFilePath(string Name, IReadOnlyList<string> Segments)
{
    public const int MaxLength = 1024;

    /// <summary>Parses the still percent-encoded text after <c>/files/</c>.</summary>
    public static RemoteFilePath Parse(string encoded)
    {
        if (encoded.Length == 0)
        {
            throw Problems.InvalidFilePath("The file path is empty: add the file's name after /files/.");
        }

        // %2F is taken as a folder separator, the same as '/'.
        var name = Uri.UnescapeDataString(encoded);
        if (name.Length > MaxLength)
        {
            throw Problems.InvalidFilePath($"The file path is {name.Length} characters long; the limit is {MaxLength}.");
        }

        var segments = name.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                throw Problems.InvalidFilePath($"The file path '{name}' has an empty segment (a leading, trailing or doubled '/').");
            }

            if (segment is "." or "..")
            {
                throw Problems.InvalidFilePath($"The file path '{name}' contains a '{segment}' segment; relative segments are not allowed.");
            }

            var control = segment.FirstOrDefault(char.IsControl);
            if (control != default || segment.Contains('\0'))
            {
                throw Problems.InvalidFilePath(
                    $"The file path '{Printable(name)}' contains the control character U+{(int)control:X4}; file names cannot contain control characters.");
            }
        }

        return new RemoteFilePath(name, segments);
    }

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
