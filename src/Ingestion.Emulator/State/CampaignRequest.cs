namespace Ingestion.Emulator.State;

/// <summary>
/// One triggered ingestion of a Campaign XDM mapping. The outcome is fixed when it is triggered (a later config change
/// does not rewrite history); what the status endpoint answers follows from <see cref="Due"/> and the clock.
/// </summary>
internal sealed record CampaignRequest
{
    public required long RequestId { get; init; }
    public required string Tenant { get; init; }
    public required string MappingId { get; init; }

    /// <summary>Unix milliseconds of the trigger.</summary>
    public required long Submitted { get; init; }

    /// <summary>Unix milliseconds from which the request has its outcome; <c>In Progress</c> before.</summary>
    public required long Due { get; init; }

    /// <summary><c>success</c>, <c>failure</c> or <c>abort</c>, as in the config file.</summary>
    public required string Outcome { get; init; }

    public long Records { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }

    /// <summary>The AEP batch a failure after batch prepare/upload names; null otherwise.</summary>
    public string? BatchId { get; init; }

    public long? AbortAfterRecords { get; init; }

    public bool IsFinishedAt(long nowMs) => nowMs >= Due;
}

/// <summary>What <c>campaign/requests.json</c> holds: every request and the last request id handed out.</summary>
internal sealed record CampaignRequestFile(long LastRequestId, IReadOnlyList<CampaignRequest> Requests);
