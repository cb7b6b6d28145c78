namespace Ingestion.Core.Http;

/// <summary>A bearer token and when to stop using it. <see cref="ToString"/> never shows the value.</summary>
internal sealed class AccessToken(string value, DateTimeOffset expires)
{
    public string Value { get; } = value;
    public DateTimeOffset Expires { get; } = expires;

    public override string ToString() => $"token expiring {Expires:u}";
}
