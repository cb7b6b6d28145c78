using System.Diagnostics;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.Http;

/// <summary>
/// Innermost of our handlers, so it sees every attempt. Logs method, path, status, duration and "attempt n of m" only:
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
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            IngestLog.Verbose($"{what} failed after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms{request.AttemptText()}: {ex.GetType().Name}: {ex.Message}");
            throw;
        }
    }
}
