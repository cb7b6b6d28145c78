using System.Collections.Concurrent;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.Tests.Support;

/// <summary>Collects the engine's verbose lines; install it with <see cref="IngestLog.Begin"/>.</summary>
internal sealed class ListLog : IIngestLog
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => lines.ToArray();

    public void Verbose(string message) => lines.Enqueue(message);
}
