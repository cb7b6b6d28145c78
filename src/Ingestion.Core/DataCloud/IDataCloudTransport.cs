namespace Ingestion.Core.DataCloud;

/// <summary>Sends one Data Cloud API request with the session's Data Cloud token, retries and logging.</summary>
internal interface IDataCloudTransport
{
    /// <param name="relativePath">Relative to the Data Cloud instance URL, e.g. <c>api/v1/ingest/sources/{source}/{object}</c>.</param>
    /// <param name="accepted">Statuses that count as success; any other answer throws an IngestionException carrying the service's errorCode/message.</param>
    Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativePath, HttpContent? content, bool idempotent, string operation, object? target, IReadOnlyCollection<int> accepted, CancellationToken cancellationToken);
}
