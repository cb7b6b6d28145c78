using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Ims;

/// <summary>
/// <c>POST /ims/token/v3</c>, OAuth server-to-server (client_credentials). Like IMS, parameters may come
/// in the form body or the query string; the body wins. Errors use IMS's <c>{"error","error_description"}</c>.
/// </summary>
internal sealed class TokenEndpoint(TokenStore tokens, EmulatorCredentials credentials)
{
    public async Task HandleAsync(HttpContext context)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            parameters[key] = value.ToString();
        }

        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }

        var grantType = parameters.GetValueOrDefault("grant_type");
        var clientId = parameters.GetValueOrDefault("client_id");
        var clientSecret = parameters.GetValueOrDefault("client_secret");

        if (string.IsNullOrEmpty(grantType))
        {
            await ErrorAsync(context, 400, "invalid_request", "missing grant_type parameter");
            return;
        }

        if (grantType != "client_credentials")
        {
            await ErrorAsync(context, 400, "unsupported_grant_type", $"grant_type '{grantType}' is not supported; use client_credentials");
            return;
        }

        if (string.IsNullOrEmpty(clientId))
        {
            await ErrorAsync(context, 400, "invalid_request", "missing client_id parameter");
            return;
        }

        // IMS answers an unknown client id with 400 and a wrong secret for a known one with 401.
        if (!FixedTimeEquals(clientId, credentials.ClientId))
        {
            await ErrorAsync(context, 400, "invalid_client", "invalid client_id parameter");
            return;
        }

        if (string.IsNullOrEmpty(clientSecret) || !FixedTimeEquals(clientSecret, credentials.ClientSecret))
        {
            await ErrorAsync(context, 401, "invalid_client", "invalid client_secret parameter");
            return;
        }

        var accessToken = tokens.Issue(clientId);
        context.Response.Headers.CacheControl = "no-store";
        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "bearer",
            ["expires_in"] = (long)Math.Ceiling(tokens.Lifetime.TotalSeconds),
        });
    }

    private static Task ErrorAsync(HttpContext context, int status, string error, string description) =>
        HttpJson.WriteAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
