using System.Management.Automation;
using System.Net;
using Ingestion.Core.Aep;
using Ingestion.Core.Campaign;
using Ingestion.Core.DataCloud;
using Ingestion.Core.EmulatorControl;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;

namespace Ingestion.PowerShell.Errors;

/// <summary>The one place where engine failures become PowerShell errors.</summary>
public static class ErrorMapper
{
    /// <summary>Picks the stable ErrorId and the category. Pure, so tests need no runspace.</summary>
    public static (string ErrorId, ErrorCategory Category) Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            IngestionException ingestion => Classify(ingestion),
            EmulatorUnavailableException => (ErrorIds.EmulatorUnavailable, ErrorCategory.ResourceUnavailable),
            EmulatorLaunchException => (ErrorIds.EmulatorStartFailed, ErrorCategory.OpenError),
            OperationCanceledException => (ErrorIds.OperationCanceled, ErrorCategory.OperationStopped),
            UnauthorizedAccessException => (ErrorIds.FileAccessDenied, ErrorCategory.PermissionDenied),
            FileNotFoundException or DirectoryNotFoundException => (ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound),
            IOException => (ErrorIds.FileReadFailed, ErrorCategory.ReadError),
            _ => (ErrorIds.UnexpectedError, ErrorCategory.NotSpecified),
        };
    }

    /// <summary>
    /// Failures that will hit every further input the same way (wrong credentials, no entitlement):
    /// they stop the command instead of repeating once per file or batch.
    /// </summary>
    public static bool EndsCommand(Exception exception) =>
        exception is IngestionException { Kind: IngestErrorKind.Authentication or IngestErrorKind.PermissionDenied };

    /// <summary>
    /// Everything the error record will carry, as data (tests cannot build a real ErrorRecord without PowerShell).
    /// The engine's target (file, batch, last status) wins over the caller's; the request id joins the message
    /// and the recommended action goes into ErrorDetails, where PowerShell shows both.
    /// </summary>
    public static ErrorDescription Describe(Exception exception, object? target)
    {
        var (id, category) = Classify(exception);
        var ingestion = exception as IngestionException;
        string? details = null;
        if (ingestion is not null && (ingestion.RecommendedAction is not null || ingestion.RequestId is not null))
        {
            details = ingestion.RequestId is null
                ? ingestion.Message
                : string.Format(Messages.ErrorWithRequestId, ingestion.Message, ingestion.RequestId);
        }

        return new ErrorDescription(id, category, ingestion?.Target ?? target, details, ingestion?.RecommendedAction);
    }

    public static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        var description = Describe(exception, target);
        var record = new ErrorRecord(exception, description.ErrorId, description.Category, description.Target);
        if (description.DetailsMessage is not null)
        {
            record.ErrorDetails = new ErrorDetails(description.DetailsMessage) { RecommendedAction = description.RecommendedAction };
        }

        return record;
    }

    /// <summary>An error the cmdlet itself raises (bad parameters, a path that does not exist).</summary>
    public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target)
    {
        Exception exception = category switch
        {
            ErrorCategory.InvalidArgument => new PSArgumentException(message),
            ErrorCategory.ObjectNotFound => new ItemNotFoundException(message),
            _ => new PSInvalidOperationException(message),
        };
        return new ErrorRecord(exception, errorId, category, target);
    }

    private static (string, ErrorCategory) Classify(IngestionException exception) => exception.Kind switch
    {
        // The batch was created without -ErrorDiagnostics: nothing is wrong, a feature was off.
        _ when DataAccessClient.IsDiagnosticsNotEnabled(exception) => (ErrorIds.DiagnosticsNotEnabled, ErrorCategory.NotEnabled),
        // Campaign refused to trigger a mapping that is not published or not stopped: fixed in the Campaign UI.
        _ when CampaignClient.IsMappingNotReady(exception) => (ErrorIds.MappingNotReady, ErrorCategory.InvalidOperation),
        // The trigger's answer never came: a request may be running, and the trigger was deliberately not repeated.
        _ when CampaignClient.IsTriggerUnconfirmed(exception) => (ErrorIds.MappingTriggerUnconfirmed, exception.Kind == IngestErrorKind.Timeout ? ErrorCategory.OperationTimeout : ErrorCategory.ResourceUnavailable),
        // Data Cloud: this session's own job limits (5 open, 20 an hour) under -NoWait, and a job's 101st file.
        _ when DataCloudClient.IsJobLimitReached(exception) => (ErrorIds.JobLimitReached, exception.Kind == IngestErrorKind.Timeout ? ErrorCategory.OperationTimeout : ErrorCategory.LimitsExceeded),
        _ when DataCloudClient.IsJobFileLimitReached(exception) => (ErrorIds.JobFileLimitReached, ErrorCategory.LimitsExceeded),
        IngestErrorKind.Authentication => (ErrorIds.AuthenticationFailed, ErrorCategory.PermissionDenied),
        IngestErrorKind.PermissionDenied => (ErrorIds.PermissionDenied, ErrorCategory.PermissionDenied),
        // Refused by the service: the request's content is wrong. Refused locally: a parameter is.
        IngestErrorKind.InvalidArgument => (ErrorIds.InvalidArgument, exception.StatusCode is null ? ErrorCategory.InvalidArgument : ErrorCategory.InvalidData),
        IngestErrorKind.NotFound => (ErrorIds.NotFound, ErrorCategory.ObjectNotFound),
        IngestErrorKind.InvalidState => (ErrorIds.InvalidState, ErrorCategory.InvalidOperation),
        // A wait that ran out carries the last status it saw; a request that ran out carries none.
        IngestErrorKind.Timeout => (exception.Target is IngestStatus or XdmIngestRequest or DataCloudJob ? ErrorIds.WaitTimeout : ErrorIds.RequestTimeout, ErrorCategory.OperationTimeout),
        IngestErrorKind.RateLimited => (ErrorIds.RateLimited, ErrorCategory.LimitsExceeded),
        IngestErrorKind.Unavailable => (ErrorIds.ServiceUnavailable, ErrorCategory.ResourceUnavailable),
        IngestErrorKind.UnexpectedResponse => (ErrorIds.UnexpectedResponse, ErrorCategory.InvalidResult),
        // A local file or object does not fit its schema or cannot be read: the message names the row and field.
        IngestErrorKind.InvalidData => (ErrorIds.InvalidData, ErrorCategory.InvalidData),
        _ => (ErrorIds.ServiceError, CategoryOf(exception.StatusCode)),
    };

    private static ErrorCategory CategoryOf(HttpStatusCode? status) => (int?)status switch
    {
        401 or 403 => ErrorCategory.PermissionDenied,
        404 or 410 => ErrorCategory.ObjectNotFound,
        409 => ErrorCategory.ResourceExists,
        400 or 422 => ErrorCategory.InvalidData,
        408 or 504 => ErrorCategory.OperationTimeout,
        429 => ErrorCategory.LimitsExceeded,
        >= 500 => ErrorCategory.ResourceUnavailable,
        _ => ErrorCategory.NotSpecified,
    };
}

/// <summary>What <see cref="ErrorMapper"/> puts into an ErrorRecord.</summary>
public readonly record struct ErrorDescription(string ErrorId, ErrorCategory Category, object? Target, string? DetailsMessage, string? RecommendedAction);
