using System.Net;

namespace Ingestion.Core.Http;

/// <summary>
/// Builds a fresh <see cref="HttpRequestMessage"/> for each attempt: method, URI, version, headers and options are
/// copied; the body is a thin view of the original content, serialized anew per send. File bodies re-open their file
/// on every serialization and buffered JSON is replayed from its bytes, so nothing of a failed attempt is reused.
/// </summary>
internal static class RequestCloner
{
    public static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = request.Content is null ? null : new ReplayContent(request.Content),
        };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var options = (IDictionary<string, object?>)clone.Options;
        foreach (var option in request.Options)
        {
            options[option.Key] = option.Value;
        }

        return clone;
    }

    /// <summary>
    /// The body of one attempt: serializes the original content again, and leaves it open when disposed (the caller
    /// owns it). A file upload's hash and progress stay on the original content object.
    /// </summary>
    private sealed class ReplayContent : HttpContent
    {
        private readonly HttpContent inner;

        public ReplayContent(HttpContent inner)
        {
            this.inner = inner;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            inner.CopyToAsync(stream, context);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            inner.CopyToAsync(stream, context, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            var known = inner.Headers.ContentLength;
            length = known ?? 0;
            return known is not null;
        }
    }
}
