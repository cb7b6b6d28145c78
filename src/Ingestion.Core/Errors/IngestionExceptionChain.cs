namespace Ingestion.Core.Errors;

internal static class IngestionExceptionChain
{
    /// <summary>The engine's own exception inside transport wrappers, if any.</summary>
    public static IngestionException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IngestionException ingestion)
            {
                return ingestion;
            }
        }

        return null;
    }
}
