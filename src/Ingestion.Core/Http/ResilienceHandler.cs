using System.Net;
using Ingestion.Core.Sessions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Ingestion.Core.Http;

/// <summary>
/// Retries what is safe to retry (requests marked idempotent) on transient failures, with jittered
/// exponential backoff that gives way to the service's <c>Retry-After</c>, bounds every attempt in time
/// (<see cref="RetrySettings.AttemptTimeout"/>) and the whole call (<see cref="RetrySettings.OverallTimeout"/>).
/// Every attempt sends a fresh copy of the request. Sits outside the auth handler so each attempt gets a current token.
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Ingestion.Request");
    private static readonly ResiliencePropertyKey<bool> OverallExpiredKey = new("Ingestion.OverallExpired");
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly TimeProvider time;
    private readonly RetrySettings settings;
    private readonly TimeSpan overallLimit;

    public ResilienceHandler(RetrySettings settings, TimeProvider time)
    {
        this.time = time;
        this.settings = settings;
        // One attempt is always allowed its full time, however short the overall limit.
        overallLimit = settings.OverallTimeout > settings.AttemptTimeout ? settings.OverallTimeout : settings.AttemptTimeout;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };

        // Outermost: the whole call, retries and waits included. File uploads are exempt: each attempt is already
        // bounded by AttemptTimeout, and a large file may rightly take longer than any fixed overall limit.
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(
                args.Context.Properties.TryGetValue(RequestKey, out var request) && request.IsFileUpload() ? Timeout.InfiniteTimeSpan : overallLimit),
            OnTimeout = args =>
            {
                args.Context.Properties.Set(OverallExpiredKey, true);
                return ValueTask.CompletedTask;
            },
        });

        if (settings.MaxRetries > 0)
        {
            var retry = Backoff<HttpResponseMessage>(settings);
            retry.ShouldHandle = args => ValueTask.FromResult(
                args.Context.Properties.TryGetValue(RequestKey, out var request)
                && (request.IsIdempotent()
                    ? IsTransient(args.Outcome, args.Context.CancellationToken)
                    : request.IsRetryUnperformed() && IsUnperformed(args.Outcome)));
            retry.DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result?.Headers.RetryAfter, time));
            retry.OnRetry = args =>
            {
                if (args.Context.Properties.TryGetValue(RequestKey, out var request))
                {
                    request.Options.Set(IngestRequestAttempts.Key, args.AttemptNumber + 2);
                    var reason = args.Outcome.Exception?.Message ?? $"{(int)args.Outcome.Result!.StatusCode} {args.Outcome.Result.ReasonPhrase}";
                    IngestLog.Verbose(string.Format(Messages.Retrying, request.Method, request.RequestUri?.AbsolutePath, reason, args.AttemptNumber + 2, settings.MaxRetries + 1, args.RetryDelay.TotalSeconds));
                }

                // Polly disposes the failed response before the next attempt (verified by a test).
                return ValueTask.CompletedTask;
            };
            builder.AddRetry(retry);
        }

        builder.AddTimeout(settings.AttemptTimeout);
        pipeline = builder.Build();
    }

    /// <summary>
    /// The backoff every retry in the engine shares: jittered exponential from <see cref="RetrySettings.RetryDelay"/>,
    /// growth capped at two minutes (or the delay asked for, if longer), <see cref="RetrySettings.MaxRetries"/> retries.
    /// </summary>
    internal static RetryStrategyOptions<T> Backoff<T>(RetrySettings settings) => new()
    {
        MaxRetryAttempts = Math.Max(settings.MaxRetries, 1),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = settings.RetryDelay,
        MaxDelay = settings.RetryDelay > TimeSpan.FromMinutes(2) ? settings.RetryDelay : TimeSpan.FromMinutes(2),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(IngestRequestAttempts.MaxKey, out _))
        {
            request.Options.Set(IngestRequestAttempts.MaxKey, request.IsIdempotent() || request.IsRetryUnperformed() ? settings.MaxRetries + 1 : 1);
        }

        request.Options.Set(IngestRequestAttempts.SettingsKey, settings);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await pipeline.ExecuteAsync(
                async ctx =>
                {
                    // A fresh message per attempt: nothing the previous send did to its message (headers added by
                    // the handlers below, a consumed body, the "sent" mark) carries over.
                    var attempt = RequestCloner.Clone(request);
                    attempt.Options.Set(IngestRequestAttempts.CallerTokenKey, cancellationToken);
                    if (attempt.Content is null && !request.IsIdempotent())
                    {
                        // SocketsHttpHandler quietly sends a request without a body again (up to three more times, on
                        // new connections too, whatever the pooling settings) when the connection closes before the
                        // first byte of an answer; for ABORT, REVERT or a file's COMPLETE that performs it again behind
                        // our back. Once a body has started it never does, so such requests carry an empty one: the
                        // same "Content-Length: 0" on the wire that a POST without a body sends anyway.
                        attempt.Content = new ByteArrayContent([]);
                    }

                    var response = await base.SendAsync(attempt, ctx.CancellationToken).ConfigureAwait(false);
                    // The answers are small JSON documents: reading them inside the attempt puts a stalled body under
                    // the same timeout and retry as stalled headers.
                    return request.IsStreamed() ? response : await BufferAsync(response, ctx.CancellationToken).ConfigureAwait(false);
                },
                context).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex) when (context.Properties.TryGetValue(OverallExpiredKey, out var expired) && expired)
        {
            throw new TimeoutRejectedException(string.Format(Messages.OverallTimeoutReached, overallLimit.TotalSeconds, request.AttemptsOf()), overallLimit, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async Task<HttpResponseMessage> BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var buffered = new ByteArrayContent(body);
            foreach (var header in response.Content.Headers)
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content.Dispose();
            response.Content = buffered;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    internal static bool IsTransientStatus(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome.Exception switch
    {
        null => IsTransientStatus(outcome.Result!.StatusCode),
        TimeoutRejectedException => true,
        // Our own refusal (a file that changed under us) surfaces wrapped; sending again cannot help.
        HttpRequestException or IOException when Errors.IngestionExceptionChain.Find(outcome.Exception) is not null => false,
        HttpRequestException => true,
        IOException => true,
        // The caller's own cancellation is final; any other cancellation is a connection dropped under us.
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// True only when the attempt surely did nothing on the service: no connection was made (name resolution, connect
    /// or TLS failed before a byte of the request left), or the service said "not now" (429, 503) before acting.
    /// A lost or cut-off answer, an attempt timeout or another 5xx may follow a request that was performed.
    /// </summary>
    internal static bool IsUnperformed(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => (int)outcome.Result!.StatusCode is 429 or 503,
        HttpRequestException http when Errors.IngestionExceptionChain.Find(http) is null =>
            http.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError,
        _ => false,
    };

    /// <summary>
    /// The wait a <c>Retry-After</c> asks for (a number of seconds, or an HTTP date read against <paramref name="time"/>),
    /// clamped to zero to five minutes; null when there is none and the backoff decides.
    /// </summary>
    internal static TimeSpan? RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? header, TimeProvider time)
    {
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        if (wait is null)
        {
            return null;
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }
}
