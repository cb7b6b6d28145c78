using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Completion;

/// <summary>
/// Completes an identifier from what the session has already seen (<see cref="IngestSession.History"/>): memory only,
/// never a request per key press. The session is the one bound to <c>-Session</c> on the command line, else the default.
/// </summary>
public abstract class HistoryCompleter : IArgumentCompleter
{
    private static readonly char[] NeedsQuotes = [' ', '\t', '\'', '"', '`', '$', ';', ',', '(', ')', '{', '}', '|', '&', '<', '>', '@', '#'];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = SessionOf(fakeBoundParameters);
        return session is null || session.IsClosed ? [] : Complete(Candidates(session), wordToComplete);
    }

    /// <summary>The entries to offer, best first.</summary>
    protected abstract IEnumerable<HistoryEntry> Candidates(IngestSession session);

    /// <summary>Entries whose id starts with <paramref name="wordToComplete"/> (wildcards allowed, quotes ignored), quoted when needed.</summary>
    public static IEnumerable<CompletionResult> Complete(IEnumerable<HistoryEntry> entries, string? wordToComplete)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = WildcardPattern.Get(WildcardPattern.ContainsWildcardCharacters(word) ? word + "*" : WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
        var offered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (pattern.IsMatch(entry.Id) && offered.Add(entry.Id))
            {
                var text = entry.Id.IndexOfAny(NeedsQuotes) >= 0 ? "'" + entry.Id.Replace("'", "''", StringComparison.Ordinal) + "'" : entry.Id;
                var tip = string.IsNullOrWhiteSpace(entry.Description) ? entry.Id : $"{entry.Id}: {entry.Description}";
                yield return new CompletionResult(text, entry.Id, CompletionResultType.ParameterValue, tip);
            }
        }
    }

    internal static IngestSession? SessionOf(IDictionary? fakeBoundParameters)
    {
        var given = fakeBoundParameters?["Session"];
        return (given is PSObject wrapped ? wrapped.BaseObject : given) as IngestSession ?? SessionStore.Default;
    }
}

/// <summary>
/// <c>-DatasetId</c>: datasets this session created, fetched or listed, then those of one cached Catalog listing.
/// Connect-IngestService starts the first listing; until one has finished, a completion waits for it up to
/// <see cref="SessionHistory.FirstListingWait"/>. A listing older than <see cref="SessionHistory.ListingTtl"/> is
/// refreshed in the background, at most once per TTL, while completion answers from memory at once.
/// </summary>
public sealed class DatasetIdCompleter : HistoryCompleter
{
    protected override IEnumerable<HistoryEntry> Candidates(IngestSession session)
    {
        _ = session.RefreshDatasetHistory();
        session.History.WaitForFirstListing(HistoryKind.Dataset, SessionHistory.FirstListingWait);
        return session.History.Datasets();
    }
}

/// <summary>
/// <c>-BatchId</c>: AEP batches and Data Cloud jobs this session created or looked at, most recently seen first, then
/// the newest ones of one cached listing (Catalog batches or Data Cloud jobs), refreshed in the background like datasets.
/// </summary>
public sealed class BatchIdCompleter : HistoryCompleter
{
    protected override IEnumerable<HistoryEntry> Candidates(IngestSession session)
    {
        _ = session.RefreshBatchHistory();
        session.History.WaitForFirstListing(HistoryKind.Batch, SessionHistory.FirstListingWait);
        return session.History.Candidates(HistoryKind.Batch);
    }
}

/// <summary><c>-MappingId</c>: Campaign XDM mappings this session started or looked at.</summary>
public sealed class MappingIdCompleter : HistoryCompleter
{
    protected override IEnumerable<HistoryEntry> Candidates(IngestSession session) => session.History.Recent(HistoryKind.Mapping);
}

/// <summary>
/// <c>-RequestId</c>: Campaign ingestion requests this session started or read, newest first; only those of the
/// <c>-MappingId</c> already on the command line when there is one. The tooltip names the mapping and the last status.
/// </summary>
public sealed class RequestIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = HistoryCompleter.SessionOf(fakeBoundParameters);
        if (session is null || session.IsClosed)
        {
            return [];
        }

        var mapping = fakeBoundParameters?["MappingId"] is { } given ? (given is PSObject wrapped ? wrapped.BaseObject : given)?.ToString() : null;
        return HistoryCompleter.Complete(Candidates(session.History.Recent(HistoryKind.MappingRequest), mapping), wordToComplete);
    }

    /// <summary>The requests as entries whose id is the request id, filtered by <paramref name="mappingId"/> when given.</summary>
    public static IEnumerable<HistoryEntry> Candidates(IEnumerable<HistoryEntry> requests, string? mappingId)
    {
        foreach (var entry in requests)
        {
            var split = entry.Id.LastIndexOf('/');
            if (split <= 0)
            {
                continue;
            }

            var mapping = entry.Id[..split];
            if (mappingId is null || string.Equals(mapping, mappingId, StringComparison.Ordinal))
            {
                yield return new HistoryEntry(entry.Id[(split + 1)..], string.Format(Messages.RequestIdTip, mapping, entry.Description), entry.Seen);
            }
        }
    }
}

/// <summary><c>-Object</c>: Data Cloud objects this session wrote to or saw on a job.</summary>
public sealed class DataCloudObjectCompleter : HistoryCompleter
{
    protected override IEnumerable<HistoryEntry> Candidates(IngestSession session) => session.History.Recent(HistoryKind.DataCloudObject);
}

/// <summary><c>-SourceName</c>: Data Cloud Ingestion API sources this session wrote to or saw on a job.</summary>
public sealed class DataCloudSourceCompleter : HistoryCompleter
{
    protected override IEnumerable<HistoryEntry> Candidates(IngestSession session) => session.History.Recent(HistoryKind.DataCloudSource);
}
