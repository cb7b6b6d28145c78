using System.Security.Cryptography;
using System.Text;

namespace Ingestion.Emulator.Storage;

/// <summary>
/// Maps one segment of a client's file path to a name every common file system accepts, so a data
/// directory can move between Windows, macOS and Linux. Ordinary names (spaces, unicode, '=') are kept
/// as they are; only what some platform forbids is %-escaped, and '%' itself so the mapping stays one-to-one.
/// </summary>
internal static class DiskFileName
{
    // Linux allows 255 bytes per name; leave room for the collision suffix.
    private const int MaxSegmentBytes = 200;

    private static readonly HashSet<string> WindowsDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public static string MapSegment(string segment)
    {
        var builder = new StringBuilder(segment.Length + 8);
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            var last = i == segment.Length - 1;
            if (c is '%' or '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' || char.IsControl(c) || (last && c is '.' or ' '))
            {
                Escape(builder, c);
            }
            else
            {
                builder.Append(c);
            }
        }

        var dot = segment.IndexOf('.');
        var stem = dot < 0 ? segment : segment[..dot];
        if (WindowsDeviceNames.Contains(stem.TrimEnd(' ')))
        {
            builder.Remove(0, 1);
            var first = new StringBuilder();
            Escape(first, segment[0]);
            builder.Insert(0, first.ToString());
        }

        var mapped = builder.ToString();
        return Encoding.UTF8.GetByteCount(mapped) <= MaxSegmentBytes ? mapped : Shorten(mapped, segment);
    }

    /// <summary>Adds a short hash of the original name, to separate two names that map to one disk name.</summary>
    public static string WithSuffix(string mapped, string original) => $"{mapped}~{ShortHash(original)}";

    private static string Shorten(string mapped, string original)
    {
        var keep = mapped.Length;
        while (keep > 0 && Encoding.UTF8.GetByteCount(mapped.AsSpan(0, keep)) > MaxSegmentBytes - 10)
        {
            keep--;
        }

        if (keep > 0 && char.IsHighSurrogate(mapped[keep - 1]))
        {
            keep--;
        }

        return WithSuffix(mapped[..keep], original);
    }

    private static void Escape(StringBuilder builder, char c)
    {
        Span<byte> bytes = stackalloc byte[4];
        var count = Encoding.UTF8.GetBytes([c], bytes);
        foreach (var b in bytes[..count])
        {
            builder.Append('%').Append(b.ToString("X2"));
        }
    }

    private static string ShortHash(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 4).ToLowerInvariant();
}
