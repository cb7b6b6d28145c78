using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// Salesforce's two token calls. <c>POST /services/oauth2/token</c> is the OAuth 2.0 JWT bearer flow: the assertion
/// must be RS256-signed with the key of the connected app named by <c>iss</c>, for a known user (<c>sub</c>), meant for
/// this emulator (<c>aud</c> = its base URL without the trailing slash, or https://login.salesforce.com /
/// https://test.salesforce.com so real-looking clients pass) and expire in the future but no more than an hour (plus
/// 3 minutes of clock skew) ahead. <c>POST /services/a360/token</c> exchanges the core token for a Data Cloud token.
/// Errors are Salesforce's <c>{"error","error_description"}</c>.
/// </summary>
internal sealed class DataCloudAuthEndpoints(DataCloudTokens tokens, RSA builtInKey, EmulatorCredentials credentials, DataCloudCatalog catalog, TimeProvider time, Func<Uri> endpoint)
{
    public const string LoginRoute = "/services/oauth2/token";
    public const string ExchangeRoute = "/services/a360/token";
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string CdpGrant = "urn:salesforce:grant-type:external:cdp";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromHours(1);

    private static readonly string[] SalesforceAudiences = ["https://login.salesforce.com", "https://test.salesforce.com"];

    /// <summary><c>http://127.0.0.1:port</c>: the login URL, the core instance URL and the JWT audience.</summary>
    public string BaseUrl => endpoint().ToString().TrimEnd('/');

    public async Task LoginAsync(HttpContext context)
    {
        var parameters = await ReadParametersAsync(context);
        if (parameters.GetValueOrDefault("grant_type") != JwtBearerGrant)
        {
            await ErrorAsync(context, 400, "unsupported_grant_type", "grant type not supported");
            return;
        }

        var assertion = parameters.GetValueOrDefault("assertion");
        if (string.IsNullOrEmpty(assertion))
        {
            await ErrorAsync(context, 400, "invalid_grant", "invalid assertion");
            return;
        }

        var refusal = Verify(assertion);
        if (refusal is not null)
        {
            await ErrorAsync(context, 400, refusal.Value.Error, refusal.Value.Description);
            return;
        }

        var baseUrl = BaseUrl;
        context.Response.Headers.CacheControl = "no-store";
        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["access_token"] = tokens.IssueCoreToken(),
            ["scope"] = "cdp_ingest_api api",
            ["instance_url"] = baseUrl,
            ["id"] = $"{baseUrl}/id/{DataCloudIdentity.OrganizationId}/{DataCloudIdentity.UserId}",
            ["token_type"] = "Bearer",
        });
    }

    public async Task ExchangeAsync(HttpContext context)
    {
        var parameters = await ReadParametersAsync(context);
        if (parameters.GetValueOrDefault("grant_type") != CdpGrant)
        {
            await ErrorAsync(context, 400, "unsupported_grant_type", "grant type not supported");
            return;
        }

        if (parameters.GetValueOrDefault("subject_token_type") != AccessTokenType)
        {
            await ErrorAsync(context, 400, "invalid_request", $"subject_token_type must be {AccessTokenType}");
            return;
        }

        var subject = parameters.GetValueOrDefault("subject_token");
        if (string.IsNullOrEmpty(subject) || !tokens.IsValidCoreToken(subject))
        {
            await ErrorAsync(context, 401, "invalid_token", "The subject token is invalid or has expired; log in again (POST /services/oauth2/token).");
            return;
        }

        var dataspace = parameters.GetValueOrDefault("dataspace");
        var url = endpoint();
        context.Response.Headers.CacheControl = "no-store";
        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["access_token"] = tokens.IssueDataCloudToken(BaseUrl, string.IsNullOrEmpty(dataspace) ? null : dataspace),

            // A bare host, as the real service answers (tenant.c360a.salesforce.com); clients add the scheme, http:// for loopback.
            ["instance_url"] = $"{url.Host}:{url.Port}",
            ["token_type"] = "Bearer",
            ["issued_token_type"] = JwtTokenType,
            ["expires_in"] = (long)Math.Ceiling(tokens.DataCloudLifetime.TotalSeconds),
        });
    }

    /// <summary>Null when the assertion is good; else Salesforce's error and description.</summary>
    internal (string Error, string Description)? Verify(string assertion)
    {
        const string invalidAssertion = "invalid assertion";
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return ("invalid_grant", invalidAssertion);
        }

        JsonObject? header, claims;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(DataCloudTokens.FromBase64Url(parts[0])) as JsonObject;
            claims = JsonNode.Parse(DataCloudTokens.FromBase64Url(parts[1])) as JsonObject;
            signature = DataCloudTokens.FromBase64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            return ("invalid_grant", invalidAssertion);
        }

        // RS256 is the only algorithm Salesforce accepts: "none" and HMAC (signed with the public key as secret) are refused.
        if (header is null || claims is null || HttpJson.Text(header["alg"]) != "RS256")
        {
            return ("invalid_grant", invalidAssertion);
        }

        var key = KeyFor(HttpJson.Text(claims["iss"]));
        if (key is null)
        {
            return ("invalid_client_id", "client identifier invalid");
        }

        if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return ("invalid_grant", invalidAssertion);
        }

        var audiences = claims["aud"] switch
        {
            JsonArray array => array.Select(HttpJson.Text).ToList(),
            var single => [HttpJson.Text(single)],
        };
        var baseUrl = BaseUrl;
        if (!audiences.Any(a => a == baseUrl || SalesforceAudiences.Contains(a)))
        {
            return ("invalid_grant", "audience is invalid");
        }

        if (claims["exp"] is not JsonValue expValue || !expValue.TryGetValue<double>(out var expSeconds))
        {
            return ("invalid_grant", invalidAssertion);
        }

        var now = time.GetUtcNow();
        var exp = DateTimeOffset.FromUnixTimeSeconds((long)expSeconds);
        if (exp + ClockSkew <= now)
        {
            return ("invalid_grant", "expired access/refresh token");
        }

        if (exp > now + MaxAssertionLifetime + ClockSkew)
        {
            return ("invalid_grant", invalidAssertion);
        }

        if (HttpJson.Text(claims["sub"]) != DataCloudIdentity.UserName)
        {
            return ("invalid_grant", "user hasn't approved this consumer");
        }

        return null;
    }

    private RSA? KeyFor(string? consumerKey)
    {
        if (string.IsNullOrEmpty(consumerKey))
        {
            return null;
        }

        if (consumerKey == credentials.ClientId)
        {
            return builtInKey;
        }

        return catalog.ConnectedApps.FirstOrDefault(a => a.ConsumerKey == consumerKey)?.PublicKey;
    }

    /// <summary>Form parameters, falling back to the query string as Salesforce does.</summary>
    private static async Task<Dictionary<string, string>> ReadParametersAsync(HttpContext context)
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

        return parameters;
    }

    private static Task ErrorAsync(HttpContext context, int status, string error, string description) =>
        HttpJson.WriteAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });
}
