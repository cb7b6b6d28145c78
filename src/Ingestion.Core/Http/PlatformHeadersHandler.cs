using System.Net;
using System.Net.Http.Headers;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Http;

/// <summary>
/// Adds the headers every Experience Platform (or Campaign Standard) call needs and, when the platform answers 401,
/// fetches a new token and sends the request once more: tokens expire mid-upload on long transfers.
/// </summary>
internal sealed class PlatformHeadersHandler(ImsTokenProvider tokens, string apiKey, string organizationId, string sandbox) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains("x-request-id"))
        {
            request.Headers.TryAddWithoutValidation("x-request-id", Guid.NewGuid().ToString());
        }

        if (!request.IsAuthenticated())
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        request.Headers.Remove("x-api-key");
        request.Headers.Remove("x-gw-ims-org-id");
        request.Headers.Remove("x-sandbox-name");
        if (request.IsCampaign())
        {
            // Campaign Standard's documented set: Authorization, X-Api-Key, Content-Type (on the content) and
            // Cache-Control: no-cache; it addresses the instance in the path, so no organisation or sandbox.
            request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
            request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        }
        else
        {
            if (organizationId.Length == 0 || sandbox.Length == 0)
            {
                // A session opened with -Platform Campaign has neither: say how to get one instead of a gateway 400.
                throw new IngestionException(IngestErrorKind.InvalidArgument, Messages.SessionHasNoAep) { RecommendedAction = Messages.SessionHasNoAepAction };
            }

            request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
            request.Headers.TryAddWithoutValidation("x-gw-ims-org-id", organizationId);
            request.Headers.TryAddWithoutValidation("x-sandbox-name", sandbox);
        }

        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Once only: a second 401 with a brand-new token means the credentials themselves are refused.
        response.Dispose();
        tokens.Invalidate(token);
        token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        // A fresh message for the second send too, as for every retry attempt.
        var again = RequestCloner.Clone(request);
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        Sessions.IngestLog.Verbose(Messages.TokenRenewedAfter401);
        response = await base.SendAsync(again, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        using (response)
        {
            var error = await ServiceErrorReader.ReadAsync(response, string.Empty, null, cancellationToken).ConfigureAwait(false);
            throw new IngestionException(IngestErrorKind.Authentication, string.Format(Messages.CredentialsRefused, apiKey))
            {
                StatusCode = error.StatusCode,
                ServiceErrorCode = error.ServiceErrorCode,
                ServiceMessage = error.ServiceMessage,
                RequestId = error.RequestId,
                RecommendedAction = Messages.ActionAuthentication,
            };
        }
    }
}
