using System.Collections.Concurrent;
using Ingestion.Emulator.Faults;
using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Ims;

/// <summary>
/// Issued access tokens, in memory only: after a restart clients get 401013 and fetch a new token,
/// which is exactly what they must handle against the real service when a token expires. The token-lifetime
/// fault (<see cref="FaultOptions.TokenLifetime"/>) makes tokens expire earlier than <c>expires_in</c> said.
/// </summary>
internal sealed class TokenStore(TimeProvider time, TimeSpan lifetime, FaultInjector? faults = null)
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
        _tokens[accessToken] = new IssuedToken(clientId, now, now + lifetime);
        return accessToken;
    }

    /// <summary>The client id the token was issued to, or null when the token is unknown or expired.</summary>
    public string? Validate(string accessToken)
    {
        if (!_tokens.TryGetValue(accessToken, out var issued))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (issued.ExpiresAt <= now)
        {
            _tokens.TryRemove(accessToken, out _);
            return null;
        }

        // Removed like a real expiry, so turning the fault off later does not bring the token back.
        if (faults?.Options.TokenLifetime is { } faultLifetime && issued.IssuedAt + faultLifetime <= now)
        {
            _tokens.TryRemove(accessToken, out _);
            faults.TokenExpired(now - issued.IssuedAt, faultLifetime);
            return null;
        }

        return issued.ClientId;
    }

    private sealed record IssuedToken(string ClientId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
}
