using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Faults;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// The two kinds of token a Data Cloud client holds: the Salesforce core access token (opaque, from the JWT bearer
/// login) and the Data Cloud token it is exchanged for (a JWT, HS256-signed with a key made at start, with an
/// <c>exp</c> claim). Both are kept in memory only: after a restart clients log in again, as after a real expiry.
/// The token-lifetime fault (<see cref="FaultOptions.TokenLifetime"/>) makes Data Cloud tokens expire early too.
/// </summary>
internal sealed class DataCloudTokens(TimeProvider time, TimeSpan dataCloudLifetime, FaultInjector? faults = null)
{
    /// <summary>Salesforce's default session timeout.</summary>
    public static readonly TimeSpan CoreLifetime = TimeSpan.FromHours(2);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _coreTokens = new(StringComparer.Ordinal);
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);

    public TimeSpan DataCloudLifetime => dataCloudLifetime;

    public string IssueCoreToken()
    {
        var now = time.GetUtcNow();
        foreach (var (issued, expires) in _coreTokens)
        {
            if (expires <= now)
            {
                _coreTokens.TryRemove(issued, out _);
            }
        }

        // Salesforce session ids start with the org id and '!'.
        var token = $"{DataCloudIdentity.OrganizationId[..15]}!{Base64Url(RandomNumberGenerator.GetBytes(48))}";
        _coreTokens[token] = now + CoreLifetime;
        return token;
    }

    public bool IsValidCoreToken(string token) =>
        _coreTokens.TryGetValue(token, out var expires) && expires > time.GetUtcNow();

    public string IssueDataCloudToken(string endpoint, string? dataspace)
    {
        var now = time.GetUtcNow();
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        var claims = new JsonObject
        {
            ["iss"] = endpoint,
            ["sub"] = DataCloudIdentity.UserId,
            ["aud"] = "cdp",
            ["org"] = DataCloudIdentity.OrganizationId,
            ["dataspace"] = dataspace ?? "default",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + dataCloudLifetime).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        return signingInput + "." + Base64Url(HMACSHA256.HashData(_signingKey, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Whether <paramref name="token"/> is a Data Cloud token this emulator issued and it has not expired.</summary>
    public bool IsValidDataCloudToken(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(_signingKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[] signature;
        JsonNode? claims;
        try
        {
            signature = FromBase64Url(parts[2]);
            claims = JsonNode.Parse(FromBase64Url(parts[1]));
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, expected)
            || claims?["exp"] is not JsonValue expValue || !expValue.TryGetValue<long>(out var exp)
            || claims["iat"] is not JsonValue iatValue || !iatValue.TryGetValue<long>(out var iat))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (DateTimeOffset.FromUnixTimeSeconds(exp) <= now)
        {
            return false;
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(iat);
        if (faults?.Options.TokenLifetime is { } faultLifetime && issued + faultLifetime <= now)
        {
            faults.TokenExpired(now - issued, faultLifetime);
            return false;
        }

        return true;
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => throw new FormatException("Bad base64url length.") };
        return Convert.FromBase64String(base64);
    }
}

/// <summary>The one Salesforce org and user the emulator has.</summary>
internal static class DataCloudIdentity
{
    public const string UserName = "emulator@ingestion.invalid";
    public const string OrganizationId = "00D5E0000000EMUAAA";
    public const string UserId = "0055E0000000EMUAAA";
}
