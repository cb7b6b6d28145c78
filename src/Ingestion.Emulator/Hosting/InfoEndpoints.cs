using System.Reflection;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Campaign;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Hosting;

/// <summary><c>GET /emulator/health</c> for launchers and <c>GET /</c> for a person who opens the URL.</summary>
internal sealed class InfoEndpoints(EmulatorContext emulator, Func<Uri> endpoint)
{
    public static string Version { get; } =
        typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public Task HealthAsync(HttpContext context) =>
        HttpJson.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["status"] = "ok",
            ["version"] = Version,
            ["datasets"] = emulator.Datasets.Count,
            ["batches"] = emulator.Batches.Count,
            ["dataCloudJobs"] = emulator.DataCloud.Jobs.Count,
        });

    private string CampaignMappings() => string.Join(
        "\n",
        emulator.Campaign.Mappings
            .OrderBy(m => m.Tenant, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => $"  {m.Tenant}/{m.Id}: {Describe(m)}"));

    private string DataCloudObjects() => string.Join(
        "\n",
        emulator.DataCloud.Catalog.Objects.Select(o =>
            $"  {o.Source}.{o.Name}: {string.Join(", ", o.Fields.Select(f => $"{f.Name}{(f.PrimaryKey ? "*" : string.Empty)} {f.Type.ToString().ToLowerInvariant()}"))}"));

    private static string Describe(CampaignMapping mapping)
    {
        if (!mapping.Published)
        {
            return "refused, not published";
        }

        if (!mapping.Stopped)
        {
            return "refused, not stopped";
        }

        var delay = mapping.Delay.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return mapping.Outcome switch
        {
            CampaignOutcome.Failure => $"Failed after {delay} s, {mapping.ErrorCode}{(mapping.FailAfterBatch ? " with a batchId" : string.Empty)}",
            CampaignOutcome.Abort => $"Aborted after {delay} s",
            _ => $"Success after {delay} s, {mapping.Records} records",
        };
    }

    public Task RootAsync(HttpContext context)
    {
        var credentials = emulator.Credentials;
        var url = endpoint();
        var text = $$"""
            Ingestion emulator {{Version}}
            A local stand-in for Adobe Experience Platform batch ingestion: IMS tokens, Batch Ingestion, Catalog and a small Schema Registry,
            for Adobe Campaign Standard's XDM mapping ingestion, and for a Salesforce Data Cloud org's Ingestion API (bulk jobs and streaming).
            Data directory: {{emulator.Layout.Root}}

            Credentials (not secret; the emulator only listens on 127.0.0.1):
              client id        {{credentials.ClientId}}
              client secret    {{credentials.ClientSecret}}
              organization id  {{credentials.OrganizationId}}
              sandbox          {{credentials.Sandbox}}

            Endpoints:
              POST {{url}}ims/token/v3                          (client_id, client_secret, grant_type=client_credentials)
              POST {{url}}data/foundation/import/batches
              PUT  {{url}}data/foundation/import/batches/{batchId}/datasets/{datasetId}/files/{path}
              POST {{url}}data/foundation/import/batches/{batchId}?action=COMPLETE|ABORT|FAIL|REVERT
              GET  {{url}}data/foundation/catalog/batches/{batchId}
              GET  {{url}}data/foundation/catalog/dataSets
              GET  {{url}}data/foundation/schemaregistry/tenant/schemas
              GET  {{url}}emulator/health
              GET  {{url}}emulator/faults                       (fault injection settings and counters; PUT to change them)

              POST {{url}}{tenant}/campaign/dataIngestion/xdmIngestion/{mappingId}/ingest                  (Campaign: trigger)
              GET  {{url}}{tenant}/campaign/dataIngestion/xdmIngestion/{mappingId}/ingest?requestId=N      (Campaign: status)
                   headers Authorization: Bearer <token> and X-Api-Key: <client id>; no organization or sandbox header

            Salesforce Data Cloud (connect with -Platform DataCloud):
              consumer key     {{credentials.ClientId}}  (the connected app; JWTs are RS256-signed with its private key)
              username         {{EmulatorHost.DataCloudUserName}}
              private key      {{emulator.DataCloud.PrivateKeyPath}}  (PKCS#8 PEM)
              login URL        {{url.ToString().TrimEnd('/')}}  (JWT aud: this URL, https://login.salesforce.com or https://test.salesforce.com)

              POST {{url}}services/oauth2/token                 (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, assertion=JWT)
              POST {{url}}services/a360/token                   (grant_type=urn:salesforce:grant-type:external:cdp, subject_token=core token)
                   instance_url in its answer is a bare host:port, as Salesforce answers; clients add http:// for loopback
              POST {{url}}api/v1/ingest/jobs                    ({"object","sourceName","operation":"upsert"|"delete"})
              PUT  {{url}}api/v1/ingest/jobs/{id}/batches       (text/csv, at most 150 MB and 100 files per job)
              PATCH {{url}}api/v1/ingest/jobs/{id}              ({"state":"UploadComplete"|"Aborted"}); GET, DELETE, GET api/v1/ingest/jobs
              POST {{url}}api/v1/ingest/sources/{source}/{object}               ({"data":[…]}, at most 200 KB)
              DELETE {{url}}api/v1/ingest/sources/{source}/{object}?ids=a,b     (at most 200 ids)
              POST {{url}}api/v1/ingest/sources/{source}/{object}/actions/test  (validation only)
              GET  {{url}}emulator/datacloud/{source}/{object}/records           (emulator only: the stored records)
                   header Authorization: Bearer <Data Cloud token>; errors are [{"errorCode","message"}]
              Limits: 5 jobs Open/UploadComplete/InProgress, 20 jobs per hour, 250 streaming requests per second (429 + Retry-After)

            Data Cloud objects (source.object: fields, * primary key):
            {{DataCloudObjects()}}

            Campaign tenants: {{string.Join(", ", emulator.Campaign.Tenants.Order(StringComparer.Ordinal))}}
            Campaign XDM mappings (tenant/id: what a trigger does):
            {{CampaignMappings()}}

            Fault injection: {{(emulator.Faults.Options == FaultOptions.None ? "none" : emulator.Faults.Options.ToString())}}

            Built-in schemas: {{string.Join(", ", emulator.Schemas.All.Where(s => s.BuiltIn).Select(s => s.Id))}}

            """;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
