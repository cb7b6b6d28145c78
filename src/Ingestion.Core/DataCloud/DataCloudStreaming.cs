using Ingestion.Core.Sessions;

namespace Ingestion.Core.DataCloud;

/// <summary>The one way the cmdlets get a streaming client: over the session's Data Cloud transport.</summary>
public static class DataCloudStreaming
{
    /// <summary>A streaming ingestion client that sends through <paramref name="session"/>'s Data Cloud connection.</summary>
    public static DataCloudStreamingClient For(IngestSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        // DataCloud throws a clear error on a session that is not connected to Data Cloud.
        return new DataCloudStreamingClient(session.DataCloud) { History = session.History };
    }
}
