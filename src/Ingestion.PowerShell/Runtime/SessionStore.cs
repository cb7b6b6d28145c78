using Ingestion.Core.Sessions;

namespace Ingestion.PowerShell.Runtime;

/// <summary>The module's default session: set by Connect-IngestService, used when -Session is not given.</summary>
internal static class SessionStore
{
    private static IngestSession? current;

    public static IngestSession? Default => Volatile.Read(ref current);

    /// <summary>Returns the session it replaced, which the caller may still hold and use.</summary>
    public static IngestSession? Set(IngestSession session) => Interlocked.Exchange(ref current, session);

    /// <summary>Forgets <paramref name="session"/> if it is the default; a newer default stays.</summary>
    public static bool ClearIf(IngestSession session) => Interlocked.CompareExchange(ref current, null, session) == session;
}
