using System.Net;
using Ingestion.Emulator.Campaign;
using Ingestion.Emulator.Catalog;
using Ingestion.Emulator.DataCloud;
using Ingestion.Emulator.Export;
using Ingestion.Emulator.Faults;
using Ingestion.Emulator.Gateway;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.Ims;
using Ingestion.Emulator.Import;
using Ingestion.Emulator.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Hosting;

/// <summary>The web application: Kestrel on 127.0.0.1 only, the middleware pipeline and every route.</summary>
internal static class EmulatorApp
{
    public static WebApplication Build(EmulatorContext emulator, TokenStore tokens, ILoggerFactory loggerFactory, Func<Uri> endpoint)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // IPAddress.Loopback, not "localhost": nothing outside this machine may reach the emulator.
            kestrel.Listen(IPAddress.Loopback, emulator.Options.Port);
            kestrel.AddServerHeader = false;

            // Uploads are streamed and their 256 MB limit is enforced by the upload endpoint itself.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));

        builder.Services.AddSingleton(emulator);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton(emulator.Credentials);
        builder.Services.AddSingleton(emulator.Faults);
        builder.Services.AddSingleton(emulator.DataCloud);

        var app = builder.Build();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<RequestLogMiddleware>();

        // Before error handling, so lost and cut-off answers hold whatever the rest of the pipeline wrote, errors included.
        app.UseMiddleware<FaultInjectionMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<GatewayMiddleware>();
        app.UseMiddleware<DataCloudGatewayMiddleware>();
        app.UseMiddleware<FileUploadMiddleware>();
        app.UseRouting();

        var services = app.Services;
        var token = new TokenEndpoint(tokens, emulator.Credentials);
        var info = new InfoEndpoints(emulator, endpoint);
        var faultControl = new FaultEndpoints(emulator.Faults);
        var batches = ActivatorUtilities.CreateInstance<BatchEndpoints>(services);
        var catalogBatches = new CatalogBatchEndpoints(emulator);
        var datasets = ActivatorUtilities.CreateInstance<DatasetEndpoints>(services);
        var schemas = ActivatorUtilities.CreateInstance<SchemaEndpoints>(services);
        var dataAccess = new DataAccessEndpoints(emulator);
        var campaign = new CampaignEndpoints(emulator);
        var dataCloudAuth = new DataCloudAuthEndpoints(
            emulator.DataCloud.Tokens, emulator.DataCloud.Key, emulator.Credentials, emulator.DataCloud.Catalog, emulator.Time, endpoint);
        var dataCloudJobs = new DataCloudJobEndpoints(emulator.DataCloud);
        var dataCloudStreaming = new DataCloudStreamingEndpoints(emulator.DataCloud, emulator.Time);

        app.MapGet("/", info.RootAsync);
        app.MapGet("/emulator/health", info.HealthAsync);
        app.MapGet("/emulator/faults", faultControl.GetAsync);
        app.MapPut("/emulator/faults", faultControl.PutAsync);
        app.MapPost("/ims/token/v3", token.HandleAsync);

        app.MapPost("/data/foundation/import/batches", batches.CreateAsync);
        app.MapPost("/data/foundation/import/batches/{batchId}", batches.SignalAsync);

        app.MapGet("/data/foundation/catalog/batches", catalogBatches.ListAsync);
        app.MapGet("/data/foundation/catalog/batches/{batchId}", catalogBatches.GetAsync);
        app.MapPost("/data/foundation/catalog/dataSets", datasets.CreateAsync);
        app.MapGet("/data/foundation/catalog/dataSets", datasets.ListAsync);
        app.MapGet("/data/foundation/catalog/dataSets/{datasetId}", datasets.GetAsync);

        app.MapPost("/data/foundation/schemaregistry/tenant/schemas", schemas.CreateAsync);
        app.MapGet("/data/foundation/schemaregistry/tenant/schemas", schemas.ListAsync);
        app.MapGet("/data/foundation/schemaregistry/tenant/schemas/{*schemaId}", schemas.GetAsync);

        app.MapGet("/data/foundation/export/batches/{batchId}/failed", dataAccess.FailedAsync);
        app.MapGet("/data/foundation/export/batches/{batchId}/meta", dataAccess.MetaAsync);

        app.MapPost(CampaignEndpoints.Route, campaign.TriggerAsync);
        app.MapGet(CampaignEndpoints.Route, campaign.StatusAsync);

        app.MapPost(DataCloudAuthEndpoints.LoginRoute, dataCloudAuth.LoginAsync);
        app.MapPost(DataCloudAuthEndpoints.ExchangeRoute, dataCloudAuth.ExchangeAsync);
        app.MapPost(DataCloudJobEndpoints.JobsRoute, dataCloudJobs.CreateAsync);
        app.MapGet(DataCloudJobEndpoints.JobsRoute, dataCloudJobs.ListAsync);
        app.MapGet(DataCloudJobEndpoints.JobRoute, dataCloudJobs.GetAsync);
        app.MapPatch(DataCloudJobEndpoints.JobRoute, dataCloudJobs.PatchAsync);
        app.MapDelete(DataCloudJobEndpoints.JobRoute, dataCloudJobs.DeleteAsync);
        app.MapPut(DataCloudJobEndpoints.BatchesRoute, dataCloudJobs.UploadAsync);
        app.MapPost(DataCloudStreamingEndpoints.ObjectRoute, dataCloudStreaming.UpsertAsync);
        app.MapDelete(DataCloudStreamingEndpoints.ObjectRoute, dataCloudStreaming.DeleteAsync);
        app.MapPost(DataCloudStreamingEndpoints.TestRoute, dataCloudStreaming.TestAsync);
        app.MapGet(DataCloudStreamingEndpoints.RecordsRoute, dataCloudStreaming.RecordsAsync);

        app.MapFallback(context => context.Request.Path.StartsWithSegments(DataCloudGatewayMiddleware.Prefix, StringComparison.OrdinalIgnoreCase)
            ? throw DataCloudErrors.NotFound($"The Ingestion API has no endpoint for {context.Request.Method} {context.Request.Path}.")
            : throw Problems.RouteNotFound(context.Request.Method, context.Request.Path.Value ?? "/"));
        return app;
    }
}
