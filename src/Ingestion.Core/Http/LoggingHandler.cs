using System.Diagnostics;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.Http;

/// <summary>
/// Innermost of our handlers, so it sees every attempt, timed-out ones included. Logs method, path, status (or
/// "timed out"), duration and "attempt n of m" only (the wait before the next is the resilience handler's line):
/// query strings, headers and bodies may carry credentials and are never written.
/// </summary>
internal sealed class LoggingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var what = $"{request.Method} {request.RequestUri?.AbsolutePath}";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            IngestLog.Verbose($"{what} -> {(int)response.StatusCode} {response.ReasonPhrase} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms{request.AttemptText()}");
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The attempt's own time limit (or the call's overall one) ran out, or the caller stopped the call.
            var callerStopped = request.Options.TryGetValue(IngestRequestAttempts.CallerTokenKey, out var caller) && caller.IsCancellationRequested;
            IngestLog.Verbose(string.Format(callerStopped ? Messages.AttemptCancelled : Messages.AttemptTimedOut, what, Stopwatch.GetElapsedTime(started).TotalMilliseconds, request.AttemptText()));
            throw;
        }
        catch (Exception ex)
        {
            IngestLog.Verbose($"{what} failed after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms{request.AttemptText()}: {ex.GetType().Name}: {ex.Message}");
            throw;
        }
    }
}
