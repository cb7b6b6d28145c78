namespace Ingestion.Core;

/// <summary>The services a session can talk to.</summary>
public enum IngestPlatform
{
    Aep,
}
