namespace Ingestion.Core.Models;

/// <summary>The 16 batch status values of AEP Catalog, plus <see cref="Unknown"/> for anything newer.</summary>
public enum BatchStatus
{
    Unknown = 0,
    Loading,
    Loaded,
    Queued,
    Processing,
    Staging,
    Staged,
    Retrying,
    Stalled,
    Active,
    Success,
    Failed,
    Failure,
    Aborted,
    Abandoned,
    Inactive,
    Deleted,
}

public static class BatchStatusExtensions
{
    /// <summary>
    /// Whether the batch will not change state without someone acting on it.
    /// Stalled counts: retries are exhausted and only support can move it on.
    /// </summary>
    public static bool IsTerminal(this BatchStatus status) => status switch
    {
        BatchStatus.Active or BatchStatus.Success or BatchStatus.Failed or BatchStatus.Failure
            or BatchStatus.Aborted or BatchStatus.Abandoned or BatchStatus.Inactive
            or BatchStatus.Deleted or BatchStatus.Stalled => true,
        _ => false,
    };

    /// <summary>Active and Success are used interchangeably by the service.</summary>
    public static bool IsSuccess(this BatchStatus status) => status is BatchStatus.Active or BatchStatus.Success;

    public static bool IsFailure(this BatchStatus status) => status is BatchStatus.Failed or BatchStatus.Failure;

    /// <summary>Parses Catalog's lowercase value; unknown values map to <see cref="BatchStatus.Unknown"/> rather than failing.</summary>
    public static BatchStatus ParseCatalogValue(string? value) =>
        !string.IsNullOrEmpty(value) && value.All(char.IsAsciiLetter) && Enum.TryParse<BatchStatus>(value, ignoreCase: true, out var status)
            ? status
            : BatchStatus.Unknown;

    public static string ToCatalogValue(this BatchStatus status) => status.ToString().ToLowerInvariant();
}
