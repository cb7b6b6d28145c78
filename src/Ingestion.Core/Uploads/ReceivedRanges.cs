using System.Globalization;

namespace Ingestion.Core.Uploads;

/// <summary>
/// What the service says it holds of a chunked upload: <c>Range: bytes 0-N</c> (the contiguous prefix) and, from the
/// emulator, <c>x-emulator-received-ranges: a-b,c-d</c> or <c>none</c>. The one place these headers are parsed.
/// </summary>
internal sealed class ReceivedRanges
{
    public const string ReceivedRangesHeader = "x-emulator-received-ranges";

    private readonly List<(long Start, long End)> ranges;

    private ReceivedRanges(List<(long Start, long End)> ranges) => this.ranges = ranges;

    public IReadOnlyList<(long Start, long End)> Ranges => ranges;

    public static ReceivedRanges Parse(HttpResponseMessage response)
    {
        var found = new List<(long, long)>();
        if (Header(response, ReceivedRangesHeader) is { } all && !all.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var part in all.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (TryRange(part, out var range))
                {
                    found.Add(range);
                }
            }
        }

        if (Header(response, "Range") is { } prefix
            && prefix.Trim() is var text && text.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase)
            && TryRange(text[6..].Trim(), out var contiguous) && contiguous.Start == 0)
        {
            found.Add(contiguous);
        }

        return new ReceivedRanges(found);
    }

    /// <summary>Whether every byte from <paramref name="start"/> to <paramref name="end"/> (inclusive) was received.</summary>
    public bool Covers(long start, long end) => ranges.Any(r => r.Start <= start && r.End >= end);

    private static bool TryRange(string text, out (long Start, long End) range)
    {
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end < start)
        {
            return false;
        }

        range = (start, end);
        return true;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
