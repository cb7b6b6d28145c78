using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ingestion.Emulator.Gateway;

internal static class PlatformRequest
{
    /// <summary>
    /// The request target exactly as the client sent it. Kestrel decodes and removes dot segments from
    /// <see cref="HttpRequest.Path"/>, which would hide a '..' in a file name and could move the path out of
    /// /data/foundation; file paths and the gateway check therefore look at the raw form too.
    /// </summary>
    public static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        if (raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var pathStart = raw.IndexOf('/', raw.IndexOf("//", StringComparison.Ordinal) + 2);
            raw = pathStart < 0 ? "/" : raw[pathStart..];
        }

        var query = raw.IndexOf('?');
        return query < 0 ? raw : raw[..query];
    }

    public static bool IsPlatform(HttpContext context) =>
        context.Request.Path.StartsWithSegments(GatewayMiddleware.PlatformPrefix)
        || RawPath(context).StartsWith(GatewayMiddleware.PlatformPrefix.Value + "/", StringComparison.OrdinalIgnoreCase);
}
