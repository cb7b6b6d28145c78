using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Gateway;

/// <summary>Campaign Standard's API lives under <c>/{tenant}/campaign/</c> (on mc.adobe.io in production).</summary>
internal static class CampaignPaths
{
    public const string Segment = "campaign";

    /// <summary>
    /// Whether the (decoded, dot-segment free) path is <c>/{tenant}/campaign/…</c>. Case-insensitive like routing, so
    /// no spelling reaches a Campaign endpoint without the gateway's checks. The built-in tenant is called
    /// <c>emulator</c>, so this also tells Campaign paths apart from the emulator's own <c>/emulator/…</c> routes.
    /// </summary>
    public static bool IsCampaign(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value) || value[0] != '/')
        {
            return false;
        }

        var tenantEnd = value.IndexOf('/', 1);
        if (tenantEnd <= 1)
        {
            return false;
        }

        var rest = value.AsSpan(tenantEnd + 1);
        return rest.StartsWith(Segment, StringComparison.OrdinalIgnoreCase)
            && (rest.Length == Segment.Length || rest[Segment.Length] == '/');
    }
}
