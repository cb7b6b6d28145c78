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
        });

    private string CampaignMappings() => string.Join(
        "\n",
        emulator.Campaign.Mappings
            .OrderBy(m => m.Tenant, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => $"  {m.Tenant}/{m.Id}: {Describe(m)}"));

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
            and for Adobe Campaign Standard's XDM mapping ingestion.
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
