using System.Collections.Concurrent;
using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Ims;

/// <summary>
/// Issued access tokens, in memory only: after a restart clients get 401013 and fetch a new token,
/// which is exactly what they must handle against the real service when a token expires.
/// </summary>
internal sealed class TokenStore(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => lifetime;

    public string Issue(string clientId)
    {
        var now = time.GetUtcNow();
        foreach (var (token, issued) in _tokens)
        {
            if (issued.ExpiresAt <= now)
            {
                _tokens.TryRemove(token, out _);
            }
        }

        var accessToken = Ids.NewAccessToken();
        _tokens[accessToken] = new IssuedToken(clientId, now + lifetime);
        return accessToken;
    }

    /// <summary>The client id the token was issued to, or null when the token is unknown or expired.</summary>
    public string? Validate(string accessToken)
    {
        if (!_tokens.TryGetValue(accessToken, out var issued))
        {
            return null;
        }

        if (issued.ExpiresAt <= time.GetUtcNow())
        {
            _tokens.TryRemove(accessToken, out _);
            return null;
        }

        return issued.ClientId;
    }

    private sealed record IssuedToken(string ClientId, DateTimeOffset ExpiresAt);
}
