using Ingestion.Emulator.Http;
using Ingestion.Emulator.Ims;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Ingestion.Emulator.Gateway;

/// <summary>
/// What Adobe's API gateway checks on every platform call, in the order it checks them, with the bodies
/// Adobe documents (platform troubleshooting guide). Only then does a request reach a service.
/// Campaign calls (<c>/{tenant}/campaign/…</c>) get the token and API key checks only.
/// </summary>
internal sealed class GatewayMiddleware(RequestDelegate next, TokenStore tokens, EmulatorCredentials credentials)
{
    public static readonly PathString PlatformPrefix = "/data/foundation";

    /// <summary>Batch ingestion documents 414 for URLs over 2000 characters.</summary>
    private const int MaxUriLength = 2000;

    public async Task InvokeAsync(HttpContext context)
    {
        // Campaign's Adobe I/O gateway (mc.adobe.io) checks the token and the API key, and nothing AEP-specific:
        // no organization or sandbox header, and no Content-Type rule.
        if (CampaignPaths.IsCampaign(context.Request.Path))
        {
            if (await AuthenticateAsync(context))
            {
                await next(context);
            }

            return;
        }

        if (!PlatformRequest.IsPlatform(context))
        {
            await next(context);
            return;
        }

        if (!await AuthenticateAsync(context))
        {
            return;
        }

        var headers = context.Request.Headers;
        var org = headers["x-gw-ims-org-id"].ToString();
        if (org.Length == 0)
        {
            await ErrorResponses.WriteGatewayErrorAsync(context, 400, "400003", "Missing header");
            return;
        }

        if (org != credentials.OrganizationId)
        {
            await ErrorResponses.WriteGatewayErrorAsync(context, 403, "403025", "Profile is not valid");
            return;
        }

        // AEP itself falls back to the prod sandbox when the header is missing; the emulator insists on it
        // because a client that forgets it would silently write to production against the real service.
        var sandbox = headers["x-sandbox-name"].ToString();
        if (sandbox.Length == 0)
        {
            await ErrorResponses.WriteGatewayErrorAsync(context, 400, "400003", "Missing header x-sandbox-name");
            return;
        }

        if (sandbox != credentials.Sandbox)
        {
            await ErrorResponses.WriteProblemAsync(
                context,
                new ServiceException(403, "EMULATOR-0403-403", "Forbidden",
                    $"Sandbox '{sandbox}' does not exist in organization {credentials.OrganizationId}; the emulator has one sandbox, '{credentials.Sandbox}'."));
            return;
        }

        if (!HasValidContentType(context.Request))
        {
            await ErrorResponses.WriteProblemAsync(context, "/placeholder/type/uri", 400, "BadRequestError", "A valid content-type must be specified");
            return;
        }

        var uriLength = context.Request.Path.Value!.Length + context.Request.QueryString.Value!.Length;
        if (uriLength > MaxUriLength)
        {
            await ErrorResponses.WriteProblemAsync(context, Problems.UriTooLong(uriLength, MaxUriLength));
            return;
        }

        await next(context);
    }

    /// <summary>
    /// The token, then the API key (the integration's client id), as every Adobe I/O gateway checks them. Writes the
    /// gateway's refusal and returns false when one fails.
    /// </summary>
    private async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var authorization = headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(authorization))
        {
            await ErrorResponses.WriteGatewayErrorAsync(context, 403, "403010", "Oauth token is missing.");
            return false;
        }

        const string bearer = "Bearer ";
        var clientId = authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? tokens.Validate(authorization[bearer.Length..].Trim())
            : null;
        if (clientId is null)
        {
            await ErrorResponses.WriteGatewayErrorAsync(context, 401, "401013", "Oauth token is not valid");
            return false;
        }

        var apiKey = headers["x-api-key"].ToString();
        if (apiKey.Length == 0)
        {
            await ErrorResponses.WriteGatewayErrorAsync(context, 403, "403000", "Api Key is required");
            return false;
        }

        if (apiKey != clientId)
        {
            await ErrorResponses.WriteGatewayErrorAsync(context, 403, "403003", "Api Key is invalid");
            return false;
        }

        return true;
    }

    /// <summary>
    /// PUT and PATCH always carry a representation, so they need a Content-Type. A POST needs one only when it
    /// has a body: Adobe's own examples send the batch signals (<c>?action=COMPLETE</c>) with neither.
    /// </summary>
    private static bool HasValidContentType(HttpRequest request)
    {
        var method = request.Method;
        var needsContentType = HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)
            || (HttpMethods.IsPost(method) && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0));
        if (!needsContentType)
        {
            return true;
        }

        return MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            && media.MediaType.HasValue
            && media.MediaType.Value!.Contains('/', StringComparison.Ordinal);
    }
}
