using System.Globalization;
using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// Gathers what went wrong while reading a batch into Catalog's <c>errors[]</c>. The same problem on many
/// rows (same file, field and kind) becomes one entry with a row list, so a million bad rows stay readable.
/// </summary>
internal sealed class BatchErrorCollector
{
    private const int MaxEntries = 100;
    private const int MaxRowsPerEntry = 1000;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<Entry> _order = [];
    private long _dropped;

    public long FailedRecords { get; private set; }

    public bool HasErrors => _order.Count > 0;

    /// <summary>Every problem added so far, grouped or not: a change tells that something went wrong in between.</summary>
    public long Occurrences { get; private set; }

    public void RecordFailed(long count = 1) => FailedRecords += count;

    /// <summary>Adds one occurrence; <paramref name="groupKey"/> decides which occurrences are "the same problem".</summary>
    public void Add(string code, string groupKey, string description, long? row)
    {
        Occurrences++;
        if (!_entries.TryGetValue(groupKey, out var entry))
        {
            if (_order.Count >= MaxEntries)
            {
                _dropped++;
                return;
            }

            entry = new Entry(code, description);
            _entries[groupKey] = entry;
            _order.Add(entry);
        }

        entry.Occurrences++;
        if (row is { } r && entry.Rows.Count < MaxRowsPerEntry)
        {
            entry.Rows.Add(r.ToString(CultureInfo.InvariantCulture));
        }
    }

    public IReadOnlyList<BatchErrorEntry> ToEntries()
    {
        var entries = _order.Select(e => new BatchErrorEntry(
            e.Code,
            e.Occurrences > 1 ? $"{e.Description} Rows affected in total: {e.Occurrences}." : e.Description,
            e.Rows.ToList())).ToList();
        if (_dropped > 0)
        {
            entries.Add(new BatchErrorEntry(
                BatchErrorCodes.SchemaMismatch,
                $"{_dropped} further problems were found; only the first {MaxEntries} kinds are listed.",
                []));
        }

        return entries;
    }

    private sealed class Entry(string code, string description)
    {
        public string Code { get; } = code;
        public string Description { get; } = description;
        public List<string> Rows { get; } = [];
        public long Occurrences { get; set; }
    }
}
