using System.Text.RegularExpressions;

namespace Ingestion.Core.Models;

/// <summary>
/// One on-demand ingestion of a Campaign Standard XDM mapping into Experience Platform, as the trigger or the
/// status call reported it. Binds to <c>Get-IngestStatus -MappingId -RequestId</c> by property name. The AEP batch
/// is <see cref="AepBatchId"/>, not <c>BatchId</c>: a <c>BatchId</c> property would bind the batch parameter set.
/// </summary>
public sealed partial class XdmIngestRequest
{
    public required string MappingId { get; init; }

    /// <summary>The Campaign request id; null only when the service gave none.</summary>
    public long? RequestId { get; init; }

    public XdmIngestStatus Status { get; init; }

    /// <summary>Campaign's own text (<c>info</c>), e.g. "ACP-880096 Sync Job failed to upload. …".</summary>
    public string? Info { get; init; }

    /// <summary>Records ingested (<c>numRecords</c>); Campaign reports it on success.</summary>
    public long? NumRecords { get; init; }

    /// <summary>The Experience Platform batch (<c>batchId</c>), set when a failure happened after the batch was uploaded.</summary>
    public string? AepBatchId { get; init; }

    /// <summary>The first ACP error code in <see cref="Info"/> (e.g. <c>ACP-880056</c>), or null.</summary>
    public string? ErrorCode => ParseErrorCode(Info);

    public bool IsTerminal => Status.IsTerminal();

    /// <summary>The Campaign instance the request runs on.</summary>
    public string? Tenant { get; init; }

    public static string? ParseErrorCode(string? info) =>
        info is null ? null : AcpCode().Match(info) is { Success: true } match ? match.Value : null;

    /// <summary>"mapping request status", or "mapping status" for a request Campaign gave no id (a refused trigger).</summary>
    public override string ToString() => RequestId is null ? $"{MappingId} {Status}" : $"{MappingId} {RequestId} {Status}";

    [GeneratedRegex(@"\bACP-\d+\b")]
    private static partial Regex AcpCode();
}
