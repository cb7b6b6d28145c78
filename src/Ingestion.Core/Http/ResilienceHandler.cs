using System.Net;
using Ingestion.Core.Sessions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Ingestion.Core.Http;

/// <summary>
/// Retries what is safe to retry (requests marked idempotent) on transient failures, with jittered
/// exponential backoff that gives way to the service's <c>Retry-After</c>, and bounds every attempt in time.
/// Sits outside the auth handler so each attempt gets a current token.
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Ingestion.Request");
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly TimeProvider time;

    public ResilienceHandler(RetrySettings settings, TimeProvider time)
    {
        this.time = time;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryDelay,
                // Exponential growth stops at two minutes, or at the delay the user asked for if that is longer.
                MaxDelay = settings.RetryDelay > TimeSpan.FromMinutes(2) ? settings.RetryDelay : TimeSpan.FromMinutes(2),
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(RequestKey, out var request)
                    && request.IsIdempotent()
                    && IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(RequestKey, out var request))
                    {
                        request.Options.Set(IngestRequestAttempts.Key, args.AttemptNumber + 2);
                        var reason = args.Outcome.Exception?.Message ?? $"{(int)args.Outcome.Result!.StatusCode} {args.Outcome.Result.ReasonPhrase}";
                        IngestLog.Verbose(string.Format(Messages.Retrying, request.Method, request.RequestUri?.AbsolutePath, reason, args.AttemptNumber + 2, settings.MaxRetries + 1, args.RetryDelay.TotalSeconds));
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(settings.AttemptTimeout);
        pipeline = builder.Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await pipeline.ExecuteAsync(
                async ctx =>
                {
                    var response = await base.SendAsync(request, ctx.CancellationToken).ConfigureAwait(false);
                    // The answers are small JSON documents: reading them inside the attempt puts a stalled body under
                    // the same timeout and retry as stalled headers.
                    return request.IsStreamed() ? response : await BufferAsync(response, ctx.CancellationToken).ConfigureAwait(false);
                },
                context).ConfigureAwait(false);
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

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        if (wait is null)
        {
            return null;
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }
}
