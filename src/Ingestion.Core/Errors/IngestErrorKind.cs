namespace Ingestion.Core.Errors;

/// <summary>What went wrong, coarse enough for the cmdlets to pick an error category and id.</summary>
public enum IngestErrorKind
{
    /// <summary>The service answered with an error not covered below.</summary>
    Service,
    /// <summary>Credentials refused or token invalid (401, IMS errors).</summary>
    Authentication,
    /// <summary>Authenticated but not allowed (403).</summary>
    PermissionDenied,
    /// <summary>The caller's input is wrong (400, 413, 414, 415, or local validation).</summary>
    InvalidArgument,
    /// <summary>The batch, dataset or file does not exist (404).</summary>
    NotFound,
    /// <summary>The object is in a state that refuses the action (409, or 400 naming a state).</summary>
    InvalidState,
    /// <summary>A wait or request ran out of time.</summary>
    Timeout,
    /// <summary>429: the service asks to slow down.</summary>
    RateLimited,
    /// <summary>5xx after retries, or the network failed.</summary>
    Unavailable,
    /// <summary>The service answered something that is not what the API documents.</summary>
    UnexpectedResponse,
    /// <summary>The data of a local file or object cannot be read or does not fit the schema (a row and a field are named).</summary>
    InvalidData,
}
