namespace Ingestion.Core.Sessions;

/// <summary>Receives diagnostic lines (never secrets). The cmdlets route them to the verbose stream.</summary>
public interface IIngestLog
{
    void Verbose(string message);
}

/// <summary>
/// The log of the operation running on this async flow. A session outlives the cmdlets that use it,
/// so the sink is chosen per call rather than stored on the session.
/// </summary>
public static class IngestLog
{
    private static readonly AsyncLocal<IIngestLog?> current = new();

    public static IIngestLog? Current => current.Value;

    public static IDisposable Begin(IIngestLog log)
    {
        var previous = current.Value;
        current.Value = log;
        return new Restore(previous);
    }

    internal static void Verbose(string message) => current.Value?.Verbose(message);

    private sealed class Restore(IIngestLog? previous) : IDisposable
    {
        public void Dispose() => current.Value = previous;
    }
}
