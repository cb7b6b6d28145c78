namespace Ingestion.Core;

/// <summary>The services a session can talk to.</summary>
public enum IngestPlatform
{
    /// <summary>Adobe Experience Platform batch ingestion (needs an IMS organisation and a sandbox).</summary>
    Aep,

    /// <summary>Adobe Campaign Standard's XDM mapping ingestion (needs the Campaign tenant, the instance id).</summary>
    Campaign,
}
