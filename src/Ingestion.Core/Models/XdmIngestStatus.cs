namespace Ingestion.Core.Models;

/// <summary>Where a Campaign Standard XDM mapping ingestion request stands.</summary>
public enum XdmIngestStatus
{
    /// <summary>The trigger accepted the request ("Success" from the trigger call): submitted, not finished.</summary>
    Submitted,

    /// <summary>"In Progress": the request is running (from the trigger: one was already running for the mapping).</summary>
    InProgress,

    /// <summary>"Success" from the status call: the data reached Experience Platform.</summary>
    Success,

    /// <summary>"Failed": see Info and ErrorCode; AepBatchId is set when the failure came after the batch upload.</summary>
    Failed,

    /// <summary>"Aborted": the request was stopped; submit a new one.</summary>
    Aborted,
}

/// <summary>The terminal states, in one place.</summary>
public static class XdmIngestStatusExtensions
{
    public static bool IsTerminal(this XdmIngestStatus status) =>
        status is XdmIngestStatus.Success or XdmIngestStatus.Failed or XdmIngestStatus.Aborted;
}
