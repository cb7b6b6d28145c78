using System.Net;
using System.Net.Http.Headers;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.DataCloud;

/// <summary>
/// Puts the Data Cloud token on every API call and, when Data Cloud answers 401, runs the login flow again and sends
/// the request once more (the same pattern as <see cref="PlatformHeadersHandler"/> for Adobe).
/// </summary>
internal sealed class DataCloudAuthHandler(DataCloudTokenProvider tokens, string clientId) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.IsAuthenticated())
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var again = RequestCloner.Clone(request);
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        IngestLog.Verbose(Messages.DcTokenRenewedAfter401);
        response = await base.SendAsync(again, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        using (response)
        {
            var error = await DataCloudErrors.ReadAsync(response, string.Empty, null, cancellationToken).ConfigureAwait(false);
            throw new IngestionException(IngestErrorKind.Authentication, string.Format(Messages.DcCredentialsRefused, clientId))
            {
                StatusCode = error.StatusCode,
                ServiceErrorCode = error.ServiceErrorCode,
                ServiceMessage = error.ServiceMessage,
                RequestId = error.RequestId,
                RecommendedAction = Messages.DcLoginAction,
            };
        }
    }
}

/// <summary>Stands in for the Adobe clients of a Data Cloud session: every request fails at once with a clear error.</summary>
internal sealed class RefusingHandler(string message, string action) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new IngestionException(IngestErrorKind.InvalidArgument, message) { RecommendedAction = action };
}
