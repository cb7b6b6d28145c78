using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.DataCloud;

/// <summary>
/// Data Cloud's two-step login: a signed JWT assertion buys a Salesforce core token
/// (<c>POST {login}/services/oauth2/token</c>, jwt-bearer grant), which is exchanged for a Data Cloud token
/// (<c>POST {instance_url}/services/a360/token</c>). Both tokens are kept; the whole flow runs again a little before the
/// Data Cloud token expires (<c>expires_in</c>, else the token's own JWT <c>exp</c>) and once after a 401.
/// Nothing here ever puts the assertion, a token or the key into a message.
/// </summary>
internal sealed class DataCloudTokenProvider
{
    internal const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    internal const string ExchangeGrant = "urn:salesforce:grant-type:external:cdp";
    internal const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    internal static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan MaxRenewalMargin = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly HttpClient loginHttp;
    private readonly Uri loginUrl;
    private readonly string clientId;
    private readonly string userName;
    private readonly RSA key;
    private readonly string? dataspace;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);
    private AccessToken? current;

    public DataCloudTokenProvider(HttpClient loginHttp, Uri loginUrl, string clientId, string userName, RSA key, string? dataspace, TimeProvider time)
    {
        this.loginHttp = loginHttp;
        this.loginUrl = loginUrl;
        this.clientId = clientId;
        this.userName = userName;
        this.key = key;
        this.dataspace = string.IsNullOrWhiteSpace(dataspace) ? null : dataspace;
        this.time = time;
    }

    /// <summary>The JWT's audience: the login URL without its trailing slash.</summary>
    public string Audience => loginUrl.AbsoluteUri.TrimEnd('/');

    /// <summary>Where the Data Cloud API lives (from the exchange's <c>instance_url</c>); null before the first login.</summary>
    public Uri? InstanceUrl { get; private set; }

    /// <summary>The Salesforce org (the core token's <c>instance_url</c>); null before the first login.</summary>
    public Uri? CoreInstanceUrl { get; private set; }

    /// <summary>The Salesforce core token of the last login; kept for calls to the org itself.</summary>
    internal AccessToken? CoreToken { get; private set; }

    public DateTimeOffset? Expires => current?.Expires;

    public async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = current;
        if (token is not null && IsFresh(token))
        {
            return token;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is not null && IsFresh(current))
            {
                return current;
            }

            current = await LoginAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The Data Cloud instance URL, logging in first when needed.</summary>
    public async Task<Uri> GetInstanceUrlAsync(CancellationToken cancellationToken)
    {
        await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return InstanceUrl!;
    }

    /// <summary>Forgets <paramref name="rejected"/> so the next call logs in again; a newer token already fetched is kept.</summary>
    public void Invalidate(AccessToken rejected) => Interlocked.CompareExchange(ref current, null, rejected);

    private bool IsFresh(AccessToken token) => time.GetUtcNow() < token.Expires;

    /// <summary>The RS256-signed assertion: header <c>{"alg":"RS256"}</c>, claims iss, sub, aud and exp (now + 3 minutes).</summary>
    internal string CreateAssertion(DateTimeOffset now)
    {
        var header = Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\"}"));
        var claims = new JsonObject
        {
            ["iss"] = clientId,
            ["sub"] = userName,
            ["aud"] = Audience,
            ["exp"] = (now + AssertionLifetime).ToUnixTimeSeconds(),
        };
        var payload = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signingInput = header + "." + payload;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>
    /// The exchange answers a bare host (<c>xxxx.c360a.salesforce.com</c>); Salesforce's own connectors add https://.
    /// Loopback hosts (the emulator) get http://. A value with a scheme is kept as it is.
    /// </summary>
    internal static Uri NormaliseInstanceUrl(string value)
    {
        value = value.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            var probe = new Uri("https://" + value.TrimEnd('/'));
            value = (EndpointRules.IsLoopback(probe) ? "http://" : "https://") + value;
        }

        return EndpointRules.Check(new Uri(value, UriKind.Absolute));
    }

    private async Task<AccessToken> LoginAsync(CancellationToken cancellationToken)
    {
        var requested = time.GetUtcNow();
        var tokenUri = new Uri(loginUrl, "services/oauth2/token");
        var core = await PostFormAsync(
            tokenUri,
            [new("grant_type", JwtBearerGrant), new("assertion", CreateAssertion(requested))],
            Messages.DcLoginFailed,
            Messages.DcLoginUnreachable,
            Messages.DcLoginAction,
            cancellationToken).ConfigureAwait(false);

        var coreToken = Text(core, "access_token", tokenUri);
        var coreInstance = NormaliseInstanceUrl(Text(core, "instance_url", tokenUri));

        var exchangeUri = new Uri(coreInstance, "services/a360/token");
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", ExchangeGrant),
            new("subject_token", coreToken),
            new("subject_token_type", AccessTokenType),
        };
        if (dataspace is not null)
        {
            form.Add(new("dataspace", dataspace));
        }

        var exchanged = await PostFormAsync(exchangeUri, form, Messages.DcExchangeFailed, Messages.DcExchangeUnreachable, Messages.DcExchangeAction, cancellationToken).ConfigureAwait(false);
        var value = Text(exchanged, "access_token", exchangeUri);
        var instance = NormaliseInstanceUrl(Text(exchanged, "instance_url", exchangeUri));

        var lifetime = LifetimeOf(exchanged, value, requested);
        // Renew a little early (5 minutes, or less for short-lived tokens), so no call carries a token about to expire.
        var margin = TimeSpan.FromTicks(Math.Min(MaxRenewalMargin.Ticks, lifetime.Ticks / 4));
        CoreInstanceUrl = coreInstance;
        CoreToken = new AccessToken(coreToken, requested + DefaultLifetime);
        InstanceUrl = instance;
        IngestLog.Verbose(string.Format(Messages.DcTokenAcquired, userName, instance.GetLeftPart(UriPartial.Authority), lifetime.TotalSeconds));
        return new AccessToken(value, requested + lifetime - margin);
    }

    private static TimeSpan LifetimeOf(JsonNode answer, string token, DateTimeOffset requested)
    {
        if (answer["expires_in"] is JsonValue v && (v.TryGetValue<long>(out var seconds) || (v.TryGetValue<string>(out var s) && long.TryParse(s, out seconds))) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (JwtExpiry(token) is { } exp && exp > requested)
        {
            return exp - requested;
        }

        return DefaultLifetime;
    }

    /// <summary>The <c>exp</c> claim of a JWT, or null when the token is not a JWT (the signature is not checked: we are not its audience).</summary>
    internal static DateTimeOffset? JwtExpiry(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var json = JsonNode.Parse(FromBase64Url(parts[1]));
            return json?["exp"] is JsonValue exp && exp.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private async Task<JsonNode> PostFormAsync(Uri uri, IEnumerable<KeyValuePair<string, string>> form, string failedTemplate, string unreachableTemplate, string action, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        // A login or an exchange repeated after a lost answer only yields another token.
        request.MarkIdempotent();
        var where = uri.GetLeftPart(UriPartial.Authority);
        HttpResponseMessage response;
        try
        {
            response = await loginHttp.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException) && !cancellationToken.IsCancellationRequested)
        {
            var kind = ex is HttpRequestException ? IngestErrorKind.Unavailable : IngestErrorKind.Timeout;
            throw new IngestionException(kind, string.Format(unreachableTemplate, where, ex.Message), ex) { RecommendedAction = Messages.ActionRetries };
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (error, description) = DataCloudErrors.Parse(body, response.Content.Headers.ContentType?.MediaType);
                var status = (int)response.StatusCode;
                var kind = status is 400 or 401 or 403 ? IngestErrorKind.Authentication
                    : status == 429 ? IngestErrorKind.RateLimited
                    : status >= 500 ? IngestErrorKind.Unavailable
                    : IngestErrorKind.UnexpectedResponse;
                throw new IngestionException(kind, string.Format(failedTemplate, where, status, error ?? response.ReasonPhrase, description ?? Messages.DcNoDetail))
                {
                    StatusCode = response.StatusCode,
                    ServiceErrorCode = error,
                    ServiceMessage = description,
                    RequestId = ServiceErrorReader.RequestIdOf(response),
                    RecommendedAction = kind == IngestErrorKind.Authentication ? action : Messages.ActionRetries,
                };
            }

            try
            {
                return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException ex)
            {
                throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.DcUnexpectedAnswer, where, response.Content.Headers.ContentType?.MediaType ?? Messages.NoContentType), ex)
                {
                    StatusCode = response.StatusCode,
                };
            }
        }
    }

    private static string Text(JsonNode answer, string name, Uri from) =>
        answer[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.DcUnexpectedAnswer, from.GetLeftPart(UriPartial.Authority), "application/json, without " + name));

    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        return Convert.FromBase64String(s);
    }
}
