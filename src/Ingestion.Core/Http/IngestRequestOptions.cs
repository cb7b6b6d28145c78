namespace Ingestion.Core.Http;

/// <summary>Per-request facts the handler chain acts on.</summary>
internal static class IngestRequestOptions
{
    /// <summary>Set on requests that may be sent again without changing the outcome; only those are retried.</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("Ingestion.Idempotent");

    /// <summary>
    /// Set on requests that must not be performed twice but may be sent again when the first attempt surely was not
    /// performed: the connection could not be made, or the service answered 429 or 503 before doing anything.
    /// A lost or cut-off answer, a timeout or another 5xx is not retried (the request may have been performed).
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> RetryUnperformed = new("Ingestion.RetryUnperformed");

    /// <summary>Requests to the platform carry the AEP headers and a bearer token; IMS requests do not.</summary>
    public static readonly HttpRequestOptionsKey<bool> Authenticated = new("Ingestion.Authenticated");

    /// <summary>Campaign Standard requests: <c>Authorization</c>, <c>X-Api-Key</c> and <c>Cache-Control: no-cache</c>, no AEP organisation or sandbox headers.</summary>
    public static readonly HttpRequestOptionsKey<bool> Campaign = new("Ingestion.Campaign");

    /// <summary>Set on downloads whose body the caller streams; every other answer is read whole inside its attempt.</summary>
    public static readonly HttpRequestOptionsKey<bool> StreamResponse = new("Ingestion.StreamResponse");

    public static HttpRequestMessage MarkStreamed(this HttpRequestMessage request)
    {
        request.Options.Set(StreamResponse, true);
        return request;
    }

    public static bool IsStreamed(this HttpRequestMessage request) =>
        request.Options.TryGetValue(StreamResponse, out var value) && value;

    public static HttpRequestMessage MarkIdempotent(this HttpRequestMessage request)
    {
        request.Options.Set(Idempotent, true);
        return request;
    }

    public static bool IsIdempotent(this HttpRequestMessage request) =>
        request.Options.TryGetValue(Idempotent, out var value) && value;

    public static HttpRequestMessage MarkRetryUnperformed(this HttpRequestMessage request)
    {
        request.Options.Set(RetryUnperformed, true);
        return request;
    }

    public static bool IsRetryUnperformed(this HttpRequestMessage request) =>
        request.Options.TryGetValue(RetryUnperformed, out var value) && value;

    /// <summary>A request whose body is a local file or a range of one: exempt from the overall timeout (each attempt is bounded).</summary>
    public static bool IsFileUpload(this HttpRequestMessage request) =>
        request.Content is FileUploadContent or FileRangeContent;

    public static bool IsCampaign(this HttpRequestMessage request) =>
        request.Options.TryGetValue(Campaign, out var value) && value;

    public static bool IsAuthenticated(this HttpRequestMessage request) =>
        request.Options.TryGetValue(Authenticated, out var value) && value;
}

/// <summary>How many attempts a request took (and may take), so log lines and an exhausted-retries error can say so.</summary>
internal static class IngestRequestAttempts
{
    public static readonly HttpRequestOptionsKey<int> Key = new("Ingestion.Attempts");

    /// <summary>How many attempts the request may take in all (1 for requests that are never retried).</summary>
    public static readonly HttpRequestOptionsKey<int> MaxKey = new("Ingestion.MaxAttempts");

    /// <summary>The session's retry settings, set on every request the resilience handler takes, so an exhausted-retries error can name them.</summary>
    public static readonly HttpRequestOptionsKey<Sessions.RetrySettings> SettingsKey = new("Ingestion.RetrySettings");

    /// <summary>The caller's own token, set on each attempt, so the log can tell a timed-out attempt from a cancelled call.</summary>
    public static readonly HttpRequestOptionsKey<CancellationToken> CallerTokenKey = new("Ingestion.CallerToken");

    /// <summary>
    /// "Gave up after n attempts (… the settings …)" for an error that the retries did not overcome; empty when the
    /// request was sent only once or its last answer was not a transient failure (a 400 after a 503 was not "given up").
    /// </summary>
    public static string GaveUpText(this HttpRequestMessage? request, bool transient)
    {
        var attempts = request?.AttemptsOf() ?? 1;
        if (attempts <= 1 || !transient)
        {
            return string.Empty;
        }

        return " " + (request!.Options.TryGetValue(SettingsKey, out var settings)
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, Messages.GaveUpWithSettings, attempts, settings.MaxRetries, settings.RetryDelay, settings.AttemptTimeout.TotalSeconds, settings.OverallTimeout.TotalSeconds)
            : string.Format(Messages.GaveUpNameSettings, attempts));
    }

    public static int AttemptsOf(this HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var value) ? value : 1;

    /// <summary>"attempt n of m" for a log line; empty when the request carries no count.</summary>
    public static string AttemptText(this HttpRequestMessage request) =>
        request.Options.TryGetValue(MaxKey, out var max)
            ? string.Format(Messages.AttemptOf, request.AttemptsOf(), max)
            : string.Empty;
}
