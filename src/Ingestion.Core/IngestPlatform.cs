namespace Ingestion.Core;

/// <summary>The services a session can talk to.</summary>
public enum IngestPlatform
{
    /// <summary>Adobe Experience Platform batch ingestion (needs an IMS organisation and a sandbox).</summary>
    Aep,

    /// <summary>Adobe Campaign Standard's XDM mapping ingestion (needs the Campaign tenant, the instance id).</summary>
    Campaign,

    /// <summary>Salesforce Data Cloud's Ingestion API (bulk CSV jobs; needs a connected app's consumer key, a user and its key).</summary>
    DataCloud,
}
