using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Http;

/// <summary>One concise line per request, so the emulator's log reads like a transcript of what the client did.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                // IMS and Salesforce's token endpoints take credentials in the query as well as the body: never write that query to the log.
                var target = context.Request.Path.StartsWithSegments("/ims") || context.Request.Path.StartsWithSegments("/services")
                    ? context.Request.Path.Value
                    : context.Request.Path.Value + context.Request.QueryString.Value;
                logger.LogInformation(
                    "{Method} {Target} -> {Status} ({Elapsed:0} ms, request {RequestId})",
                    context.Request.Method,
                    target,
                    context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode,
                    elapsed.TotalMilliseconds,
                    RequestIdMiddleware.Of(context));
            }
        }
    }
}
