using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ingestion.Emulator.Faults;

/// <summary>
/// Injects the faults <see cref="FaultInjector"/> decides, early in the pipeline (after request ids and the request
/// log, before error handling and the gateway), on every route except <c>/emulator/…</c> and <c>GET /</c>.
/// </summary>
internal sealed class FaultInjectionMiddleware(RequestDelegate next, FaultInjector faults, EmulatorContext emulator)
{
    public const string FaultHeader = "x-emulator-fault";

    /// <summary>At most this much of a request body is read before a reset-request fault drops the connection.</summary>
    private const int MaxPartialRequestBytes = 64 * 1024;

    /// <summary>Time for the partial response to reach the socket before the connection is aborted.</summary>
    private static readonly TimeSpan PartialResponseGrace = TimeSpan.FromMilliseconds(100);

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (IsExempt(path))
        {
            await next(context);
            return;
        }

        var decision = faults.Decide(path, out var options);
        if (decision == FaultDecision.None)
        {
            await next(context);
            return;
        }

        if (decision.Slow)
        {
            Injected(context, FaultKind.Slow);
            try
            {
                await Task.Delay(options.SlowDelay, emulator.Time, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client gave up waiting, which is what a slow answer is for; nothing is performed.
                return;
            }
        }

        switch (decision.Fault)
        {
            case null:
                await next(context);
                break;
            case FaultKind.ResetRequest:
                Injected(context, FaultKind.ResetRequest);
                await ReadPartOfBodyAsync(context);
                context.Abort();
                break;
            case FaultKind.ServerError:
                Injected(context, FaultKind.ServerError);
                await WriteErrorAsync(context, decision.ServerErrorStatus, FaultKind.ServerError, decision.ServerErrorStatus switch
                {
                    502 => "Bad Gateway",
                    503 => "Service Unavailable",
                    _ => "Internal Server Error",
                });
                break;
            case FaultKind.Throttle:
                Injected(context, FaultKind.Throttle);
                context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, FaultKind.Throttle, "Too many requests");
                break;
            case FaultKind.LostResponse:
                await RunBufferedAsync(context);
                Injected(context, FaultKind.LostResponse);
                context.Abort();
                break;
            case FaultKind.ResetResponse:
                var body = await RunBufferedAsync(context);
                Injected(context, FaultKind.ResetResponse);
                await WritePartOfResponseAsync(context, body);
                break;
        }
    }

    /// <summary>The control and health routes must keep working whatever the faults, and so must the page at <c>/</c>.</summary>
    /// <summary>
    /// The emulator's own routes are never faulted; <c>/emulator/campaign/…</c> is not one of them but Campaign's
    /// built-in tenant <c>emulator</c>, faulted like every service path.
    /// </summary>
    private static bool IsExempt(string path) =>
        path == "/"
        || ((path.Equals("/emulator", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/emulator/", StringComparison.OrdinalIgnoreCase))
            && !Gateway.CampaignPaths.IsCampaign(path));

    private void Injected(HttpContext context, FaultKind kind)
    {
        // IMS takes credentials in the query: never log a query.
        faults.Injected(kind, context.Request.Method, context.Request.Path.Value ?? "/", RequestIdMiddleware.Of(context));
    }

    /// <summary>Gateway-style error body, as Adobe's edge answers 5xx and 429 before a service sees the request.</summary>
    private static Task WriteErrorAsync(HttpContext context, int status, FaultKind kind, string message)
    {
        context.Response.Headers[FaultHeader] = FaultInjector.Kebab(kind);
        return ErrorResponses.WriteGatewayErrorAsync(context, status, $"{status}050", $"{message} (fault injected by the emulator)");
    }

    private static async Task ReadPartOfBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody)
        {
            return;
        }

        var size = request.ContentLength is { } length ? (int)Math.Clamp(length / 2, 1, MaxPartialRequestBytes) : MaxPartialRequestBytes;
        var buffer = new byte[size];
        try
        {
            _ = await request.Body.ReadAsync(buffer, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The connection is about to be dropped anyway.
        }
    }

    /// <summary>Runs the rest of the pipeline with the response body kept in memory; the request is fully performed.</summary>
    private async Task<byte[]> RunBufferedAsync(HttpContext context)
    {
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var buffered = new StreamResponseBodyFeature(buffer);
        context.Features.Set<IHttpResponseBodyFeature>(buffered);
        try
        {
            await next(context);
            await buffered.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Sends the status line, the headers with the full Content-Length and half the body, then drops the connection,
    /// so the client sees a truncated answer. An answer without a body has nothing to cut: it is dropped before its
    /// headers, which the client sees like a lost response.
    /// </summary>
    private async Task WritePartOfResponseAsync(HttpContext context, byte[] body)
    {
        var response = context.Response;
        if (body.Length == 0 || HttpMethods.IsHead(context.Request.Method) || response.StatusCode is 204 or 304)
        {
            context.Abort();
            return;
        }

        try
        {
            response.Headers[FaultHeader] = FaultInjector.Kebab(FaultKind.ResetResponse);
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(PartialResponseGrace, emulator.Time, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client went away first; the connection is dropped either way.
        }

        context.Abort();
    }
}
