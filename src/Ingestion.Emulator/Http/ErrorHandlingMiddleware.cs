using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Http;

/// <summary>Turns <see cref="ServiceException"/> into problem JSON, <see cref="DataCloud.DataCloudException"/> into Salesforce's error list, and anything unexpected into a logged 500.</summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ServiceException problem) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteProblemAsync(context, problem);
        }
        catch (DataCloud.DataCloudException refusal) when (!context.Response.HasStarted)
        {
            await refusal.WriteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteProblemAsync(context, new ServiceException(ex.StatusCode, $"EMULATOR-0400-{ex.StatusCode}", "Bad Request", ex.Message));
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            await ErrorResponses.WriteProblemAsync(
                context,
                new ServiceException(500, "EMULATOR-0500-500", "Internal Server Error", $"The emulator failed: {ex.Message}"));
        }
    }
}
