using System.Net;
using Ingestion.Core.Errors;

namespace Ingestion.Core.Sessions;

/// <summary>Secrets and tokens only travel over HTTPS, except to this machine (the emulator).</summary>
internal static class EndpointRules
{
    public static Uri Check(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.EndpointNotAbsolute, endpoint)) { Target = endpoint };
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.EndpointNotHttps, endpoint)) { Target = endpoint };
        }

        // Relative paths resolve under the endpoint only when it ends with '/'.
        return endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    }

    public static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.IdnHost, out var address) && IPAddress.IsLoopback(address));
}
